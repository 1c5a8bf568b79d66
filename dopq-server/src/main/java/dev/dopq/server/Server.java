package dev.dopq.server;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.Mount;
import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.Images;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.engine.Engine;
import dev.dopq.server.gpu.GpuInventory;
import dev.dopq.server.finish.Finisher;
import dev.dopq.server.files.SafeFiles;
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
import dev.dopq.server.notify.Courier;
import dev.dopq.server.notify.EmailChannel;
import dev.dopq.server.notify.Notifications;
import dev.dopq.server.notify.WebhookChannel;
import dev.dopq.server.metrics.MetricsSources;
import dev.dopq.server.rmi.InProcessApi;
import dev.dopq.server.web.Dashboard;
import dev.dopq.server.web.Health;
import dev.dopq.server.web.WebSessions;
import dev.dopq.server.web.MetricsPage;
import dev.dopq.server.web.WebServer;
import dev.dopq.server.web.WebTls;
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
    private WebServer web;
    private DopqMetrics metrics;
    private DcgmJobMapping dcgmMapping;
    private Courier courier;
    private NotifyTargets notifyTargets;
    private Workers notifyWorkers;
    private String instance;

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
        ownerOnlyFolder(paths.state());
        Files.createDirectories(paths.work());
        Files.createDirectories(paths.database().toAbsolutePath().getParent());
        db = Database.open(paths.database(), clock);
        Jobs jobs = new Jobs(db.jobs());
        metrics = new DopqMetrics(clock, version());
        jobs.addListener(metrics.jobListener());
        notifyTargets = new NotifyTargets(db.settings());
        startNotifications(jobs);
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
        queue = new QueueRunner(jobs, runtime, gpus, penalties, db.settings(), new Launcher(surroundings(runtime), instance,
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
        metrics.watch(new MetricsSources(jobs, MetricsSources.of(queue), penalties, clock, hostname()));
        if (config.gpu().dcgmJobMappingDir() != null) {
            dcgmMapping = new DcgmJobMapping(config.gpu().dcgmJobMappingDir(), jobs, queue::lastDevices);
            jobs.addListener(dcgmMapping);
        }
        int gpuCount = backend.largestNodeGpus();
        long hostMemory = system.memoryTotal();
        var p = config.provider();
        JobPreparer preparer = new JobPreparer(jobs,
                new SafeZipExtractor(new ZipLimits(p.maxEntries(), p.maxEntryBytes(), p.maxTotalBytes(), p.maxRatio())),
                images, accounts, () -> new SpecPolicy(gpuCount, hostMemory, config.docker().allowHostNetwork(),
                config.docker().allowHostPid(), config.docker().allowedImages(), engine.security().remapped()), p.identity(),
                paths.inbox().getFileName().toString(), instance, config.docker().defaultMemoryBytes());
        preparer.useQuotas(quotas::current);
        preparer.useDependencies(dependencies);
        provider = new Provider(new InboxScanner(paths.inbox(), p.settle(), clock),
                new Intake(paths.inbox(), paths.work(), jobs, clock), preparer, jobs, paths.inbox(), paths.work(),
                minFreeBytes(), p.rescan(), 2);
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
        rmi.start();
        startWeb(jobs, api);
        LOG.info("dopq started: inbox {}, state {}", paths.inbox(), paths.state());
    }

    /**
     * The state folder holds tokens, the database and every job's files: it is the server's alone (0700), so no
     * other user of the machine can read it or plant a link in it.
     */
    private static void ownerOnlyFolder(java.nio.file.Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, SafeFiles.OWNER_DIR);
        } catch (UnsupportedOperationException e) {
            LOG.warn("cannot make {} owner-only on this file system", dir);
        }
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

    /** The outbox courier (delivering what an earlier run left too) and the listener that fills the outbox. */
    private void startNotifications(Jobs jobs) {
        var n = config.notifications();
        notifyWorkers = new Workers("dopq-notify-http", 1);
        java.util.Map<String, Courier.Channel> channels = new java.util.HashMap<>();
        channels.put(Courier.WEBHOOK, new WebhookChannel(notifyWorkers));
        if (n.smtpHost() != null) {
            channels.put(Courier.EMAIL, new EmailChannel(new EmailChannel.Smtp(n.smtpHost(), n.smtpPort(),
                    n.smtpUser(), n.smtpPassword(), n.smtpFrom(), n.smtpTls())));
        }
        courier = new Courier(db.outbox(), channels, n.retries(), n.backoff(), clock);
        jobs.addListener(new Notifications(db.outbox(), n.webhook(), notifyTargets, n.smtpHost() != null, clock,
                courier::signal));
        courier.start();
    }

    /** The HTTP endpoint ({@code [web]}), unless its port is 0. */
    private void startWeb(Jobs jobs, Backend backend) throws Exception {
        var w = config.web();
        if (!w.enabled()) {
            return;
        }
        web = new WebServer(w.host(), w.port(), w.tls() ? WebTls.context(w.keystore(), w.keystorePassword()) : null);
        web.route("/healthz", new Health(this::healthProblem));
        web.route("/metrics", new MetricsPage(metrics::scrape));
        Dashboard dashboard = new Dashboard(new InProcessApi(backend), new WebSessions(clock, w.tls()), w.publicUrl());
        jobs.addListener((before, after) -> dashboard.changed());
        web.route("/", dashboard);
        web.onStop(() -> dashboard.close(Duration.ofSeconds(5)));
        web.start();
    }

    private static String version() {
        String v = Server.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** This machine's name as dcgm-exporter writes its {@code hostname} label (lower case since 2026). */
    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (java.net.UnknownHostException e) {
            return "localhost";
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
        return web == null ? 0 : web.boundPort();
    }

    /** Where the tokens of users imported from DoPQ's user database are written: {@code <state>/dopq-users.tokens}. */
    public Path dopqTokenFile() {
        return config.paths().state().resolve("dopq-users.tokens");
    }

    /** {@code [provider] min_free} in bytes; a percentage is of the disk holding the work folder. */
    private long minFreeBytes() throws IOException {
        var p = config.provider();
        if (p.minFreePercent() <= 0) {
            return p.minFreeBytes();
        }
        long bytes = p.minFreeOn(Files.getFileStore(config.paths().work()).getTotalSpace());
        LOG.info("min_free {}% of the work folder's disk is {} MiB", p.minFreePercent(), bytes >> 20);
        return bytes;
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

    private Launcher.Surroundings surroundings(ContainerRuntime runtime) {
        var d = config.docker();
        List<Mount> mounts = d.mounts().stream()
                .map(m -> new Mount(realHostPath(m.host()), m.container(), m.readOnly())).toList();
        boolean nvidia = switch (config.gpu().nvidiaRuntime()) {
            case "yes" -> true;
            case "no" -> false;
            default -> runtime.info().nvidiaRuntime();
        };
        return new Launcher.Surroundings(mounts, d.output(), blankToNull(d.network()), nvidia, d.pidsLimit());
    }

    /**
     * The admin's mount source as it resolves now, at start: the engine follows links at a mount's source on every
     * container start, so a link swapped in later (by anyone who can write to a folder on the way) would move the
     * mount; the resolved path does not.
     */
    private static String realHostPath(java.nio.file.Path host) {
        try {
            java.nio.file.Path real = host.toRealPath();
            if (!real.equals(host)) {
                LOG.info("[docker] mounts: {} resolves to {}; containers get {}", host, real, real);
            }
            return real.toString();
        } catch (IOException e) {
            LOG.warn("[docker] mounts: cannot resolve {} ({}); mounting it as written", host, e.toString());
            return host.toString();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void requestStop(boolean stopRunning) {
        // not on the RMI thread that asked: the stop unexports the API that thread is answering from
        Workers.start("dopq-shutdown", false, () -> stop(stopRunning));
    }

    /**
     * Unexports the API first (a call that arrives during the stop gets a clean connection error, never a
     * half-recorded job), stops intake and dispatch, leaves running containers to be re-adopted on the next start
     * (or stops them), lets the finish stage drain, and closes the database. Idempotent.
     */
    public void stop(boolean stopRunning) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Deadline deadline = Deadline.after(stopRunning ? STOP_WAIT.plus(config.queue().stopGrace()) : STOP_WAIT);
        LOG.info("stopping{} ({})", stopRunning ? " (and the running jobs)"
                : "; running jobs stay and are re-adopted", deadline);
        if (rmi != null) {
            rmi.stop();
        }
        if (web != null) {
            web.stop(deadline.left());
        }
        if (provider != null) {
            provider.stop(deadline);
        }
        if (history != null) {
            history.stop(deadline.left());
        }
        if (queue != null) {
            if (stopRunning) {
                queue.stopAllRunning(deadline);
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
        if (courier != null) {
            // what is not delivered yet stays in the outbox for the next start
            courier.stop(deadline.left());
            notifyWorkers.shutdown(deadline);
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
    }

    /** The short id carried by this server's containers and images (label {@code dopq.instance}). */
    public String instance() {
        return instance;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }
}
