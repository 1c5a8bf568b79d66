package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.ContainerStatus;
import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.RequeueCause;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.StaleJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Records how an attempt ended: the attempt row, then the job's new state (terminal, or QUEUED for a retry),
 * then removes the container (per config). Safe to call twice for the same container.
 */
final class ExitRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(ExitRecorder.class);
    private static final String ACTOR = "queue";
    private static final int ATTEMPTS = 3;
    /** How long an ended container's log stream may take to deliver its last output. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

    private final Jobs jobs;
    private final ContainerRuntime runtime;
    private final ContainerWatch watch;
    private final Clock clock;
    private final boolean removeContainers;
    private final java.util.function.Consumer<Job> imageRemover;
    private final EngineOutages outages;

    ExitRecorder(Jobs jobs, ContainerRuntime runtime, ContainerWatch watch, Clock clock,
                 boolean removeContainers, java.util.function.Consumer<Job> imageRemover) {
        this(jobs, runtime, watch, clock, removeContainers, imageRemover, new EngineOutages());
    }

    ExitRecorder(Jobs jobs, ContainerRuntime runtime, ContainerWatch watch, Clock clock,
                 boolean removeContainers, java.util.function.Consumer<Job> imageRemover, EngineOutages outages) {
        this.outages = outages;
        this.imageRemover = imageRemover;
        this.jobs = jobs;
        this.runtime = runtime;
        this.watch = watch;
        this.clock = clock;
        this.removeContainers = removeContainers;
    }

    /**
     * Handles a container that is no longer running. Returns true when a job changed. A job written meanwhile
     * (typically a cancel marked just as the container ended on its own) is re-read and judged again, so the
     * exit is not left to the next periodic reconcile.
     */
    boolean containerEnded(Job job, ContainerStatus status) {
        if (!ranIn(job, status)) {
            return false;
        }
        Instant finished = status.finishedAt() != null && status.finishedAt().isAfter(Instant.EPOCH)
                ? status.finishedAt() : clock.instant();
        if (job.stopRequestedAt() == null && !status.oomKilled() && !Outcomes.timedOut(job, finished)
                && outages.tooEarlyToTell(status.exitCode(), finished, clock.instant())) {
            LOG.info("job {} ({}) ended with exit {} that nobody asked for; waiting {} s to see whether the engine"
                    + " is stopping (its exits come before its event stream breaks)", job.id(), job.user(),
                    status.exitCode(), EngineOutages.SLACK.toSeconds());
            return false;
        }
        watch.finish(status.id(), LOG_DRAIN);
        Job current = job;
        for (int i = 1; ; i++) {
            Outcomes.Outcome outcome = Outcomes.of(current, status.exitCode(), status.oomKilled(), finished,
                    outages.killedByEngine(status.exitCode(), finished, clock.instant()));
            try {
                return record(current, outcome.exitCode(), finished, outcome, status.id());
            } catch (StaleJobException e) {
                Optional<Job> reread = jobs.find(job.id()).filter(j -> ranIn(j, status));
                if (reread.isEmpty() || i >= ATTEMPTS) {
                    LOG.info("job {} changed while its exit was recorded; leaving it to the next reconcile", job.id());
                    return false;
                }
                current = reread.get();
            }
        }
    }

    private static boolean ranIn(Job job, ContainerStatus status) {
        return job.state() == JobState.RUNNING && status.id().equals(job.containerId());
    }

    /** The container of a RUNNING job vanished (removed by hand, engine data lost). */
    boolean containerGone(Job job, String why) {
        Instant now = clock.instant();
        boolean retry = job.mayRetry() && job.stopRequestedAt() == null;
        String reason = "the container " + why;
        Outcomes.Outcome outcome = job.stopRequestedAt() != null
                ? new Outcomes.Outcome(JobState.CANCELLED, job.stopReason(), false)
                : new Outcomes.Outcome(retry ? JobState.QUEUED : JobState.FAILED,
                        retry ? "attempt " + job.attempt() + ": " + reason + "; retrying" : reason, retry);
        try {
            return record(job, null, now, outcome, job.containerId());
        } catch (StaleJobException e) {
            LOG.info("job {} changed while its lost container was recorded; re-reading next pass", job.id());
            return false;
        }
    }

    /**
     * The run of a RUNNING job was lost with its node (not the job's doing): the attempt is recorded with the node
     * and the reason, and the job goes back to the queue as a lost attempt ({@link RequeueCause#NODE_LOST}, counted
     * in its lost attempts), which does not use up a retry. A cancel asked meanwhile ends it cancelled instead.
     */
    boolean attemptLost(Job job, String node, String why) {
        Instant now = clock.instant();
        String reason = "attempt " + job.attempt() + " lost on node " + node + ": " + why;
        boolean cancelled = ContainerStarter.cancelRequested(job);
        try {
            jobs.store().recordAttempt(new Attempt(job.id(), job.attempt(), job.containerId(), job.gpus(),
                    job.startedAt(), now, null, reason));
            Job after = cancelled
                    ? jobs.move(job, JobState.CANCELLED, ACTOR, b -> b.finishedAt(now).reason(job.stopReason()))
                    : jobs.move(job, JobState.QUEUED, ACTOR, b -> b.attempt(job.attempt() + 1)
                            .requeueCause(RequeueCause.NODE_LOST).lostAttempts(job.lostAttempts() + 1)
                            .gpus(List.of()).startedAt(null).containerId(null).engine("")
                            .reason(reason + "; re-queued without using a retry"));
            LOG.info("job {} ({}) {}; now {}", job.id(), job.user(), reason, after.state());
            cleanUp(after, job.containerId());
            return true;
        } catch (StaleJobException e) {
            LOG.info("job {} changed while its lost attempt was recorded; re-reading next pass", job.id());
            return false;
        }
    }

    /**
     * Writes the attempt row and the job's new state in one transaction; throws {@link StaleJobException} (and
     * writes neither) if the job moved on.
     */
    private boolean record(Job job, Integer exitCode, Instant finished, Outcomes.Outcome outcome, String cid) {
        Attempt attempt = new Attempt(job.id(), job.attempt(), cid, job.gpus(), job.startedAt(), finished,
                exitCode, outcome.reason());
        Job after;
        if (outcome.retry()) {
            after = jobs.move(job, JobState.QUEUED, ACTOR, attempt, b -> b.attempt(job.attempt() + 1).gpus(List.of())
                    .startedAt(null).containerId(null).exitCode(exitCode)
                    .requeueCause(outcome.lost() ? RequeueCause.ENGINE_RESTART : RequeueCause.RETRY)
                    .lostAttempts(job.lostAttempts() + (outcome.lost() ? 1 : 0))
                    .reason(outcome.reason()));
        } else {
            after = jobs.move(job, outcome.state(), ACTOR, attempt, b -> b.exitCode(exitCode).finishedAt(finished)
                    .reason(outcome.reason()));
        }
        LOG.info("job {} ({}) attempt {} ended: {} (exit {}){}", job.id(), job.user(), job.attempt(),
                after.state(), exitCode, outcome.reason() == null ? "" : ": " + outcome.reason());
        cleanUp(after, cid);
        return true;
    }

    /** Removes the image of an ended job whose containers are all gone (per config). */
    void removeImage(Job job) {
        imageRemover.accept(job);
    }

    private void cleanUp(Job job, String cid) {
        if (!removeContainers || cid == null) {
            return;
        }
        try {
            runtime.remove(cid);
        } catch (RuntimeException e) {
            LOG.warn("could not remove container {} of job {}: {}", cid, job.id(), e.toString());
            return;
        }
        if (job.state().isTerminal()) {
            imageRemover.accept(job);
        }
    }
}
