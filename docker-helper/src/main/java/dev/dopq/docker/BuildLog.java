package dev.dopq.docker;

import java.nio.file.StandardOpenOption;
import java.nio.file.LinkOption;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-job build log file. Flushed after every write so that users can follow a build while it runs. A disk
 * problem while logging is reported once and does not fail the build it describes.
 */
final class BuildLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(BuildLog.class);

    private final Path path;
    private final BufferedWriter writer;
    private boolean failed;

    private BuildLog(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /** Creates or truncates the log at {@code path}, creating its folder if needed. */
    static BuildLog open(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new BuildLog(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write build log " + path, e);
        }
    }

    /** Appends {@code text} as is (engine stream items carry their own line ends). */
    synchronized void write(String text) {
        if (failed || text == null || text.isEmpty()) {
            return;
        }
        try {
            writer.write(text);
            writer.flush();
        } catch (IOException e) {
            failed = true;
            LOG.warn("build log {} stopped being written: {}", path, e.toString());
        }
    }

    /** Appends {@code text} and a line end. */
    void line(String text) {
        write(text + "\n");
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("could not close build log {}: {}", path, e.toString());
        }
    }
}
