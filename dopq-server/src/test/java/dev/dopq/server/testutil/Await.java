package dev.dopq.server.testutil;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Polls a condition until it holds or a deadline passes; for tests only (main code waits on events). */
public final class Await {
    private static final long PAUSE_MILLIS = 200;

    /** Something that may answer now, or not yet (empty). */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> check() throws Exception;
    }

    private Await() {
    }

    /** The first non-empty answer of {@code probe} within {@code within}, or an AssertionError naming {@code what}. */
    public static <T> T until(String what, Duration within, Probe<T> probe) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Optional<T> hit = probe.check();
            if (hit.isPresent()) {
                return hit.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("gave up after " + within + " waiting for " + what);
            }
            Thread.sleep(PAUSE_MILLIS);
        }
    }
}
