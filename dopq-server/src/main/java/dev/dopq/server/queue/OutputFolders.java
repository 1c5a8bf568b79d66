package dev.dopq.server.queue;

import dev.dopq.container.ContainerUser;
import dev.dopq.docker.EngineSecurity;
import dev.dopq.server.core.DopqException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The {@code <output>/<user>/} folders mounted at {@code /output}: made by the server, owned by the user's job uid,
 * mode 0700 (no other user's job, nor another local account, reads or plants anything there), and never a link:
 * the engine follows links at a bind mount's source, so a link planted there would mount any host folder.
 */
public final class OutputFolders {
    private static final Logger LOG = LoggerFactory.getLogger(OutputFolders.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final EngineSecurity engine;

    /** @param root the admin's {@code [docker] output} folder */
    public OutputFolders(Path root, EngineSecurity engine) {
        this.root = root;
        this.engine = engine;
    }

    /**
     * Makes (or checks) {@code user}'s folder for a job running as {@code owner} and returns the path to mount: the
     * real path, which the check proved is directly inside the output folder.
     *
     * @throws OutputFolderException when the folder is a link, not a folder, or cannot be given to the job's uid
     */
    public String prepare(String user, ContainerUser owner) {
        Path dir;
        try {
            Files.createDirectories(root);
            Path realRoot = root.toRealPath();
            dir = realRoot.resolve(user);
            create(dir);
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, NOFOLLOW)) {
                LOG.warn("refusing to mount {} for {}: it is a link or not a folder", dir, user);
                throw new OutputFolderException("the output folder " + dir + " is a link or not a folder; an admin"
                        + " must remove it (the server makes it)");
            }
            own(dir, engine.hostUid(owner.uid()), engine.hostGid(owner.gid()));
            Path real = dir.toRealPath();
            if (!real.equals(dir) || !real.getParent().equals(realRoot)) {
                throw new OutputFolderException("the output folder " + dir + " resolves to " + real
                        + "; refusing to mount it");
            }
            return real.toString();
        } catch (IOException e) {
            throw new OutputFolderException("cannot prepare the output folder of " + user + " in " + root + ": "
                    + e.getMessage(), e);
        }
    }

    private static void create(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // checked by the caller, without following links
        }
    }

    /** Gives the folder to the job's uid, owner-only; needs root or CAP_CHOWN unless it already is so. */
    private static void own(Path dir, long uid, long gid) throws IOException {
        if (((Number) Files.getAttribute(dir, "unix:uid", NOFOLLOW)).longValue() != uid
                || ((Number) Files.getAttribute(dir, "unix:gid", NOFOLLOW)).longValue() != gid) {
            try {
                Files.setAttribute(dir, "unix:gid", (int) gid, NOFOLLOW);
                Files.setAttribute(dir, "unix:uid", (int) uid, NOFOLLOW);
            } catch (IOException | SecurityException e) {
                throw new OutputFolderException("cannot give the output folder " + dir + " to uid " + uid + ":" + gid
                        + " (" + e + "); run the server with CAP_CHOWN or make the folder owned by " + uid + ":"
                        + gid + " with mode 700", e);
            }
        }
        if (!Files.getPosixFilePermissions(dir, NOFOLLOW).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }

    /** An output folder that cannot be mounted safely. */
    public static final class OutputFolderException extends DopqException {
        private static final long serialVersionUID = 1L;

        public OutputFolderException(String message) {
            super(message);
        }

        public OutputFolderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
