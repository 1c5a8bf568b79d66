package dev.dopq.server.files;

import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a zip came from, as recorded when it was taken: its name in the inbox, the file's owner (name and uid, for
 * {@code identity = owner}), the inbox folder it was in ({@code <inbox>/<folder>/...}, empty at the inbox root;
 * for uploads the uploader) and whether it was uploaded through the API.
 */
public record SourceInfo(String relativePath, String fileName, String owner, long ownerUid, String folder,
                         boolean upload) {
    /** The uid when the file system has none (or it could not be read). */
    public static final long NO_UID = -1;

    public SourceInfo {
        owner = owner == null ? "" : owner;
        folder = folder == null ? "" : folder;
    }

    /** A zip from the share, before its folder is known (old records, tests). */
    public SourceInfo(String relativePath, String fileName, String owner) {
        this(relativePath, fileName, owner, NO_UID, "", false);
    }

    /** A zip uploaded through the API by {@code uploader}. */
    public static SourceInfo upload(String fileName, String uploader) {
        return new SourceInfo(fileName, Path.of(fileName).getFileName().toString(), uploader, NO_UID, uploader,
                true);
    }

    /** A zip taken from the share at {@code relativePath} (relative to the inbox). */
    public static SourceInfo share(String relativePath, String owner, long ownerUid) {
        Path rel = Path.of(relativePath);
        String folder = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
        return new SourceInfo(relativePath, rel.getFileName().toString(), owner, ownerUid, folder, false);
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("path", relativePath);
        p.setProperty("file", fileName);
        p.setProperty("owner", owner);
        p.setProperty("owner.uid", Long.toString(ownerUid));
        p.setProperty("folder", folder);
        p.setProperty("upload", Boolean.toString(upload));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            p.store(w, "dopq job source");
        }
    }

    public static SourceInfo read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        long uid;
        try {
            uid = Long.parseLong(p.getProperty("owner.uid", "-1"));
        } catch (NumberFormatException e) {
            uid = NO_UID;
        }
        return new SourceInfo(p.getProperty("path", "job.zip"), p.getProperty("file", "job.zip"),
                p.getProperty("owner", ""), uid, p.getProperty("folder", ""),
                Boolean.parseBoolean(p.getProperty("upload", "false")));
    }

    /** The file name without {@code .zip}. */
    public String baseName() {
        String n = fileName;
        return n.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
    }
}
