package dev.dopq.server.backend.slurm;

import dev.dopq.container.LogStream;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Copies what a node appends to a run's output file (on the shared folder) into the attempt's log, so
 * {@code dopq logs -f} reads it as it does on the local backend. Closing copies what is left first.
 */
final class LogTail implements LogStream {
    private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);

    private final Path source;
    private final Path target;
    private final Consumer<LogTail> onClose;
    private long offset;
    private boolean closed;

    /** {@code onClose}: stops calling {@link #copySafely()} (the owner's copy loop holds the tails). */
    LogTail(Path source, Path target, Consumer<LogTail> onClose) {
        this.source = source;
        this.target = target;
        this.onClose = onClose;
    }

    void copySafely() {
        try {
            copy();
        } catch (IOException | RuntimeException e) {
            LOG.debug("copying {} to {}: {}", source, target, e.toString());
        }
    }

    /** Appends the bytes after the last copied one; the node may have replaced the file by a complete copy. */
    synchronized void copy() throws IOException {
        if (closed || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (in.size() <= offset) {
                return;
            }
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                in.position(offset);
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf.array(), 0, n);
                    offset += n;
                    buf.clear();
                }
            }
        }
    }

    /** The node wrote the output file completely before Slurm reported the run's end: copies what is left. */
    @Override
    public boolean awaitEnd(Duration wait) {
        copySafely();
        return true;
    }

    @Override
    public void close() {
        onClose.accept(this);
        try {
            copy();
        } catch (IOException e) {
            LOG.warn("the last output of {} could not be copied: {}", source, e.toString());
        }
        synchronized (this) {
            closed = true;
        }
    }
}
