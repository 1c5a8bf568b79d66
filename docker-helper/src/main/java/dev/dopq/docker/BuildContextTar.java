package dev.dopq.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Packs a build context folder into the tar stream the Docker engine expects. Permissions are copied so that
 * scripts stay executable, ownership is root's (as {@code docker build} sends it), and {@code .dockerignore} is
 * honoured like the Docker CLI does.
 */
public final class BuildContextTar {

    /** Always sent, even when ignored, because the engine needs them (as the Docker CLI does). */
    private static final Set<String> ALWAYS_SENT = Set.of("Dockerfile", DockerIgnore.FILE_NAME);
    private static final int TYPE_FILE = 0100000;
    private static final int TYPE_DIR = 0040000;

    /** Bytes per read from a context file: fewer system calls than the 8 KiB of {@code transferTo}. */
    private static final int BUFFER = 128 * 1024;

    private final DockerIgnore ignore;
    private final TarArchiveOutputStream tar;
    private final byte[] buffer = new byte[BUFFER];

    private BuildContextTar(DockerIgnore ignore, TarArchiveOutputStream tar) {
        this.ignore = ignore;
        this.tar = tar;
    }

    /**
     * Writes {@code contextDir} as a tar to {@code out}, in name order. POSIX permissions are kept, long names
     * and large sizes use POSIX (PAX) headers, uid/gid are 0, and {@code .dockerignore} rules (patterns,
     * {@code !} exceptions, {@code **}) are honoured. Finishes the tar but leaves {@code out} open.
     *
     * @throws IOException when reading fails or the context holds a symbolic link or another non-regular file
     */
    public static void write(Path contextDir, OutputStream out) throws IOException {
        DockerIgnore ignore = DockerIgnore.read(contextDir);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        new BuildContextTar(ignore, tar).writeChildren(contextDir, "");
        tar.finish();
        tar.flush();
    }

    private void writeChildren(Path dir, String prefix) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            PosixFileAttributes attrs = Files.readAttributes(child, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            boolean excluded = ignore.excludes(name) && !(prefix.isEmpty() && ALWAYS_SENT.contains(name));
            if (attrs.isDirectory()) {
                if (!excluded) {
                    tar.putArchiveEntry(entry(name + "/", attrs, TYPE_DIR));
                    tar.closeArchiveEntry();
                }
                // an excluded folder may still hold files that a "!" rule brings back
                if (!excluded || ignore.hasExceptions()) {
                    writeChildren(child, name + "/");
                }
            } else if (attrs.isSymbolicLink()) {
                throw new IOException("symbolic links are not allowed in a build context: " + name);
            } else if (!attrs.isRegularFile()) {
                throw new IOException("only regular files and folders are allowed in a build context: " + name);
            } else if (!excluded) {
                writeFile(child, name, attrs);
            }
        }
    }

    private void writeFile(Path file, String name, PosixFileAttributes attrs) throws IOException {
        TarArchiveEntry entry = entry(name, attrs, TYPE_FILE);
        entry.setSize(attrs.size());
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long copied = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                tar.write(buffer, 0, n);
                copied += n;
            }
            if (copied != attrs.size()) {
                throw new IOException("file changed while packing the build context: " + name);
            }
        }
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, PosixFileAttributes attrs, int type) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(type | mode(attrs.permissions()));
        entry.setModTime(attrs.lastModifiedTime());
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }

    /** The classic octal permission bits of a POSIX permission set. */
    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            // PosixFilePermission is declared from OWNER_READ (0400) down to OTHERS_EXECUTE (0001)
            mode |= 0400 >> permission.ordinal();
        }
        return mode;
    }
}
