package dev.dopq.container;

import java.io.Closeable;
import java.time.Duration;

/** A followed container log: ends by itself with the container, or when closed. */
public interface LogStream extends Closeable {

    /**
     * Waits until the engine ended the stream (the container stopped and its last output was written), at most
     * {@code wait}. Returns whether it ended in time.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitEnd(Duration wait) throws InterruptedException;

    /** Closes the stream (and the log file); closing twice is fine. Never throws. */
    @Override
    void close();
}
