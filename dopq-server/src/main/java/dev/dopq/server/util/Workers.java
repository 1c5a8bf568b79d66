package dev.dopq.server.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A small pool of named daemon threads that slow work is handed to, with a bounded shutdown. */
public final class Workers implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

    private final String name;
    private final ExecutorService pool;

    public Workers(String name, int threads) {
        this.name = name;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            // what a killed worker leaves undone is redone by the reconcile at the next start
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} on the pool; throws {@link java.util.concurrent.RejectedExecutionException} once shut down. */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Lets queued and running tasks finish for up to {@code wait}, then interrupts them. */
    public void shutdown(Duration wait) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: work still running after {}; interrupting it", name, wait);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
