package dev.dopq.server.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way the server makes threads: pools of named daemon threads with a bounded queue, and single named
 * threads ({@link #thread}). A pool is stopped by its owner with what is left of one {@link Deadline}. An
 * architecture test keeps {@code Executors} and {@code new Thread} inside this package.
 */
public final class Workers implements Executor {
    /** Queue bound of a pool made without one: far above any real backlog, yet a bound. */
    public static final int DEFAULT_QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final String name;
    private final ThreadPoolExecutor pool;

    /** A pool of {@code threads} threads named {@code name-1}, {@code name-2}, ... with a queue of {@link #DEFAULT_QUEUE}. */
    public Workers(String name, int threads) {
        this(name, threads, DEFAULT_QUEUE);
    }

    /**
     * A pool of up to {@code threads} threads named {@code name-N}; idle threads end after a while and come back
     * when work arrives. At most {@code queue} tasks wait; {@link #execute} refuses more.
     */
    public Workers(String name, int threads, int queue) {
        this.name = name;
        this.pool = new ThreadPoolExecutor(threads, threads, IDLE.toMillis(), TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(queue), factory(name), new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code task} on the pool.
     *
     * @throws RejectedExecutionException when the pool is shut down or its queue is full
     */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Whether a task given now would be queued (the pool runs and its queue has room). */
    public boolean hasRoom() {
        return !pool.isShutdown() && pool.getQueue().remainingCapacity() > 0;
    }

    /** Lets queued and running tasks finish for up to {@code wait}, then interrupts them. */
    public void shutdown(Duration wait) {
        shutdown(Deadline.after(wait));
    }

    /** Lets queued and running tasks finish until {@code deadline}, then interrupts them. */
    public void shutdown(Deadline deadline) {
        pool.shutdown();
        awaitOrInterrupt(deadline);
    }

    /** Drops queued tasks and interrupts running ones, then waits for them until {@code deadline}. */
    public void shutdownNow(Deadline deadline) {
        pool.shutdownNow();
        awaitOrInterrupt(deadline);
    }

    private void awaitOrInterrupt(Deadline deadline) {
        try {
            if (!pool.awaitTermination(deadline.left().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: work still running at the stop deadline; interrupting it", name);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A named thread, not started. Daemon threads are for work that a killed server redoes at its next start
     * (a reconcile, a catch-up); a non-daemon thread keeps the JVM alive until it ends.
     */
    public static Thread thread(String name, boolean daemon, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(daemon);
        return t;
    }

    /** Starts a named thread (see {@link #thread}). */
    public static Thread start(String name, boolean daemon, Runnable body) {
        Thread t = thread(name, daemon, body);
        t.start();
        return t;
    }

    private static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        // what a killed worker leaves undone is redone by the reconcile or the catch-up at the next start
        return r -> thread(name + "-" + n.incrementAndGet(), true, r);
    }
}
