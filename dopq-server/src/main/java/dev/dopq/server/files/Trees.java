package dev.dopq.server.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Folder trees the server made under its work dir. */
public final class Trees {
    private Trees() {
    }

    /**
     * Deletes {@code dir} and everything in it; links inside are deleted, never followed. Another thread deleting
     * the same tree at the same time (the finish stage and a preparer both clean a job's context) is not an error:
     * what it removed first is simply gone.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (var walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException | UncheckedIOException goneMeanwhile) {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            throw goneMeanwhile instanceof UncheckedIOException u ? u.getCause() : (IOException) goneMeanwhile;
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
