package dev.dopq.server.testutil;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job zips for tests: a tiny image from the static busybox on this machine ({@code FROM scratch}), no registry.
 * {@code aZip().user("ana").command("sh", "-c", "exit 3").writeInto(inbox, "fails.zip")}.
 */
public final class JobZips {
    public static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    private String name = "job";
    private String user = "ana";
    private int gpus = 1;
    private String commandJson = "[\"true\"]";
    private final Map<String, String> extra = new LinkedHashMap<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private String dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";

    public static JobZips aZip() {
        return new JobZips();
    }

    public JobZips name(String n) { name = n; return this; }
    public JobZips user(String u) { user = u; return this; }
    public JobZips gpus(int g) { gpus = g; return this; }
    public JobZips dockerfile(String d) { dockerfile = d; return this; }
    /** One more file, after the usual ones (so last in the zip). */
    public JobZips withFile(String fileName, byte[] content) { files.put(fileName, content); return this; }

    /** Extra raw JSON fields, e.g. {@code field("timeout", "\"3s\"")}. */
    public JobZips field(String key, String rawJson) {
        extra.put(key, rawJson);
        return this;
    }

    public JobZips command(String... args) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(args[i].replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        commandJson = sb.append(']').toString();
        return this;
    }

    public String configJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"name\": \"").append(name).append("\",\n");
        sb.append("  \"executor_name\": \"").append(user).append("\",\n");
        sb.append("  \"num_gpus\": ").append(gpus).append(",\n");
        sb.append("  \"build_flag\": true,\n");
        extra.forEach((k, v) -> sb.append("  \"").append(k).append("\": ").append(v).append(",\n"));
        sb.append("  \"run_params\": {\"command\": ").append(commandJson).append("}\n}\n");
        return sb.toString();
    }

    public byte[] bytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            put(zip, "Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8), 0644);
            put(zip, "container_config.json", configJson().getBytes(StandardCharsets.UTF_8), 0644);
            put(zip, "busybox", Files.readAllBytes(BUSYBOX), 0755);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                put(zip, file.getKey(), file.getValue(), 0644);
            }
        }
        return out.toByteArray();
    }

    /** Writes the zip under a temporary name, then renames it, as a careful uploader would. */
    /** Drops the zip into its user's own inbox folder {@code <inbox>/<user>/}, as users do on the share. */
    public Path dropInto(Path inbox, String fileName) throws IOException {
        return writeInto(inbox.resolve(user), fileName);
    }

    public Path writeInto(Path inbox, String fileName) throws IOException {
        Files.createDirectories(inbox);
        Path part = inbox.resolve(fileName + ".part");
        Files.write(part, bytes());
        return Files.move(part, inbox.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void put(ZipArchiveOutputStream zip, String name, byte[] data, int mode) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(0100000 | mode);
        zip.putArchiveEntry(e);
        zip.write(data);
        zip.closeArchiveEntry();
    }
}
