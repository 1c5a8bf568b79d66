package dev.dopq.server.queue;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.StaleJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks RUNNING jobs to stop: the request (when, who and why, the kill deadline) is written on the job first, so
 * every reader shows it as stopping and a restart finishes the stop; then the container is stopped off the
 * caller's thread.
 */
final class StopRequests {
    private static final Logger LOG = LoggerFactory.getLogger(StopRequests.class);
    private static final int ATTEMPTS = 5;

    private final Jobs jobs;
    private final Stopper stopper;
    private final Duration grace;
    private final Clock clock;

    StopRequests(Jobs jobs, Stopper stopper, Duration grace, Clock clock) {
        this.jobs = jobs;
        this.stopper = stopper;
        this.grace = grace;
        this.clock = clock;
    }

    /**
     * Marks {@code job} (RUNNING) as stopping and stops its container: with the grace period, or at once when
     * {@code now}. A job already stopping keeps its first request, except that {@code now} brings the kill
     * forward. Throws {@link StaleJobException} when the job changed since it was read.
     */
    Job request(Job job, String actor, String reason, boolean now) {
        Instant at = clock.instant();
        Duration wait = now ? Duration.ZERO : grace;
        Job marked;
        if (job.stopRequestedAt() == null) {
            marked = jobs.change(job, actor, b -> b.stopRequestedAt(at).killAt(at.plus(wait)).stopReason(reason));
        } else if (now && job.killAt() != null && job.killAt().isAfter(at)) {
            marked = jobs.change(job, actor, b -> b.killAt(at));
        } else {
            return job;
        }
        LOG.info("job {} ({}) asked to stop by {}: {}; kill at {}", job.id(), job.user(), actor, reason,
                marked.killAt());
        jobs.store().recordEvent(new JobEvent(job.id(), at, actor, marked.state(), marked.state(),
                "stopping: " + marked.stopReason() + " (kill in " + Outcomes.human(Duration.between(at,
                        marked.killAt())) + ")"));
        stop(marked);
        return marked;
    }

    /**
     * {@link #request} with the grace period, re-reading the job when someone else wrote it first (an exit being
     * recorded); a job that has ended meanwhile is left alone. Logs instead of throwing: used for every running job
     * at once, where one job's trouble must not keep the others running.
     */
    void requestRetrying(Job job, String actor, String reason) {
        Job current = job;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                request(current, actor, reason, false);
                return;
            } catch (StaleJobException e) {
                var reread = jobs.find(job.id()).filter(j -> j.state() == JobState.RUNNING);
                if (reread.isEmpty()) {
                    return;
                }
                current = reread.get();
            } catch (RuntimeException e) {
                LOG.error("job {}: could not ask it to stop", job.id(), e);
                return;
            }
        }
        LOG.warn("job {} kept changing; it was not asked to stop", job.id());
    }

    /** Stops the container of a job already marked as stopping, with what is left of its grace period. */
    void stop(Job job) {
        if (job.containerId() == null) {
            // the starter sees the mark when it records the container, and stops it then
            return;
        }
        Duration left = job.killAt() == null ? grace : Duration.between(clock.instant(), job.killAt());
        stopper.stop(job.containerId(), left.isNegative() ? Duration.ZERO : left);
    }

    /** The grace period a stop without {@code now} gives. */
    Duration grace() {
        return grace;
    }
}
