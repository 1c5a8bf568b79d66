package dev.dopq.server.queue;

import dev.dopq.docker.Messages;
import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.ContainerSpec;
import dev.dopq.container.EngineUnavailableException;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.RequeueCause;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.StaleJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Creates and starts the container of a RUNNING job. The job row can change meanwhile (a cancel writes its mark
 * on the RUNNING job while the container is still being created), so the container id is recorded against the
 * current row, and a cancel that came before the start stops the container right after it.
 */
final class ContainerStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStarter.class);
    private static final String ACTOR = "queue";
    private static final int ATTEMPTS = 5;
    /** How many times in a row one job is re-queued for an unavailable engine before it fails. */
    static final int MAX_ENGINE_FAILURES = 10;

    private final Jobs jobs;
    private final ContainerRuntime runtime;
    private final Launcher launcher;
    private final ContainerWatch watch;
    private final Stopper stopper;
    private final Duration stopGrace;
    private final Clock clock;
    private final EngineGate gate;
    private final Tracker tracker;
    /** Engine failures in a row per job, so an engine error that lasts cannot re-queue a job for ever. */
    private final Map<Long, Integer> engineFailures = new ConcurrentHashMap<>();

    /** Told which containers are between create and the end of their start. */
    interface Tracker {
        Tracker NONE = new Tracker() {
            @Override
            public void created(String containerId) {
            }

            @Override
            public void done(String containerId) {
            }
        };

        void created(String containerId);

        void done(String containerId);
    }

    ContainerStarter(Jobs jobs, ContainerRuntime runtime, Launcher launcher, ContainerWatch watch, Stopper stopper,
                     Duration stopGrace, Clock clock) {
        this(jobs, runtime, launcher, watch, stopper, stopGrace, clock, new EngineGate(runtime, clock), Tracker.NONE);
    }

    ContainerStarter(Jobs jobs, ContainerRuntime runtime, Launcher launcher, ContainerWatch watch, Stopper stopper,
                     Duration stopGrace, Clock clock, EngineGate gate, Tracker tracker) {
        this.gate = gate;
        this.tracker = tracker;
        this.jobs = jobs;
        this.runtime = runtime;
        this.launcher = launcher;
        this.watch = watch;
        this.stopper = stopper;
        this.stopGrace = stopGrace;
        this.clock = clock;
    }

    /** Creates and starts the container of {@code job} (RUNNING, without a container yet). */
    void launch(Job job) {
        launch(job, false);
    }

    /**
     * Creates and starts the container of {@code job} (RUNNING, without a container yet). {@code leftoverPossible}:
     * an earlier start of this attempt failed because of the engine, which may have kept the container it created.
     */
    void launch(Job job, boolean leftoverPossible) {
        String cid = null;
        try {
            ContainerSpec spec = launcher.spec(job);
            if (leftoverPossible) {
                runtime.remove(spec.name());
            }
            String created = runtime.create(spec);
            cid = created;
            tracker.created(created);
            startCreated(job, created);
        } catch (EngineUnavailableException e) {
            engineFailed(job, cid, e);
        } catch (RuntimeException e) {
            LOG.error("job {} could not start", job.id(), e);
            end(job.id(), cid, e);
        } finally {
            if (cid != null) {
                tracker.done(cid);
            }
        }
    }

    private void startCreated(Job job, String created) {
        Optional<Job> current = recordContainer(job.id(), created);
        if (current.isEmpty()) {
            LOG.info("job {} is no longer running; removing its new container", job.id());
            runtime.remove(created);
            return;
        }
        if (cancelRequested(current.get())) {
            LOG.info("job {} was cancelled before its container started", job.id());
            end(job.id(), created, null);
            return;
        }
        runtime.start(created);
        gate.started();
        engineFailures.remove(job.id());
        watch.follow(created, JobFolder.of(job.workDir()).attemptLog(job.attempt()));
        LOG.info("job {} ({}) started on GPUs {} as {}", job.id(), job.user(), job.gpus(),
                created.substring(0, Math.min(12, created.length())));
        // a cancel just before the start found a created container, which stop ignores
        Optional<Job> cancelled = jobs.find(job.id()).filter(ContainerStarter::cancelRequested);
        if (cancelled.isPresent()) {
            LOG.info("job {} was cancelled while it started; stopping it", job.id());
            Instant killAt = cancelled.get().killAt();
            Duration left = killAt == null ? stopGrace : Duration.between(clock.instant(), killAt);
            stopper.stop(created, left.isNegative() ? Duration.ZERO : left);
        }
    }

    /**
     * The engine was unavailable during the start: the job goes back to the queue (its attempt unchanged: its
     * code never ran) and further starts wait for the engine. Only an engine that stays unavailable for this job
     * start after start ends it.
     */
    private void engineFailed(Job job, String cid, EngineUnavailableException e) {
        int failures = engineFailures.merge(job.id(), 1, Integer::sum);
        gate.engineFailed();
        if (failures > MAX_ENGINE_FAILURES) {
            LOG.error("job {} could not start: the engine was unavailable {} times in a row", job.id(), failures, e);
            engineFailures.remove(job.id());
            end(job.id(), cid, e);
            return;
        }
        LOG.warn("job {} could not start because the engine is unavailable; re-queueing it: {}", job.id(),
                Messages.firstLine(e));
        Optional<Job> requeued;
        try {
            requeued = retrying(job.id(), current -> cancelRequested(current)
                    ? jobs.move(current, JobState.CANCELLED, ACTOR, b -> b.finishedAt(clock.instant())
                            .reason(current.stopReason()))
                    : jobs.move(current, JobState.QUEUED, ACTOR, b -> b.gpus(List.of()).startedAt(null)
                            .containerId(null).requeueCause(RequeueCause.ENGINE_UNAVAILABLE)
                            .reason("the engine was unavailable at the start; waiting for it: "
                                    + Messages.firstLine(e))));
        } catch (RuntimeException ex) {
            LOG.error("job {}: could not record that it did not start", job.id(), ex);
            return;
        }
        if (requeued.isPresent() && cid != null) {
            removeQuietly(job.id(), cid);
        }
    }

    private void removeQuietly(long jobId, String cid) {
        try {
            runtime.remove(cid);
        } catch (RuntimeException e) {
            LOG.warn("could not remove the container {} of job {}: {}", cid, jobId, e.toString());
        }
    }

    /**
     * Ends a RUNNING job whose container did not start: CANCELLED when a cancel is marked on it, else FAILED
     * because of {@code cause}. Removes the container, if one was created.
     */
    private void end(long jobId, String cid, RuntimeException cause) {
        Optional<Job> ended;
        try {
            ended = retrying(jobId, current -> {
                boolean cancelled = cancelRequested(current);
                return jobs.move(current, cancelled ? JobState.CANCELLED : JobState.FAILED, ACTOR, b -> b
                        .finishedAt(clock.instant())
                        .reason(cancelled ? current.stopReason() : cause == null ? current.reason()
                                : "could not start the container: " + Messages.firstLine(cause)));
            });
        } catch (RuntimeException e) {
            LOG.error("job {}: could not record that it did not start", jobId, e);
            return;
        }
        if (ended.isPresent() && cid != null) {
            removeQuietly(jobId, cid);
        }
    }

    /** Records the container id on the current row of the job; empty when the job is not RUNNING any more. */
    private Optional<Job> recordContainer(long jobId, String cid) {
        return retrying(jobId, current -> jobs.change(current, ACTOR, b -> b.containerId(cid)));
    }

    /**
     * Applies {@code write} to the current row of a RUNNING job, re-reading it when someone else wrote first.
     * Empty when the job is not RUNNING any more.
     */
    private Optional<Job> retrying(long jobId, UnaryOperator<Job> write) {
        for (int i = 1; ; i++) {
            Optional<Job> current = jobs.find(jobId).filter(j -> j.state() == JobState.RUNNING);
            if (current.isEmpty()) {
                return current;
            }
            try {
                return Optional.of(write.apply(current.get()));
            } catch (StaleJobException e) {
                if (i >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static boolean cancelRequested(Job job) {
        return job.stopRequestedAt() != null;
    }
}
