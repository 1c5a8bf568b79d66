package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;

import java.time.Clock;

/** Keeps the penalty policy in step with jobs starting and ending. */
public final class PenaltyTracker implements Jobs.Listener {
    private final PenaltyPolicy penalties;
    private final Clock clock;

    public PenaltyTracker(PenaltyPolicy penalties, Clock clock) {
        this.penalties = penalties;
        this.clock = clock;
    }

    @Override
    public void changed(Job before, Job after) {
        boolean wasRunning = before != null && before.state() == JobState.RUNNING;
        boolean isRunning = after.state() == JobState.RUNNING;
        if (!wasRunning && isRunning) {
            penalties.onStarted(after, after.startedAt() != null ? after.startedAt() : clock.instant());
        } else if (wasRunning && !isRunning) {
            Job ended = after.startedAt() != null ? after
                    : after.toBuilder().startedAt(before.startedAt()).gpus(before.gpus()).build();
            penalties.onFinished(ended, after.finishedAt() != null ? after.finishedAt() : clock.instant());
        }
    }
}
