package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A user's fair-share penalty: the lower it is, the earlier the user's queued jobs start.
 * <p>
 * Implementations are maintained incrementally: each event costs O(1) (amortized), each lookup O(1) in the
 * size of the history (a usage lookup walks only the user's running jobs). History is never rescanned per
 * comparison. Time always comes in as an argument. Implementations are thread-safe.
 */
public interface PenaltyPolicy {

    /** A job moved to RUNNING; {@code job.gpus()} and {@code job.startedAt()} are set. */
    void onStarted(Job job, Instant at);

    /**
     * A job that ran ended: reached a terminal state or went back to the queue for a retry. Also used to
     * replay history at start, oldest finish first.
     */
    void onFinished(Job job, Instant at);

    /** The user's penalty at {@code now}; 0 for a user never seen. */
    double penalty(String user, Instant now);

    /** Every user with a non-zero penalty or a running job, with its penalty at {@code now}. */
    Map<String, Double> penalties(Instant now);

    /**
     * The policy and its parameters, as {@link PenaltySnapshot#policy()} records them: two policies with the same
     * description give the same penalties for the same history.
     */
    String description();

    /** What the policy holds from finished jobs, without the running ones. */
    PenaltySnapshot snapshot();

    /**
     * Replaces what the policy holds from finished jobs by {@code snapshot}; running jobs are left as they are.
     *
     * @throws IllegalArgumentException when the snapshot was taken of a policy with another description
     */
    void restore(PenaltySnapshot snapshot);

    /** DoPQ's rule: the sum of {@code e^-i} over the user's positions i in the finished history, newest first. */
    static PenaltyPolicy dopq() {
        return new DopqPenaltyPolicy();
    }

    /**
     * GPU-seconds with exponential decay.
     *
     * @param halfLife  time after which past usage counts half
     * @param cpuWeight what one second of a CPU-only job counts, in GPU-seconds
     */
    static PenaltyPolicy usage(Duration halfLife, double cpuWeight) {
        return new UsagePenaltyPolicy(halfLife, cpuWeight);
    }

    /**
     * The policy configured as {@code [queue] penalty}.
     *
     * @param name "usage" or "dopq" (case-insensitive)
     * @throws IllegalArgumentException for any other name
     */
    static PenaltyPolicy named(String name, Duration halfLife, double cpuWeight) {
        String normalized = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (normalized) {
            case "usage" -> usage(halfLife, cpuWeight);
            case "dopq" -> dopq();
            default -> throw new IllegalArgumentException(
                    "penalty \"" + name + "\" is unknown; use usage or dopq");
        };
    }
}
