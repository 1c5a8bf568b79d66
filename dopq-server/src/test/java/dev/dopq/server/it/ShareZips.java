package dev.dopq.server.it;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zips with exactly the files and container_config.json a test wants, as users put them on the share
 * (including DoPQ's own format and broken ones): {@code ShareZips.withConfig(json).dropInto(inbox, "ana", "x.zip")}.
 */
final class ShareZips {
    static final String BUSYBOX_DOCKERFILE =
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n";
    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private boolean windows;

    private ShareZips() {
    }

    /** A busybox build context with this Dockerfile and config. */
    static ShareZips withConfig(String configJson) {
        return new ShareZips().file("Dockerfile", BUSYBOX_DOCKERFILE).file("container_config.json", configJson)
                .busybox();
    }

    /** A zip without any file yet. */
    static ShareZips empty() {
        return new ShareZips();
    }

    ShareZips file(String name, String text) {
        files.put(name, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A file with binary content, e.g. an image tar. */
    ShareZips file(String name, byte[] data) {
        files.put(name, data.clone());
        return this;
    }

    ShareZips without(String name) {
        files.remove(name);
        return this;
    }

    /** Entries as a Windows zip tool writes them: platform FAT, no Unix mode bits at all. */
    ShareZips madeOnWindows() {
        windows = true;
        return this;
    }

    ShareZips busybox() {
        try {
            files.put("busybox", Files.readAllBytes(BUSYBOX));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A DoPQ container_config.json with exactly DoPQ's fields. */
    static String dopqConfig(String name, String user, int gpus, String command) {
        return "{\n  \"name\": \"" + name + "\",\n  \"executor_name\": \"" + user + "\",\n  \"num_gpus\": " + gpus
                + ",\n  \"num_slots\": 1,\n  \"required_memory\": \"1g\",\n  \"build_flag\": true,\n"
                + "  \"run_params\": {\"command\": \"" + command.replace("\"", "\\\"") + "\"}\n}\n";
    }

    byte[] bytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipArchiveEntry e = new ZipArchiveEntry(f.getKey());
                if (!windows) {
                    e.setUnixMode(0100000 | (f.getKey().equals("busybox") ? 0755 : 0644));
                }
                zip.putArchiveEntry(e);
                zip.write(f.getValue());
                zip.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** Writes the zip into the user's own folder {@code <inbox>/<user>/}, as users drop zips on the share. */
    Path dropInto(Path inbox, String user, String fileName) throws IOException {
        return writeInto(inbox.resolve(user), fileName);
    }

    /** Writes the zip under a temporary name, then renames it, as a careful uploader would. */
    Path writeInto(Path inbox, String fileName) throws IOException {
        Files.createDirectories(inbox);
        Path part = inbox.resolve(fileName + ".part");
        Files.write(part, bytes());
        return Files.move(part, inbox.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }
}
