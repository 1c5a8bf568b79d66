package dev.dopq.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a writer on its own thread into a pipe that the engine upload reads, so a large tar is rewritten on the fly
 * without a second copy on disk. A writer that fails leaves the pipe unclosed: the reader then fails instead of
 * taking a shorter stream for a complete one.
 */
final class CopyPipe implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyPipe.class);
    private static final int PIPE_BUFFER = 1024 * 1024;

    /** Writes the whole stream. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private final PipedInputStream input;
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    private CopyPipe() {
        input = new PipedInputStream(PIPE_BUFFER);
    }

    static CopyPipe start(Writer writer, String threadName) throws IOException {
        CopyPipe pipe = new CopyPipe();
        PipedOutputStream output = new PipedOutputStream(pipe.input);
        Thread t = new Thread(() -> pipe.run(writer, output), threadName);
        t.setDaemon(true);
        t.start();
        return pipe;
    }

    private void run(Writer writer, PipedOutputStream output) {
        try {
            writer.write(output);
            output.close();
        } catch (IOException | RuntimeException e) {
            failure.set(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            LOG.debug("writing into the pipe stopped: {}", e.toString());
        }
    }

    InputStream input() {
        return input;
    }

    /** Why the writer stopped early, or null. */
    IOException failure() {
        return failure.get();
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            LOG.debug("closing the pipe: {}", e.toString());
        }
    }
}
