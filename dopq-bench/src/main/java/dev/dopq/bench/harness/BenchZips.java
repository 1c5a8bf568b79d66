package dev.dopq.bench.harness;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/** Job zips for the benchmarks and drills, written under a temporary name and renamed into the inbox. */
public final class BenchZips {
    public static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    public static final String BUSYBOX_DOCKERFILE =
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";

    private BenchZips() {
    }

    /** container_config.json of a job that runs an existing local image (no build). */
    public static String runImage(String name, String user, int gpus, String image, List<String> command) {
        return "{\"name\": \"" + name + "\", \"executor_name\": \"" + user + "\", \"num_gpus\": " + gpus
                + ", \"build_flag\": false, \"image\": \"" + image + "\", \"run_params\": {\"command\": "
                + json(command) + "}}\n";
    }

    /** container_config.json of a job whose Dockerfile is built. */
    public static String build(String name, String user, int gpus, List<String> command) {
        return "{\"name\": \"" + name + "\", \"executor_name\": \"" + user + "\", \"num_gpus\": " + gpus
                + ", \"build_flag\": true, \"run_params\": {\"command\": " + json(command) + "}}\n";
    }

    /** A zip holding only container_config.json. */
    public static void writeConfigOnly(Path zip, String configJson) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip.toFile())) {
            put(out, "container_config.json", configJson.getBytes(StandardCharsets.UTF_8), 0644);
        }
    }

    /** A zip with the busybox Dockerfile, busybox and container_config.json. */
    public static void writeBusyboxBuild(Path zip, String configJson) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip.toFile())) {
            put(out, "Dockerfile", BUSYBOX_DOCKERFILE.getBytes(StandardCharsets.UTF_8), 0644);
            put(out, "container_config.json", configJson.getBytes(StandardCharsets.UTF_8), 0644);
            put(out, "busybox", Files.readAllBytes(BUSYBOX), 0755);
        }
    }

    /**
     * Moves a finished zip into the user's own inbox folder {@code <inbox>/<user>/} in one rename, as a careful
     * uploader does (the server makes the folder for every known user; it is made here too for a server that is
     * still starting).
     */
    public static Path drop(Path zip, Path inbox, String user) throws IOException {
        Path folder = Files.createDirectories(inbox.resolve(user));
        return Files.move(zip, folder.resolve(zip.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    static void put(ZipArchiveOutputStream zip, String name, byte[] data, int mode) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(0100000 | mode);
        zip.putArchiveEntry(e);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    private static String json(List<String> args) {
        return args.stream().map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
