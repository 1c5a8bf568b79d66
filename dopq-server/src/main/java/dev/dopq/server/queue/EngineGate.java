package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds starts back while the engine is unavailable, so an engine restart does not burn through the queue. After
 * a start failed because of the engine, no start is tried before a back-off (doubling up to a cap) has passed
 * and the engine answers a ping; a start that succeeds resets the back-off. Never sleeps: the queue loop asks
 * {@link #mayStart()} whenever it would start something, and its fallback timer brings it back.
 */
final class EngineGate {
    private static final Logger LOG = LoggerFactory.getLogger(EngineGate.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ContainerRuntime runtime;
    private final Clock clock;
    private Duration backoff = Duration.ZERO;
    private Instant notBefore = Instant.EPOCH;

    EngineGate(ContainerRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
    }

    /** A start failed because the engine did not answer or was not ready: hold further starts back. */
    synchronized void engineFailed() {
        backoff = backoff.isZero() ? FIRST_BACKOFF : min(backoff.multipliedBy(2), MAX_BACKOFF);
        notBefore = clock.instant().plus(backoff);
        LOG.warn("the container engine is unavailable; holding starts back for {}", Outcomes.human(backoff));
    }

    /** A container started: the engine works again. */
    synchronized void started() {
        if (!backoff.isZero()) {
            LOG.info("the container engine starts containers again");
        }
        backoff = Duration.ZERO;
        notBefore = Instant.EPOCH;
    }

    /** Whether a start may be tried now: no back-off pending, or it passed and the engine answers a ping. */
    synchronized boolean mayStart() {
        if (backoff.isZero()) {
            return true;
        }
        Instant now = clock.instant();
        if (now.isBefore(notBefore)) {
            return false;
        }
        if (runtime.ping()) {
            // still careful: the next failure doubles the wait, only a successful start resets it
            notBefore = now;
            return true;
        }
        backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
        notBefore = now.plus(backoff);
        LOG.info("the container engine does not answer yet; next try in {}", Outcomes.human(backoff));
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
