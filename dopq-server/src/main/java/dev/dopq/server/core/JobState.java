package dev.dopq.server.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * The job lifecycle as a state machine.
 * <pre>
 * RECEIVED -> BUILDING -> QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED
 *     \            \          \
 *      REJECTED     FAILED     CANCELLED
 * </pre>
 * RUNNING -> QUEUED is a retry of a failed attempt; RUNNING/BUILDING -> RECEIVED... is never allowed.
 * Terminal states never change.
 */
public enum JobState {
    RECEIVED, BUILDING, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, REJECTED;

    private static final Set<JobState> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED, REJECTED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** States a job in this state may move to. */
    public Set<JobState> successors() {
        return switch (this) {
            case RECEIVED -> EnumSet.of(BUILDING, REJECTED, FAILED, CANCELLED);
            case BUILDING -> EnumSet.of(QUEUED, REJECTED, FAILED, CANCELLED);
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED);
            case SUCCEEDED, FAILED, CANCELLED, REJECTED -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canMoveTo(JobState next) {
        return successors().contains(next);
    }

    /** Returns {@code next} when the move is allowed. */
    public JobState to(JobState next, long jobId) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(jobId, this, next);
        }
        return next;
    }

    public static Set<JobState> terminal() {
        return EnumSet.copyOf(TERMINAL);
    }
}
