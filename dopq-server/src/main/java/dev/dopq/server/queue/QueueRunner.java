package dev.dopq.server.queue;

import dev.dopq.server.util.Workers;
import dev.dopq.container.ContainerEvent;
import dev.dopq.container.ContainerRuntime;
import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Dispatch;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.Placement;
import dev.dopq.server.core.QueuedJobs;
import dev.dopq.server.core.QuotaState;
import dev.dopq.server.core.Quotas;
import dev.dopq.server.core.Scheduler;
import dev.dopq.server.gpu.FreeGpus;
import dev.dopq.server.gpu.GpuDevice;
import dev.dopq.server.gpu.GpuInventory;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.RecentGpuUsage;
import dev.dopq.server.store.SettingsStore;
import dev.dopq.server.store.StaleJobException;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The {@code dopq-queue} thread: records ended containers, enforces timeouts, reconciles with Docker now and
 * then, and starts the jobs the {@link Scheduler} picks on free GPUs. Woken by Docker events, new jobs and
 * freed GPUs; a slow timer catches what events miss.
 */
public final class QueueRunner {
    private static final Logger LOG = LoggerFactory.getLogger(QueueRunner.class);
    public static final String LOCK_KEY = "queue.locked";
    private static final String ACTOR = "queue";
    private static final Decision NOTHING_STARTS = new Decision(List.of(), List.of(), Map.of(), Map.of());

    /** Configuration of the runner. */
    public record Settings(Duration fallback, Duration reconcileEvery, Duration stopGrace, boolean respectForeign) {
    }

    private final Jobs jobs;
    private final ContainerRuntime runtime;
    private final GpuInventory gpus;
    private final PenaltyPolicy penalties;
    private final Scheduler scheduler = new Scheduler();
    private final SettingsStore settings;
    private final Launcher launcher;
    private final Clock clock;
    private final Settings config;
    private final ContainerWatch watch;
    private final ExitRecorder exits;
    private final Stopper stopper;
    private final EngineOutages outages = new EngineOutages();
    private final ContainerStarter starter;
    private final StopRequests stops;
    private final Reconciler reconciler;
    private final EngineGate gate;
    private final Starts starts;
    private final Workers exitWorkers;
    private final WorkerLoop loop;
    private final ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();
    /** The die events of the containers in {@link #ended}: their exit code spares an inspect where it suffices. */
    private final DieEvents dies = new DieEvents();
    private final Set<Long> timingOut = new HashSet<>();
    private final PreviewCache previews = new PreviewCache();
    private volatile Supplier<Quotas> quotas = () -> Quotas.NONE;
    private volatile RecentGpuUsage usage;
    private volatile Supplier<Map<Long, String>> dependencies = Map::of;
    private volatile Decision last = NOTHING_STARTS;
    private volatile Boolean lockedFlag;
    private volatile List<GpuDevice> lastDevices = List.of();
    private volatile Closeable events;
    private Instant lastReconcile = Instant.EPOCH;

    public QueueRunner(Jobs jobs, ContainerRuntime runtime, GpuInventory gpus, PenaltyPolicy penalties,
                       SettingsStore settings, Launcher launcher, Clock clock, Settings config,
                       boolean removeContainers, java.util.function.Consumer<Job> imageRemover) {
        this.jobs = jobs;
        this.runtime = runtime;
        this.gpus = gpus;
        this.penalties = penalties;
        this.settings = settings;
        this.launcher = launcher;
        this.clock = clock;
        this.config = config;
        this.watch = new ContainerWatch(runtime);
        int threads = Starts.threadsFor(gpus.devices().size());
        this.exitWorkers = new Workers("dopq-exit", threads);
        // the exit workers remove a container right after its outcome is written, as the one thread did before:
        // a removal queued for later would widen the window in which a crash leaves an ended job's image behind
        this.exits = new ExitRecorder(jobs, runtime, watch, clock, removeContainers, imageRemover, outages);
        this.stopper = new Stopper(runtime);
        this.gate = new EngineGate(runtime, clock);
        this.stops = new StopRequests(jobs, stopper, config.stopGrace(), clock);
        this.starts = new Starts(threads, this::endedAfterStart);
        this.starter = new ContainerStarter(jobs, runtime, launcher, watch, stopper, config.stopGrace(), clock, gate,
                new ContainerStarter.Tracker() {
                    @Override
                    public void created(String containerId) {
                        starts.containerCreated(containerId);
                    }

                    @Override
                    public void done(String containerId) {
                        starts.containerDone(containerId);
                    }
                });
        this.reconciler = new Reconciler(jobs, runtime, watch, exits, this::launchContainer, this::stopContainer,
                removeContainers, launcher, starts::starting, clock);
        this.loop = new WorkerLoop("dopq-queue", config.fallback(), this::iterate);
    }

