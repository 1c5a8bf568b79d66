package dev.dopq.server.queue;

import dev.dopq.server.core.Decision;
import dev.dopq.server.gpu.GpuDevice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The full decision shown by {@code dopq queue} and {@code dopq job}: order and a waiting reason for every queued
 * job costs milliseconds with a long queue, so it is computed once and served until its inputs change (the
 * active jobs, the lock, the GPUs) or it is {@link #MAX_AGE} old: usage penalties drift with time, so the order
 * can change with nothing else changing. Concurrent callers of a stale entry compute it once.
 */
final class PreviewCache {
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    /** What the decision was computed from. */
    record Inputs(long changes, boolean locked, List<GpuDevice> devices) {
    }

    private Inputs inputs;
    private Instant computedAt;
    private Decision decision;

    /**
     * Serves the cached decision unless it was made from older inputs or is too old. Callers read their inputs and
     * time before waiting for this lock, so an entry computed by another caller meanwhile counts as fresh for them
     * (newer inputs, a time up to {@link #MAX_AGE} later); otherwise callers queued behind a recompute would each
     * recompute in turn.
     */
    synchronized Decision get(Inputs now, Instant at, Supplier<Decision> compute) {
        boolean fresh = decision != null && covers(inputs, now)
                && Duration.between(computedAt, at).abs().compareTo(MAX_AGE) < 0;
        if (!fresh) {
            decision = compute.get();
            inputs = now;
            computedAt = at;
        }
        return decision;
    }

    private static boolean covers(Inputs cached, Inputs asked) {
        return cached.changes() >= asked.changes() && cached.locked() == asked.locked()
                && cached.devices().equals(asked.devices());
    }
}
