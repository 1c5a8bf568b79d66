package dev.dopq.server.core;

/**
 * Why a QUEUED job went back to the queue after it had been RUNNING. A field of the job, so code decides on it
 * instead of on the wording of {@code reason} (which is for people only).
 */
public enum RequeueCause {
    /** A failed attempt that is retried; it used up one of the job's {@code retries}. */
    RETRY,
    /**
     * The engine was unreachable while the container was created or started: the job's code never ran, the attempt
     * number is unchanged, and the engine may have kept the container it created (removed before the next start).
     */
    ENGINE_UNAVAILABLE,
    /**
     * The attempt was killed by the engine's own stop (a daemon restart without live-restore). It is a lost
     * attempt: counted in {@link Job#lostAttempts()}, it does not use up {@code retries}.
     */
    ENGINE_RESTART,
    /**
     * The run was lost with its node (a Slurm node that died or was taken out under it). A lost attempt like
     * {@link #ENGINE_RESTART}: counted in {@link Job#lostAttempts()}, it does not use up {@code retries}.
     */
    NODE_LOST;

    /** Whether a container of the job's current attempt may still exist in the engine. */
    public boolean leftoverPossible() {
        return this == ENGINE_UNAVAILABLE;
    }
}
