package dev.dopq.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Zips a build-context folder for upload: Unix permissions kept (so scripts stay executable in the image),
 * {@code .git} left out, symbolic links skipped (the server refuses them) and reported.
 */
final class ContextZip {
    private final List<Path> skippedLinks = new ArrayList<>();

    /** Symbolic links found and left out of the last zip. */
    List<Path> skippedLinks() {
        return List.copyOf(skippedLinks);
    }

    /**
     * Zips {@code dir}'s content; {@code extra} (name and bytes, e.g. a generated container_config.json) is added
     * when not null, in place of the folder's file of that name if it has one.
     */
    byte[] zip(Path dir, String extraName, byte[] extra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Path path : contents(dir)) {
                // the extra file replaces the folder's file of the same name (a config with flags applied)
                if (extra == null || !dir.relativize(path).toString().replace('\\', '/').equals(extraName)) {
                    add(zip, dir, path);
                }
            }
            if (extra != null) {
                ZipArchiveEntry entry = new ZipArchiveEntry(extraName);
                entry.setUnixMode(UnixStat.FILE_FLAG | 0644);
                zip.putArchiveEntry(entry);
                zip.write(extra);
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private List<Path> contents(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        skippedLinks.clear();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(dir) && d.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!d.equals(dir)) {
                    paths.add(d);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    skippedLinks.add(dir.relativize(file));
                } else if (attrs.isRegularFile()) {
                    paths.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        paths.sort(null);
        return paths;
    }

    private static void add(ZipArchiveOutputStream zip, Path root, Path path) throws IOException {
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        String name = root.relativize(path).toString().replace('\\', '/') + (directory ? "/" : "");
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode((directory ? UnixStat.DIR_FLAG : UnixStat.FILE_FLAG) | mode(path, directory));
        entry.setTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis());
        zip.putArchiveEntry(entry);
        if (!directory) {
            copy(path, zip);
        }
        zip.closeArchiveEntry();
    }

    private static void copy(Path file, OutputStream out) throws IOException {
        Files.copy(file, out);
    }

    private static int mode(Path path, boolean directory) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission p : permissions) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode;
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): fall back to what the file system can tell.
            return directory || Files.isExecutable(path) ? 0755 : 0644;
        }
    }
}
