package dev.dopq.server.util;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes a worker loop on events; the fallback timeout catches what events miss. */
public final class Wakeup {
    private final Semaphore work = new Semaphore(0);
    private final Duration fallback;

    public Wakeup(Duration fallback) {
        this.fallback = fallback;
    }

    public void signal() {
        work.release();
    }

    /** Waits for a signal or the fallback period, then forgets signals that piled up meanwhile. */
    public void await() throws InterruptedException {
        work.tryAcquire(fallback.toMillis(), TimeUnit.MILLISECONDS);
        work.drainPermits();
    }
}
