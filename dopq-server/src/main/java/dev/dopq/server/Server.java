package dev.dopq.server;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.Images;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.backend.DockerBackend;
import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.engine.Engine;
import dev.dopq.server.gpu.GpuInventory;
import dev.dopq.server.finish.Finisher;
import dev.dopq.server.provider.InboxScanner;
import dev.dopq.server.provider.Intake;
import dev.dopq.server.provider.JobPreparer;
import dev.dopq.server.provider.Provider;
import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.queue.Launcher;
import dev.dopq.server.queue.QueueRunner;
import dev.dopq.server.rmi.Backend;
import dev.dopq.server.rmi.RmiServer;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.DopqUserImport;
import dev.dopq.server.service.HistoryRetention;
import dev.dopq.server.service.HostAccounts;
import dev.dopq.server.service.JobUids;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.NotifyTargets;
import dev.dopq.server.service.PenaltyReplay;
import dev.dopq.server.service.PenaltyTracker;
import dev.dopq.server.service.Dependencies;
import dev.dopq.server.service.QuotaBook;
import dev.dopq.server.service.RecentGpuUsage;
import dev.dopq.server.service.SynchronizedPenalty;
import dev.dopq.server.store.Database;
import dev.dopq.server.system.CachedSystemProbe;
import dev.dopq.server.system.OshiSystemProbe;
import dev.dopq.server.system.SystemProbe;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.Workers;
import dev.dopq.server.gpu.DcgmJobMapping;
import dev.dopq.server.metrics.DopqMetrics;
import dev.dopq.server.metrics.MetricsSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Wires the parts together; {@link #start()} and {@link #stop(boolean)} in a fixed order. */
public final class Server {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** What a stop may take beyond the stop grace of running jobs (when it stops them): one deadline for all. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** Jobs that ended this recently are left to the finish stage by the history sweep. */
    private static final Duration HISTORY_GRACE = Duration.ofMinutes(1);
    /** Fallback period of the history sweep; a job that ends wakes it too. */
    private static final Duration HISTORY_SWEEP = Duration.ofMinutes(1);
    /** How often the penalty snapshot is saved; a start after kill -9 replays at most this much more history. */
    private static final Duration PENALTY_SNAPSHOT = Duration.ofMinutes(5);

    private final DopqConfig config;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Engine engine;
    private Database db;
    private ExecutionBackend backend;
    private Provider provider;
    private QueueRunner queue;
    private RmiServer rmi;
    private HistoryRetention history;
    private PenaltyReplay penaltyReplay;
    private Workers finishWorker;
    private DopqMetrics metrics;
    private DcgmJobMapping dcgmMapping;
    private Outlets outlets;
    private String instance;
    private StateLock stateLock;

    /**
     * @param engine the container engine jobs run on (Main connects the Docker one); the server closes its
     *               connection at the end of {@link #stop(boolean)}
     */
    public Server(DopqConfig config, Clock clock, Engine engine) {
        this.config = config;
        this.clock = clock;
        this.engine = engine;
    }

    public void start() throws Exception {
        Instant startedAt = clock.instant();
        var paths = config.paths();
        Files.createDirectories(paths.inbox());
        HostSetup.ownerOnlyFolder(paths.state());
        Files.createDirectories(paths.work());
        Files.createDirectories(paths.database().toAbsolutePath().getParent());
        stateLock = StateLock.acquire(paths.state());
        db = Database.open(paths.database(), clock);
        Jobs jobs = new Jobs(db.jobs());
        metrics = new DopqMetrics(clock, HostSetup.version());
        jobs.addListener(metrics.jobListener());
        NotifyTargets notifyTargets = new NotifyTargets(db.settings());
        outlets = Outlets.startNotifications(config.notifications(), db, notifyTargets, jobs, clock);
        instance = instanceId();
        Accounts accounts = new Accounts(db.users(), clock);
        accounts.bootstrap(config.users().valid(), config.users().admins(), paths.state().resolve("admin.token"));
        if (config.users().dopqDatabase() != null) {
            new DopqUserImport(db.users(), clock).run(config.users().dopqDatabase(), dopqTokenFile());
        }

        backend = engine.backend();
        ContainerRuntime runtime = metrics.metered(backend.runtime());
        Images images = engine.images();
        SystemProbe system = new OshiSystemProbe();
        GpuInventory gpus = backend.gpus();
        if (backend instanceof DockerBackend local) {
            // NVML lists host pids: those in our running jobs' containers are not foreign
            local.ourContainers(() -> jobs.active().inStates(EnumSet.of(JobState.RUNNING)).stream()
                    .map(Job::containerId).filter(java.util.Objects::nonNull).toList());
        }
        LOG.info("backend: {}", backend.describe());

        PenaltyPolicy penalties = new SynchronizedPenalty(penaltyPolicy());
        penaltyReplay = new PenaltyReplay(db.jobs(), db.penaltySnapshots(), this::penaltyPolicy, clock);
        replayPenalties(jobs, penalties);
        jobs.addListener(new PenaltyTracker(penalties, clock));
        QuotaBook quotas = new QuotaBook(config.users().quotas(), db.settings());
        RecentGpuUsage usage = new RecentGpuUsage(clock);
        jobs.store().replayFinished(clock.instant().minus(Duration.ofHours(24)), usage::replay);
        jobs.addListener(usage);
        ShareWriter share = new ShareWriter(paths.inbox(), ShareWriter.hostAccounts(paths.inbox(),
                config.users().uids().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        java.util.Map.Entry::getKey, e -> e.getValue().uid()))));
        userFolders(accounts, share);
        finishWorker = new Workers("dopq-finish", 1);
        Finisher finisher = new Finisher(share, images, config.provider().removeImages(), finishWorker,
                () -> List.copyOf(jobs.active().inStates(EnumSet.of(JobState.RECEIVED, JobState.BUILDING,
                        JobState.QUEUED, JobState.RUNNING))));
        finisher.keepSharedImages(jobs.active()::arrayGoesOn);
        jobs.addListener(finisher);
        finisher.catchUp(paths.work().resolve("jobs"), jobs);

        JobUids uids = new JobUids(config.users().uids(), HostAccounts.read(HostAccounts.PASSWD), db.uids(),
                config.docker().uidFirst(), config.docker().uidLast(), engine.security());
        queue = new QueueRunner(jobs, runtime, gpus, penalties, db.settings(), new Launcher(HostSetup.surroundings(config, runtime), instance,
                uids, backend.nodeAtStart()),
                clock, new QueueRunner.Settings(Duration.ofSeconds(2), config.queue().reconcile(),
                config.queue().stopGrace(), config.gpu().respectForeign() || backend.foreignAlwaysRespected()),
                config.queue().removeContainers(),
                finisher::removeImage);
        queue.useQuotas(quotas::current, usage);
        Dependencies dependencies = new Dependencies(jobs, clock);
        queue.useDependencies(dependencies::blocked);
        jobs.addListener((before, after) -> {
            if (after.state() == JobState.QUEUED || after.state().isTerminal()) {
                queue.signal();
            }
        });
        metrics.watch(new MetricsSources(jobs, MetricsSources.of(queue), penalties, clock, HostSetup.hostname()));
        if (config.gpu().dcgmJobMappingDir() != null) {
            dcgmMapping = new DcgmJobMapping(config.gpu().dcgmJobMappingDir(), jobs, queue::lastDevices);
            jobs.addListener(dcgmMapping);
        }
        int gpuCount = backend.largestNodeGpus();
        long gpuMemory = backend.largestGpuMemory();
        long hostMemory = system.memoryTotal();
        var p = config.provider();
        JobPreparer preparer = new JobPreparer(jobs,
                new SafeZipExtractor(new ZipLimits(p.maxEntries(), p.maxEntryBytes(), p.maxTotalBytes(), p.maxRatio())),
                images, accounts, () -> new SpecPolicy(gpuCount, hostMemory, config.docker().allowHostNetwork(),
                config.docker().allowHostPid(), config.docker().allowedImages(), engine.security().remapped(), gpuMemory),
                p.identity(),
                paths.inbox().getFileName().toString(), instance, config.docker().defaultMemoryBytes());
        preparer.useQuotas(quotas::current);
        preparer.usePriorities(config.users().priorities());
        preparer.useDependencies(dependencies);
        provider = new Provider(new InboxScanner(paths.inbox(), p.settle(), clock),
                new Intake(paths.inbox(), paths.work(), jobs, clock), preparer, jobs, paths.inbox(), paths.work(),
                HostSetup.minFreeBytes(config), p.rescan(), 2);
        history = new HistoryRetention(db.jobs(), config.queue().keepHistory(), paths.work(), clock,
                HISTORY_GRACE);
        jobs.addListener((before, after) -> {
            if (after.state().isTerminal()) {
                history.signal();
            }
        });

        queue.start();
        if (dcgmMapping != null) {
            dcgmMapping.start();
        }
        if (config.queue().removeContainers()) {
            finisher.sweepImages(jobs, instance);
        }
        provider.start();
        history.start(HISTORY_SWEEP);
        penaltyReplay.start(PENALTY_SNAPSHOT);
        Backend api = new Backend(jobs, queue, provider, accounts, penalties,
                new CachedSystemProbe(system, clock, Duration.ofMillis(500)), paths.work(), clock,
                startedAt, this::requestStop, config.api().anonymousRead(), backend, metrics::apiCall, notifyTargets,
                quotas, usage);
        rmi = new RmiServer(new RmiServer.Endpoint(config.api().host(), config.api().port(), config.api().hostname(),
                RmiServer.tls(config.api().tls(), config.api().keystore(), config.api().keystorePassword(),
                        config.api().truststore(), config.api().truststorePassword(), config.api().clientAuth())),
                api, new RmiServer.Limits(config.api().maxConnections(), config.api().maxSessions(),
                        config.api().idleTimeout()));
        startApi();
        outlets.startWeb(config.web(), jobs, accounts, api, metrics, this::healthProblem, clock);
        LOG.info("dopq started: inbox {}, state {}", paths.inbox(), paths.state());
    }

    /**
     * Every known user gets an inbox folder {@code <inbox>/<user>/} now and whenever one is added; under
     * {@code identity = claim} the zip's own claim is trusted, which the admin is reminded of at every start.
     */
    private void userFolders(Accounts accounts, ShareWriter share) {
        accounts.all().forEach(u -> share.ensureUserFolder(u.name()));
        accounts.addListener((user, change) -> {
            if (change == Accounts.Change.ADDED) {
                share.ensureUserFolder(user);
            }
        });
        if (config.provider().identity() == DopqConfig.Provider.Identity.CLAIM) {
            LOG.warn("[provider] identity = claim: a zip runs as whoever its executor_name names, so anyone who can"
                    + " write to the share can submit as anyone; use identity = folder (the default) or owner");
        }
    }

    /** Null while the database answers; the reason otherwise. */
    private String healthProblem() {
        try {
            db.settings().get("instance.id");
            return stopping.get() ? "stopping" : null;
        } catch (RuntimeException e) {
            return "database: " + e.getMessage();
        }
    }

    /** The port the HTTP endpoint listens on, or 0 when it is off. */
    public int webPort() {
        return outlets == null ? 0 : outlets.webPort();
    }

    private void startApi() throws Exception {
        try {
            rmi.start();
        } catch (java.rmi.server.ExportException e) {
            if (causedBy(e, java.net.BindException.class)) {
                throw new StartupException("port " + config.api().port() + " on " + config.api().host()
                        + " is in use ([api] port); stop what listens there or choose another port", e);
            }
            throw e;
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Where the tokens of users imported from DoPQ's user database are written: {@code <state>/dopq-users.tokens}. */
    public Path dopqTokenFile() {
        return config.paths().state().resolve("dopq-users.tokens");
    }

    /** A short id of this server's state, kept in the database; labels and names of what it creates carry it. */
    private String instanceId() {
        return db.settings().get("instance.id").orElseGet(() -> {
            String id = java.util.UUID.randomUUID().toString().substring(0, 8);
            db.settings().put("instance.id", id);
            return id;
        });
    }

    private PenaltyPolicy penaltyPolicy() {
        return "dopq".equals(config.queue().penalty()) ? PenaltyPolicy.dopq()
                : PenaltyPolicy.usage(config.queue().halfLife(), config.queue().cpuWeight());
    }

    /** Rebuilds penalties once at start from the snapshot, the history after it and what runs. */
    private void replayPenalties(Jobs jobs, PenaltyPolicy penalties) {
        penaltyReplay.restore(penalties);
        jobs.active().inStates(EnumSet.of(JobState.RUNNING)).stream()
                .filter(j -> j.startedAt() != null)
                .forEach(j -> penalties.onStarted(j, j.startedAt()));
    }

    private void requestStop(boolean stopRunning, String by) {
        // not on the RMI thread that asked: the stop unexports the API that thread is answering from
        Workers.start("dopq-shutdown", false, () -> stop(stopRunning, by));
    }

    /**
     * Unexports the API first (a call that arrives during the stop gets a clean connection error, never a
     * half-recorded job), stops intake and dispatch, leaves running containers to be re-adopted on the next start
     * (or stops them), lets the finish stage drain, and closes the database. Idempotent.
     */
    public void stop(boolean stopRunning) {
        stop(stopRunning, "server");
    }

    /** {@link #stop(boolean)} on behalf of {@code by} (the admin whose shutdown stops the running jobs). */
    public void stop(boolean stopRunning, String by) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Deadline deadline = Deadline.after(stopRunning ? STOP_WAIT.plus(config.queue().stopGrace()) : STOP_WAIT);
        LOG.info("stopping{} ({})", stopRunning ? " (and the running jobs)"
                : "; running jobs stay and are re-adopted", deadline);
        if (rmi != null) {
            rmi.stop();
        }
        if (outlets != null) {
            outlets.stopWeb(deadline);
        }
        if (provider != null) {
            provider.stop(deadline);
        }
        if (history != null) {
            history.stop(deadline.left());
        }
        if (queue != null) {
            if (stopRunning) {
                queue.stopAllRunning(deadline, by);
            }
            queue.stop(deadline);
        }
        if (penaltyReplay != null) {
            // after the queue: the exits it recorded while stopping are in the snapshot's history
            penaltyReplay.stop(deadline);
        }
        if (dcgmMapping != null) {
            dcgmMapping.stop(deadline.left());
        }
        if (finishWorker != null) {
            // what does not finish in time is done by the next start's catch-up
            finishWorker.shutdown(deadline);
        }
        if (outlets != null) {
            outlets.stopNotifications(deadline);
        }
        if (backend != null) {
            backend.close();
        }
        closeQuietly();
        LOG.info("stopped");
        stopped.countDown();
    }

    private void closeQuietly() {
        try {
            engine.connection().close();
        } catch (Exception e) {
            LOG.debug("closing the engine connection: {}", e.toString());
        }
        if (db != null) {
            db.close();
        }
        if (stateLock != null) {
            stateLock.close();
        }
    }

    /** The short id carried by this server's containers and images (label {@code dopq.instance}). */
    public String instance() {
        return instance;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }
}
