package dev.dopq.server.files;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where a zip came from: its name in the inbox and the file's owner (for verify_owner). */
public record SourceInfo(String relativePath, String fileName, String owner) {

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("path", relativePath);
        p.setProperty("file", fileName);
        p.setProperty("owner", owner == null ? "" : owner);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "dopq job source");
        }
    }

    public static SourceInfo read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new SourceInfo(p.getProperty("path", "job.zip"), p.getProperty("file", "job.zip"),
                p.getProperty("owner", ""));
    }

    /** The file name without {@code .zip}. */
    public String baseName() {
        String n = fileName;
        return n.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
    }
}