    /**
     * Applies per-user quotas from now on: {@code quotas} is asked at every decision (admins change it at run
     * time), {@code usage} gives the GPU-hours of the last 24 hours.
     */
    public void useQuotas(Supplier<Quotas> quotas, RecentGpuUsage usage) {
        this.quotas = quotas;
        this.usage = usage;
        loop.signal();
    }

    /** Holds back queued jobs that wait for others: {@code blocked} is asked at every decision (job id to why). */
    public void useDependencies(Supplier<Map<Long, String>> blocked) {
        this.dependencies = blocked;
        loop.signal();
    }

    private QuotaState quotaState(List<Job> running, Instant now) {
        Quotas q = quotas.get();
        RecentGpuUsage u = usage;
        boolean hoursCapped = q.defaults().maxGpuHoursPerDay() != null
                || q.perUser().values().stream().anyMatch(l -> l.maxGpuHoursPerDay() != null);
        return new QuotaState(q, hoursCapped && u != null ? u.hours(running, now) : Map.of(), dependencies.get());
    }

    /** How this runner's containers look (and which uid a job runs as). */
    public Launcher launcher() {
        return launcher;
    }

    /** Subscribes to Docker events first, then reconciles with what runs, then starts the loop. */
    public void start() {
        readLiveRestore();
        events = runtime.subscribeEvents(Launcher.LABEL_JOB, clock.instant(), this::onEvent);
        try {
            reconciler.reconcile(true);
        } catch (RuntimeException e) {
            LOG.error("reconciling with Docker at start failed; retrying in the loop", e);
        }
        lastReconcile = clock.instant();
        loop.start();
    }

    private void onEvent(ContainerEvent event) {
        switch (event.kind()) {
            case DIE -> {
                dies.on(event);
                ended.add(event.containerId());
                loop.signal();
            }
            case OOM -> dies.on(event);
            case ENGINE_LOST -> outages.lost(event.at());
            case ENGINE_BACK -> {
                outages.back(event.at());
                readLiveRestore(); // an admin may have restarted it with other settings
            }
            default -> {
            }
        }
    }

    private void readLiveRestore() {
        try {
            boolean on = runtime.info().liveRestore();
            if (!Boolean.valueOf(on).equals(outages.liveRestore())) {
                LOG.info("the container engine {}", on ? "keeps containers running across its restarts (live-restore)"
                        : "stops every container when it restarts; enable live-restore so that jobs survive it");
            }
            outages.liveRestore(on);
        } catch (RuntimeException e) {
            LOG.warn("could not ask the engine about live-restore: {}", e.toString());
        }
    }

    /** Whether the engine keeps containers running across its restarts; null while it has not said. */
    public Boolean liveRestore() {
        return outages.liveRestore();
    }

    public void signal() {
        loop.signal();
    }

    private void iterate() {
        drainEnded();
        Instant now = clock.instant();
        if (Duration.between(lastReconcile, now).compareTo(config.reconcileEvery()) >= 0) {
            lastReconcile = now;
            reconciler.reconcile(false);
        }
        List<Job> running = jobs.active().inStates(EnumSet.of(JobState.RUNNING));
        enforceTimeouts(running, now);
        List<GpuDevice> devices = gpus.devices();
        lastDevices = devices;
        if (locked()) {
            last = NOTHING_STARTS;
            return;
        }
        List<String> free = freeGpus(devices, running);
        // Only as far down the queue as a job could still start; reasons for every job are left to preview().
        QuotaState quota = quotaState(running, now);
        Map<String, Long> memory = gpuMemory(devices);
        Dispatch d = jobs.active().readQueue(queue -> scheduler.dispatch(queue, running, free, memory, penalties,
                quota, now));
        last = d.asDecision();
        if (!d.starts().isEmpty()) {
            LOG.debug("dispatch starts {} job(s), looked at {} of the queue", d.starts().size(), d.considered());
        }
        for (Placement p : d.starts()) {
            launch(p);
        }
    }

