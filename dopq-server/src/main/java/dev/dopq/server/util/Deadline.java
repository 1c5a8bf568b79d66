package dev.dopq.server.util;

import java.time.Duration;

/**
 * One point in time that an ordered stop must meet: computed once, and each stage is handed what is {@link #left()}
 * of it instead of a fresh timeout of its own. Measured on the monotonic clock, so a wall-clock jump does not move it.
 */
public final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** The deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** What is left until the deadline; zero once it passed. */
    public Duration left() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    @Override
    public String toString() {
        return left() + " left";
    }
}
