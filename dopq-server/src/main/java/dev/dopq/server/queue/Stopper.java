package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.Workers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops containers off the queue thread: a stop waits out the grace period before it kills. */
final class Stopper {
    /** Stops that wait out their grace at the same time (a stop of all running jobs should not queue behind). */
    static final int THREADS = 32;
    /** Stops that may wait for a thread. */
    static final int QUEUE = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Stopper.class);

    private final ContainerRuntime runtime;
    private final Workers pool = new Workers("dopq-stopper", THREADS, QUEUE);
    private final Phaser inFlight = new Phaser(1);

    Stopper(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    void stop(String containerId, Duration grace) {
        inFlight.register();
        try {
            pool.execute(() -> {
                try {
                    runtime.stop(containerId, grace);
                } catch (RuntimeException e) {
                    LOG.warn("stopping container {} failed: {}", containerId, e.toString());
                } finally {
                    inFlight.arriveAndDeregister();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.arriveAndDeregister();
            LOG.error("container {} not stopped: {} stops are waiting already, or the server is stopping",
                    containerId, QUEUE);
        }
    }

    /** Waits until no stop is in flight, at most {@code wait}. */
    void awaitIdle(Duration wait) {
        try {
            int phase = inFlight.arrive();
            inFlight.awaitAdvanceInterruptibly(phase, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn("containers still stopping after {}", wait);
        }
    }

    /** Lets stops in flight go on until {@code deadline}; the engine kills what the grace did not stop. */
    void shutdown(Deadline deadline) {
        pool.shutdown(deadline);
    }
}
