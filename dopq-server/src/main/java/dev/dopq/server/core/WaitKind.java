package dev.dopq.server.core;

import java.util.Locale;

/**
 * Why a queued job waits, as a kind with a handful of values (the reason text is for people; this is for metrics and
 * anything else that must not parse that text).
 */
public enum WaitKind {
    /** The queue is locked by an admin. */
    LOCKED,
    /** Held by its owner or an admin ({@code dopq hold}). */
    HOLD,
    /** Can never start here (more GPUs or GPU memory than any machine has). */
    IMPOSSIBLE,
    /** Waits for other jobs to end ({@code after}, {@code after_any}). */
    DEPENDENCY,
    /** Its array runs {@code max_parallel} jobs already. */
    ARRAY_LIMIT,
    /** Its user's quota ({@code max_gpus}, {@code max_gpu_hours_per_day}). */
    QUOTA,
    /** The GPUs are held for another job that waits ahead of it. */
    RESERVED,
    /** Waits behind other jobs in the fair-share order. */
    BEHIND,
    /** Not enough GPUs (or GPU memory) free, and it is the first in line. */
    GPUS;

    /** The metric label: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
