package dev.dopq.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.FilterOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a build context as a tar from a writer thread, so that a multi-gigabyte context is never held in
 * memory or copied to disk a second time. Closing the pipe stops the writer even when the reader gave up early.
 */
final class ContextPipe implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ContextPipe.class);
    private static final int PIPE_BUFFER = 1024 * 1024;

    private final PipedInputStream input;
    private final Thread writer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final long startedAt = System.nanoTime();
    private volatile long packedAt;
    private volatile long bytes;

    private ContextPipe(BuildContext context) throws IOException {
        input = new PipedInputStream(PIPE_BUFFER);
        PipedOutputStream output = new PipedOutputStream(input);
        writer = new Thread(() -> pack(context, output), "dopq-build-context");
        writer.setDaemon(true);
    }

    /** Starts writing {@code context}'s tar; read it from {@link #input()}. */
    static ContextPipe start(BuildContext context) throws IOException {
        ContextPipe pipe = new ContextPipe(context);
        pipe.writer.start();
        return pipe;
    }

    InputStream input() {
        return input;
    }

    /**
     * The error that stopped packing, if any: the context, not the engine, is then to blame. A
     * {@link ZipRejectedException} means the zip was refused part way.
     */
    Exception failure() {
        return failure.get();
    }

    /** Bytes of tar handed to the reader so far. */
    long bytes() {
        return bytes;
    }

    /** Nanoseconds from the start until the whole tar was in the pipe; 0 while packing is not done. */
    long packingNanos() {
        long at = packedAt;
        return at == 0 ? 0 : at - startedAt;
    }

    private void pack(BuildContext context, PipedOutputStream output) {
        OutputStream prompt = new PromptOutput(output);
        try {
            context.writeTar(prompt);
            packedAt = System.nanoTime();
            prompt.close();
        } catch (IOException | RuntimeException e) {
            // Deliberately left unclosed: a clean close would look like the end of a valid (shorter) tar and the
            // engine could build from part of the context. A dead writer makes the reader fail ("Pipe broken"),
            // which aborts the upload.
            failure.set(e);
            LOG.debug("packing build context {} stopped: {}", context.describe(), e.toString());
        }
    }

    /**
     * Wakes the reader after every write. A {@link PipedInputStream} whose buffer ran empty otherwise sleeps until
     * the writer has filled the whole buffer, so packing and sending would take turns instead of overlapping.
     */
    private final class PromptOutput extends FilterOutputStream {
        PromptOutput(PipedOutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
            bytes += len;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    @Override
    public void close() {
        try {
            input.close();
        } catch (IOException e) {
            LOG.debug("closing build context pipe: {}", e.toString());
        }
    }
}
