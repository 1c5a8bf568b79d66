package dev.dopq.server.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A named thread running one iteration after another, woken by {@link #signal()} or a fallback timer.
 * A failing iteration is logged and the loop goes on; {@link #stop(Duration)} is idempotent and bounded.
 */
public final class WorkerLoop {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(2);

    /** One pass of work. */
    @FunctionalInterface
    public interface Iteration {
        void run() throws Exception;
    }

    private final String name;
    private final Iteration iteration;
    private final Wakeup wakeup;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread thread;

    public WorkerLoop(String name, Duration fallback, Iteration iteration) {
        this.name = name;
        this.iteration = iteration;
        this.wakeup = new Wakeup(fallback);
    }

    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        Thread t = Workers.thread(name, false, this::loop);
        thread = t;
        t.start();
    }

    public void signal() {
        wakeup.signal();
    }

    private void loop() {
        while (running.get()) {
            try {
                iteration.run();
            } catch (InterruptedException e) {
                if (!running.get()) {
                    break;
                }
                Thread.currentThread().interrupt();
                break;
            } catch (Exception | LinkageError e) {
                LOG.error("{}: iteration failed, continuing", name, e);
            }
            try {
                if (running.get()) {
                    wakeup.await();
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        LOG.debug("{} stopped", name);
    }

    /** Stops the loop: lets the current iteration finish for up to {@code timeout}, then interrupts it. */
    public void stop(Duration timeout) {
        stop(Deadline.after(timeout));
    }

    /**
     * Stops the loop: lets the current iteration finish until {@code deadline}, then interrupts it and waits for
     * it a short while more (an interrupted iteration ends quickly).
     */
    public void stop(Deadline deadline) {
        Thread t = thread;
        if (!running.compareAndSet(true, false) || t == null) {
            return;
        }
        wakeup.signal();
        try {
            // join(0) would wait for ever
            t.join(Math.max(1, deadline.left().toMillis()));
            if (t.isAlive()) {
                t.interrupt();
                t.join(AFTER_INTERRUPT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isCurrentThread() {
        return Thread.currentThread() == thread;
    }
}
