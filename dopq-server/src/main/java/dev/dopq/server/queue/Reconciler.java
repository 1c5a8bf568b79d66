package dev.dopq.server.queue;

import dev.dopq.container.ContainerGoneException;
import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.ContainerEvent;
import dev.dopq.container.ContainerStatus;
import dev.dopq.container.RunLostException;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.service.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Docker is the truth for what runs; the database for what is wanted. Brings the two together: RUNNING jobs
 * whose container runs are (re-)adopted, exited ones recorded with their real exit code, missing ones failed or
 * retried, and a RUNNING job that never got its container (crash in between) gets exactly one.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Jobs jobs;
    private final ContainerRuntime runtime;
    private final ContainerWatch watch;
    private final ExitRecorder exits;
    private final Consumer<Job> launch;
    private final boolean removeContainers;
    private final Launcher launcher;
    private final Consumer<Job> stop;
    private final Supplier<Set<Long>> starting;
    private final Object[] stripes = new Object[64];
    private final Clock clock;

    /** {@code starting}: the jobs whose start is in flight; such a job is its starter's, not the reconcile's. */
    Reconciler(Jobs jobs, ContainerRuntime runtime, ContainerWatch watch, ExitRecorder exits, Consumer<Job> launch,
               Consumer<Job> stop, boolean removeContainers, Launcher launcher, Supplier<Set<Long>> starting,
               Clock clock) {
        this.clock = clock;
        this.starting = starting;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        this.launcher = launcher;
        this.stop = stop;
        this.removeContainers = removeContainers;
        this.jobs = jobs;
        this.runtime = runtime;
        this.watch = watch;
        this.exits = exits;
        this.launch = launch;
    }

    /** {@code atStart}: also re-read logs of adopted containers and clean containers of ended jobs. */
    void reconcile(boolean atStart) {
        // taken before the listing: a start that ends during the listing leaves it stale for that job
        Set<Long> startingBefore = starting.get();
        Map<String, ContainerStatus> byName = new HashMap<>();
        List<ContainerStatus> labelled = runtime.listByLabel(Launcher.LABEL_JOB).stream()
                .filter(this::ours).toList();
        for (ContainerStatus c : labelled) {
            byName.put(c.name(), c);
        }
        for (Job listed : jobs.active().inStates(EnumSet.of(JobState.RUNNING))) {
            if (startingBefore.contains(listed.id()) || starting.get().contains(listed.id())) {
                // its container may exist but not run yet: starting it here would start it twice
                continue;
            }
            synchronized (lockOf(listed.id())) {
                // read again under the lock: an exit recorded meanwhile on another thread ended the job
                Optional<Job> job = jobs.find(listed.id()).filter(j -> j.state() == JobState.RUNNING);
                try {
                    if (job.isPresent()) {
                        reconcileRunning(job.get(), byName.get(launcher.containerName(job.get())), atStart);
                    }
                } catch (RuntimeException e) {
                    LOG.error("reconciling job {} failed", listed.id(), e);
                }
            }
        }
        if (atStart && removeContainers) {
            // listed again: the pass above removed the containers of the jobs it ended
            removeLeftovers(runtime.listByLabel(Launcher.LABEL_JOB).stream().filter(this::ours).toList());
        }
    }

    private void reconcileRunning(Job job, ContainerStatus found, boolean atStart) {
        if (job.containerId() == null) {
            if (found != null) {
                LOG.info("job {}: adopting container {} created before a restart", job.id(), found.id());
                Job adopted = jobs.change(job, "reconcile", b -> b.containerId(found.id()));
                handle(adopted, found, true);
            } else {
                LOG.info("job {} was about to start when the server stopped; starting it now", job.id());
                launch.accept(job);
            }
            return;
        }
        ContainerStatus status;
        try {
            status = found != null && found.id().equals(job.containerId()) ? found : runtime.inspect(job.containerId());
        } catch (RunLostException e) {
            LOG.warn("job {}: its run {} was lost on node {}: {}", job.id(), job.containerId(), e.node(), e.why());
            exits.attemptLost(job, e.node(), e.why());
            return;
        } catch (ContainerGoneException e) {
            LOG.warn("job {}: its container {} is gone", job.id(), job.containerId());
            exits.containerGone(job, "disappeared while the job ran");
            return;
        }
        handle(job, status, atStart);
    }

    private void handle(Job job, ContainerStatus status, boolean reread) {
        if (status.running() && !watch.isFollowed(status.id())) {
            // running, but not followed by this process: started by a server before a restart. Once followed
            // below, later passes see it followed, so this is said once per job and restart, whichever pass it is
            LOG.info("job {} ({}) re-adopted: its container {} kept running across the restart", job.id(),
                    job.user(), shortId(status.id()));
            jobs.store().recordEvent(new JobEvent(job.id(), clock.instant(), "reconcile", JobState.RUNNING,
                    JobState.RUNNING, "re-adopted after a server restart (container " + shortId(status.id()) + ")"));
        }
        if (status.running()) {
            job = placed(job, status);
            if (reread || !watch.isFollowed(status.id())) {
                try {
                    watch.refollow(status.id(), JobFolder.of(job.workDir()).attemptLog(job.attempt()));
                } catch (IOException e) {
                    LOG.warn("job {}: cannot re-read its log: {}", job.id(), e.toString());
                }
            }
            if (reread && ContainerStarter.cancelRequested(job)) {
                // the cancel was written, but the server stopped before the container did
                LOG.info("job {} was cancelled before a restart; stopping it now", job.id());
                stop.accept(job);
            }
            return;
        }
        if (neverStarted(status) && ContainerStarter.cancelRequested(job)) {
            LOG.info("job {} was cancelled before its container started", job.id());
            exits.containerEnded(job, status);
            return;
        }
        if (neverStarted(status)) {
            LOG.info("job {}: its container was created but never started; starting it", job.id());
            runtime.start(status.id());
            watch.follow(status.id(), JobFolder.of(job.workDir()).attemptLog(job.attempt()));
            return;
        }
        if (!watch.isFollowed(status.id())) {
            // the output was never (fully) captured by us: write all of it once
            try {
                watch.refollow(status.id(), JobFolder.of(job.workDir()).attemptLog(job.attempt()));
            } catch (IOException e) {
                LOG.warn("job {}: cannot read its log: {}", job.id(), e.toString());
            }
        }
        exits.containerEnded(job, status);
    }

    /**
     * Records the node and GPUs a run reports (a Slurm node, once the job is placed) on the job, when they differ
     * from what it holds: the node is data on the job, and the GPUs count as the ones really used.
     */
    private Job placed(Job job, ContainerStatus status) {
        String node = status.labels().get(Launcher.LABEL_NODE);
        if (node == null || node.isBlank()) {
            return job;
        }
        String gpuLabel = status.labels().getOrDefault(Launcher.LABEL_GPUS, "");
        List<String> gpus = gpuLabel.isBlank() ? job.gpus() : List.of(gpuLabel.split(","));
        if (node.equals(job.engine()) && gpus.equals(job.gpus())) {
            return job;
        }
        LOG.info("job {} runs on node {} with GPUs {}", job.id(), node, gpus);
        return jobs.change(job, "reconcile", b -> b.engine(node).gpus(gpus));
    }

    /**
     * A container that died, with its die event when there is one. An exit code 0 in the event says all an inspect
     * would (a run that ran out of memory ends 137, never 0, and the engine sends its oom event before the die), so
     * the outcome is recorded from the event, ended at the event's time; any other exit, or no event, is inspected
     * for the OOM flag and the engine's own finish time. Any thread.
     */
    void containerDied(String containerId, ContainerEvent die) {
        if (die == null || die.exitCode() == null || die.exitCode() != 0 || die.at() == null) {
            checkContainer(containerId);
            return;
        }
        ContainerStatus status = new ContainerStatus(containerId, false, 0, false, null, die.at(), die.labels(), null);
        Optional<Long> jobId = ours(status) ? jobOf(status) : Optional.empty();
        if (jobId.isEmpty()) {
            return;
        }
        if (jobs.find(jobId.get()).filter(job -> job.memoryBytes() > 0).isPresent()) {
            // a job with a memory limit may have had a process OOM-killed while its shell exited 0; the oom event
            // says so when it comes first, the inspect's flag always does
            checkContainer(containerId);
            return;
        }
        synchronized (lockOf(jobId.get())) {
            jobs.find(jobId.get()).ifPresent(job -> exits.containerEnded(job, status));
        }
    }

    /** A container that died: record its job's outcome from an inspect. Any thread. */
    void checkContainer(String containerId) {
        ContainerStatus status;
        try {
            status = runtime.inspect(containerId);
        } catch (ContainerGoneException e) {
            return;
        }
        Optional<Long> jobId = ours(status) ? jobOf(status) : Optional.empty();
        if (jobId.isEmpty() || status.running()) {
            return;
        }
        synchronized (lockOf(jobId.get())) {
            jobs.find(jobId.get()).ifPresent(job -> exits.containerEnded(job, status));
        }
    }

    /**
     * Exits are recorded on worker threads while the reconcile runs on the queue thread; one job is handled by
     * one of them at a time, so the reconcile never re-reads the log of a container whose exit is being written.
     */
    private Object lockOf(long jobId) {
        return stripes[(int) Math.floorMod(jobId, (long) stripes.length)];
    }

    /**
     * Removes the containers of ended jobs that a crash left behind (between the job's end and the removal), then
     * the job's image, which could not go while a container used it.
     */
    private void removeLeftovers(List<ContainerStatus> labelled) {
        Map<Long, List<ContainerStatus>> byJob = new HashMap<>();
        for (ContainerStatus c : labelled) {
            jobOf(c).ifPresent(id -> byJob.computeIfAbsent(id, k -> new ArrayList<>()).add(c));
        }
        byJob.forEach((id, containers) -> jobs.find(id).filter(j -> j.state().isTerminal()).ifPresent(job -> {
            boolean allGone = true;
            for (ContainerStatus c : containers) {
                LOG.info("removing container {} of ended job {}", c.id(), job.id());
                try {
                    runtime.remove(c.id());
                } catch (RuntimeException e) {
                    allGone = false;
                    LOG.warn("could not remove {}: {}", c.id(), e.toString());
                }
            }
            if (allGone) {
                exits.removeImage(job);
            }
        }));
    }

    boolean ours(ContainerStatus c) {
        return c.labels() != null && launcher.instance().equals(c.labels().get(Launcher.LABEL_INSTANCE));
    }

    private static Optional<Long> jobOf(ContainerStatus c) {
        String id = c.labels() == null ? null : c.labels().get(Launcher.LABEL_JOB);
        try {
            return id == null ? Optional.empty() : Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }

    private static boolean neverStarted(ContainerStatus s) {
        return !s.running() && (s.startedAt() == null || !s.startedAt().isAfter(Instant.EPOCH));
    }
}