    private void drainEnded() {
        String cid;
        while ((cid = ended.poll()) != null) {
            if (!starts.holdExit(cid)) {
                recordExit(cid);
            }
        }
    }

    /**
     * Records an exit off this thread: inspecting, draining the log and writing the outcome take the engine and
     * the store a while, and the next start need not wait for them. The job holds its GPUs until its outcome is
     * written, whose listener wakes the loop; recording the same exit twice (the reconcile) is harmless.
     */
    private void recordExit(String containerId) {
        ContainerEvent die = dies.take(containerId);
        Runnable record = () -> {
            try {
                reconciler.containerDied(containerId, die);
            } catch (RuntimeException e) {
                LOG.error("recording the exit of container {} failed; the next reconcile retries", containerId, e);
            }
        };
        try {
            exitWorkers.execute(record);
        } catch (RejectedExecutionException e) {
            record.run();
        }
    }

    /** A container ended while its start was still in flight; now that the start is over, record the exit. */
    private void endedAfterStart(String containerId) {
        ended.add(containerId);
        loop.signal();
    }

    /** Bytes jobs that share a GPU may use on each GPU whose memory is known. */
    private static Map<String, Long> gpuMemory(List<GpuDevice> devices) {
        Map<String, Long> memory = new java.util.HashMap<>();
        for (GpuDevice d : devices) {
            if (d.memoryForJobs() > 0) {
                memory.put(d.id(), d.memoryForJobs());
            }
        }
        return memory;
    }

    private List<String> freeGpus(List<GpuDevice> devices, List<Job> running) {
        Set<String> held = new HashSet<>();
        running.forEach(j -> held.addAll(j.gpus()));
        return FreeGpus.of(devices, held, config.respectForeign());
    }

    private void launch(Placement p) {
        if (!gate.mayStart()) {
            return;
        }
        boolean leftoverPossible = p.job().requeueCause() != null && p.job().requeueCause().leftoverPossible();
        Job job;
        try {
            // the allocation is committed before the container exists, so a crash never double-books GPUs; the
            // start is the time of this commit, not of the pass's start: the pass may have ended (cancelled) the
            // job's dependency after its start, and a start never comes before what it waited for
            job = jobs.move(p.job(), JobState.RUNNING, ACTOR, b -> b.gpus(p.gpus()).gpuShare(p.gpuShare())
                    .startedAt(clock.instant())
                    .containerId(null).requeueCause(null).reason(null).engine(launcher.node()));
        } catch (StaleJobException e) {
            LOG.info("job {} changed before it could start; deciding again", p.job().id());
            loop.signal();
            return;
        }
        launchContainer(job, leftoverPossible);
    }

    /** Creates and starts the container of a RUNNING job that has none yet (off this thread). */
    void launchContainer(Job job) {
        launchContainer(job, false);
    }

    private void launchContainer(Job job, boolean leftoverPossible) {
        try {
            // the loop decides again when a start ends: a failed start frees its GPUs
            starts.submit(job, j -> starter.launch(j, leftoverPossible), loop::signal);
        } catch (RejectedExecutionException e) {
            LOG.info("shutting down: job {} keeps its GPUs and is started by the reconcile at the next start",
                    job.id());
        }
    }

    private void enforceTimeouts(List<Job> running, Instant now) {
        timingOut.retainAll(running.stream().map(Job::id).toList());
        for (Job job : running) {
            if (job.timeout() == null || job.startedAt() == null || job.containerId() == null
                    || timingOut.contains(job.id())) {
                continue;
            }
            if (!now.isBefore(job.startedAt().plus(job.timeout()))) {
                timingOut.add(job.id());
                LOG.info("job {} reached its timeout of {}; stopping it", job.id(), Outcomes.human(job.timeout()));
                stopper.stop(job.containerId(), config.stopGrace());
            }
        }
    }

