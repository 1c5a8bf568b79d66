package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops containers off the queue thread: a stop waits out the grace period before it kills. */
final class Stopper {
    private static final Logger LOG = LoggerFactory.getLogger(Stopper.class);

    private final ContainerRuntime runtime;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dopq-stopper");
        t.setDaemon(true);
        return t;
    });
    private final Phaser inFlight = new Phaser(1);

    Stopper(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    void stop(String containerId, Duration grace) {
        inFlight.register();
        pool.execute(() -> {
            try {
                runtime.stop(containerId, grace);
            } catch (RuntimeException e) {
                LOG.warn("stopping container {} failed: {}", containerId, e.toString());
            } finally {
                inFlight.arriveAndDeregister();
            }
        });
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

    void shutdown() {
        pool.shutdown();
    }
}
