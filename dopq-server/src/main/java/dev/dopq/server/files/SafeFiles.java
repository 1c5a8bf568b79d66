package dev.dopq.server.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Writes on folders other people can write to (the share) without ever following a link someone planted there.
 * A folder is reached from a trusted root one name at a time, each opened relative to the one before without
 * following links ({@code openat} with {@code O_NOFOLLOW}), so a link at any level is refused instead of entered,
 * even when it is swapped in between a check and the use. A file is written to a new temporary file created with
 * {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} in its target folder and then renamed over its final name in that
 * same folder, so readers see the old or the new file whole and a link at the final name is replaced, not followed.
 */
public final class SafeFiles {
    /** Folders only their owner (the server, or the user it chowns them to) can read: results, state. */
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    /** Files only their owner can read. */
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private SafeFiles() {
    }

    /**
     * Opens (creating what is missing, with {@code mode}) the folder {@code root/names...}. The root is the admin's
     * and is trusted; every name below it must be a plain folder name and a real folder, never a link.
     *
     * @throws LinkRefusedException when a link (or a file) stands where a folder should be
     */
    public static Folder open(Path root, List<String> names, Set<PosixFilePermission> mode) throws IOException {
        Path real = root.toRealPath();
        SecureDirectoryStream<Path> current = secure(real);
        Path where = real;
        try {
            for (String name : names) {
                checkName(name);
                where = where.resolve(name);
                SecureDirectoryStream<Path> next = enter(current, where, name, mode);
                current.close();
                current = next;
            }
            return new Folder(where, current);
        } catch (IOException | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    /** True when {@code path} itself (not what it points to) is a symbolic link. */
    public static boolean isLink(Path path) {
        return Files.isSymbolicLink(path);
    }

    private static SecureDirectoryStream<Path> secure(Path dir) throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
        if (ds instanceof SecureDirectoryStream<Path> sds) {
            return sds;
        }
        ds.close();
        throw new IOException("this platform cannot open folders without following links (" + dir + ")");
    }

    private static SecureDirectoryStream<Path> enter(SecureDirectoryStream<Path> parent, Path where, String name,
                                                     Set<PosixFilePermission> mode) throws IOException {
        Path rel = Path.of(name);
        if (!exists(parent, rel)) {
            try {
                Files.createDirectory(where, PosixFilePermissions.asFileAttribute(mode));
                Files.setPosixFilePermissions(where, mode); // the umask narrowed what was asked
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile (by us or a user); what it is gets checked below
            }
        }
        BasicFileAttributes a = attributes(parent, rel);
        if (a == null || a.isSymbolicLink() || !a.isDirectory()) {
            throw new LinkRefusedException(where, a == null ? "vanished" : a.isSymbolicLink() ? "is a link"
                    : "is not a folder");
        }
        try {
            return (SecureDirectoryStream<Path>) parent.newDirectoryStream(rel, LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
            // ELOOP: it became a link after the check above
            throw new LinkRefusedException(where, "could not be opened without following links (" + e.getReason()
                    + ")");
        }
    }

    private static boolean exists(SecureDirectoryStream<Path> dir, Path rel) throws IOException {
        return attributes(dir, rel) != null;
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path rel) throws IOException {
        try {
            return dir.getFileAttributeView(rel, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: \"" + name + "\"");
        }
    }

    /**
     * A folder opened without following links. Every file operation is relative to it, so it stays the folder that
     * was checked whatever happens to the path meanwhile.
     */
    public static final class Folder implements AutoCloseable {
        private final Path path;
        private final SecureDirectoryStream<Path> dir;

        private Folder(Path path, SecureDirectoryStream<Path> dir) {
            this.path = path;
            this.dir = dir;
        }

        /** Where the folder was when it was opened (for messages and logs). */
        public Path path() {
            return path;
        }

        /** Opens a sub-folder (creating it with {@code mode} when missing); a link there is refused. */
        public Folder folder(String name, Set<PosixFilePermission> mode) throws IOException {
            checkName(name);
            return new Folder(path.resolve(name), enter(dir, path.resolve(name), name, mode));
        }

        /** True when something (a file, a folder or a link) has this name here. */
        public boolean has(String name) throws IOException {
            checkName(name);
            return exists(dir, Path.of(name));
        }

        /** Writes {@code content} as {@code name}: a new temporary file, then a rename over the name. */
        public void write(String name, byte[] content, Set<PosixFilePermission> mode) throws IOException {
            try (InputStream in = new java.io.ByteArrayInputStream(content)) {
                write(name, in, mode);
            }
        }

        /** Copies {@code source} (a file of the server's own, read without following links) in as {@code name}. */
        public void copy(Path source, String name, Set<PosixFilePermission> mode) throws IOException {
            try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
                write(name, in, mode);
            }
        }

        /** Streams {@code in} into {@code name}: a new temporary file, then a rename over the name. */
        public void write(String name, InputStream in, Set<PosixFilePermission> mode) throws IOException {
            checkName(name);
            Path tmp = Path.of("." + name + "." + UUID.randomUUID() + ".tmp");
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            FileAttribute<Set<PosixFilePermission>> perms = PosixFilePermissions.asFileAttribute(mode);
            try {
                try (SeekableByteChannel ch = dir.newByteChannel(tmp, options, perms)) {
                    in.transferTo(Channels.newOutputStream(ch));
                }
                dir.move(tmp, dir, Path.of(name));
            } catch (IOException | RuntimeException e) {
                deleteQuietly(tmp);
                throw e;
            }
        }

        /** Sets the owner of {@code name} here (not following a link). */
        public void chown(String name, java.nio.file.attribute.UserPrincipal owner) throws IOException {
            checkName(name);
            dir.getFileAttributeView(Path.of(name), java.nio.file.attribute.PosixFileAttributeView.class, NOFOLLOW)
                    .setOwner(owner);
        }

        /** Sets the owner of this folder itself. */
        public void chownSelf(java.nio.file.attribute.UserPrincipal owner) throws IOException {
            dir.getFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class).setOwner(owner);
        }

        private void deleteQuietly(Path tmp) {
            try {
                dir.deleteFile(tmp);
            } catch (IOException ignored) {
                // nothing was created, or it is gone already
            }
        }

        @Override
        public void close() throws IOException {
            dir.close();
        }
    }
}