    /** Stops the container of a job marked as stopping, with what is left of its grace period. */
    void stopContainer(Job job) {
        stops.stop(job);
    }

    /**
     * Marks a RUNNING job as stopping (when, by whom, why, kill deadline) and stops its container: with the grace
     * period, or at once when {@code now}. The job ends CANCELLED with {@code reason} unless it exits 0 first.
     * Throws {@code StaleJobException} when the job changed since it was read.
     */
    public Job requestStop(Job job, String actor, String reason, boolean now) {
        return stops.request(job, actor, reason, now);
    }

    /** The grace period between a stop and the kill. */
    public Duration stopGrace() {
        return config.stopGrace();
    }

    /**
     * Stops every running job and waits (bounded) for them; used by shutdown --stop-running. The jobs end
     * CANCELLED "stopped by server shutdown (BY)", not as failures of their own. Waits until {@code deadline}.
     */
    public void stopAllRunning(Deadline deadline, String by) {
        // the loop first: it would fill the GPUs the stopped jobs free with queued jobs, which then outlive the stop
        loop.stop(deadline);
        // a start in flight would otherwise start its container after the stops below
        starts.awaitIdle(deadline.left());
        String reason = "stopped by server shutdown (" + by + ")";
        for (Job job : jobs.active().inStates(EnumSet.of(JobState.RUNNING))) {
            stops.requestRetrying(job, by, reason);
        }
        stopper.awaitIdle(deadline.left());
        drainEnded();
        reconciler.reconcile(false);
    }

    /** Whether an admin locked the queue; read from the settings once, then kept with every change. */
    public boolean locked() {
        Boolean known = lockedFlag;
        if (known == null) {
            synchronized (this) {
                if (lockedFlag == null) {
                    lockedFlag = settings.get(LOCK_KEY).map(Boolean::parseBoolean).orElse(false);
                }
                known = lockedFlag;
            }
        }
        return known;
    }

    public void setLocked(boolean locked) {
        synchronized (this) {
            settings.put(LOCK_KEY, Boolean.toString(locked));
            lockedFlag = locked;
        }
        loop.signal();
    }

    /**
     * The full decision on current data (nothing is started): queue order, waiting reasons, held GPUs. Computed
     * anew only when the active jobs, the lock or the GPUs changed, or the last one is about a second old.
     */
    public Decision preview() {
        long changes = jobs.active().changes();
        boolean isLocked = locked();
        List<GpuDevice> devices = lastDevices;
        Instant now = clock.instant();
        return previews.get(new PreviewCache.Inputs(changes, isLocked, devices), now, () -> {
            List<Job> running = jobs.active().inStates(EnumSet.of(JobState.RUNNING));
            List<Job> queued = jobs.active().readQueue(QueuedJobs::jobs);
            return scheduler.decide(queued, running, freeGpus(devices, running), gpuMemory(devices), penalties,
                    quotaState(running, now), now, isLocked);
        });
    }

    /**
     * The latest dispatch of the queue thread: the jobs it started and the GPUs it held. It has no queue order
     * and no waiting reasons (a dispatch looks only as far down the queue as a job could start); those are in
     * {@link #preview()}.
     */
    public Decision lastDecision() {
        return last;
    }

    public List<GpuDevice> lastDevices() {
        return lastDevices;
    }

    public void stop(Duration timeout) {
        stop(Deadline.after(timeout));
    }

    /** Stops the loop, the starts, the exit workers and the stops, in this order, all by {@code deadline}. */
    public void stop(Deadline deadline) {
        loop.stop(deadline);
        starts.shutdown(deadline);
        exitWorkers.shutdown(deadline);
        Closeable e = events;
        if (e != null) {
            try {
                e.close();
            } catch (IOException ex) {
                LOG.debug("closing the events stream: {}", ex.toString());
            }
        }
        watch.closeAll();
        stopper.shutdown(deadline);
    }

}
