package dev.dopq.server.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Moves files between the share and the work dir. They are often on different file systems (the inbox on NFS or
 * Samba, the state on a local disk), where no atomic rename exists: then the file is copied under a temporary
 * name next to the target, renamed into place, and only then removed from where it was, so that at every moment
 * a complete copy exists under its final name or the original stays.
 */
public final class Moves {
    private Moves() {
    }

    public static Path move(Path from, Path to) throws IOException {
        try {
            return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException otherFileSystem) {
            Path part = to.resolveSibling(to.getFileName() + ".part");
            try {
                Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                Files.move(part, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // a copy cut short (a full disk) must not keep the space it took; the original is still there
                Files.deleteIfExists(part);
                throw e;
            }
            Files.delete(from);
            return to;
        }
    }
}
