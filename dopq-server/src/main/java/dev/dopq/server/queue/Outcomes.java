package dev.dopq.server.queue;

import dev.dopq.docker.Sizes;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;

import java.time.Duration;
import java.time.Instant;

/** Decides how an attempt ended, from what Docker reports and what was asked of the job. Pure. */
public final class Outcomes {
    /** Exit code recorded for an OOM kill the container's main process outlived: 128 + SIGKILL. */
    static final int OOM_KILLED_EXIT = 137;

    /**
     * Terminal or retry state with its reason and the exit code to record. {@code lost}: the attempt was killed by
     * the engine's own restart; it is re-queued without using up a retry.
     */
    public record Outcome(JobState state, String reason, boolean retry, boolean lost, Integer exitCode) {
        public Outcome(JobState state, String reason, boolean retry) {
            this(state, reason, retry, false, null);
        }
    }

    private Outcomes() {
    }

    public static Outcome of(Job job, Integer exitCode, boolean oomKilled, Instant finishedAt) {
        return of(job, exitCode, oomKilled, finishedAt, false);
    }

    /** {@code killedByEngine}: the exit happened while the engine restarted without live-restore. */
    public static Outcome of(Job job, Integer exitCode, boolean oomKilled, Instant finishedAt,
                             boolean killedByEngine) {
        int code = exitCode == null ? -1 : exitCode;
        if (code == 0 && !oomKilled) {
            return new Outcome(JobState.SUCCEEDED, null, false, false, exitCode);
        }
        if (job.stopRequestedAt() != null) {
            // asked to stop by someone else: not the job's own failure, so no retry either
            return new Outcome(JobState.CANCELLED, job.stopReason(), false, false, exitCode);
        }
        if (killedByEngine && !oomKilled && !timedOut(job, finishedAt)) {
            return new Outcome(JobState.QUEUED, "attempt " + job.attempt() + " was stopped by a restart of the"
                    + " container engine (exit " + code + "); it runs again and does not count against retries",
                    true, true, exitCode);
        }
        // the kernel killed a process of the job; a shell that carried on may still have exited 0
        Integer recorded = oomKilled && code == 0 ? Integer.valueOf(OOM_KILLED_EXIT) : exitCode;
        String reason;
        if (timedOut(job, finishedAt)) {
            reason = "timed out after " + human(job.timeout());
        } else if (oomKilled) {
            reason = "out of memory (limit " + (job.memoryBytes() > 0 ? Sizes.formatBytes(job.memoryBytes())
                    : "of the host") + "): a process was killed" + (code == 0 ? " (the container exited 0)" : "");
        } else if (exitCode == null) {
            reason = "the container ended without an exit code";
        } else {
            reason = "exited with code " + code;
        }
        boolean retry = job.mayRetry();
        return new Outcome(retry ? JobState.QUEUED : JobState.FAILED,
                retry ? "attempt " + job.attempt() + " " + reason + "; retrying" : reason, retry, false, recorded);
    }

    static boolean timedOut(Job job, Instant finishedAt) {
        return job.timeout() != null && job.startedAt() != null && finishedAt != null
                && Duration.between(job.startedAt(), finishedAt).compareTo(job.timeout()) >= 0;
    }

    /** "90s", "2m 05s", "1h 12m". */
    public static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
