package dev.dopq.server.rmi;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.GpuJob;
import dev.dopq.api.AttemptView;
import dev.dopq.api.GpuView;
import dev.dopq.api.NodeView;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.SystemStatus;
import dev.dopq.api.UserStats;
import dev.dopq.container.JobSpec;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.gpu.GpuDevice;
import dev.dopq.server.service.ActiveJobs;
import dev.dopq.server.service.JobViews;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The read side of the API. */
final class ReadOperations {
    private final Backend b;
    private final HistoryCache historyPages = new HistoryCache();

    ReadOperations(Backend backend) {
        this.b = backend;
    }

    Backend.CallTimer timer() {
        return b.calls();
    }

    NotifyOperations notifications() {
        return new NotifyOperations(b.notifyTargets());
    }

    SystemStatus status() {
        ActiveJobs active = b.jobs().active();
        int building = active.count(JobState.RECEIVED) + active.count(JobState.BUILDING);
        long diskFree = b.system().diskFree(b.workDir());
        return new SystemStatus(b.queue().locked(), active.count(JobState.QUEUED), active.count(JobState.RUNNING),
                building, b.startedAt(), b.provider().intakeProblem(), b.system().cpuLoad(),
                b.system().memoryTotal(), b.system().memoryAvailable(), diskFree, gpus(), b.queue().liveRestore());
    }

    /** The backend's nodes with the RUNNING jobs on them. */
    List<NodeView> nodes() {
        List<Job> running = b.jobs().active().inStates(EnumSet.of(JobState.RUNNING));
        return b.execution().nodes(running).stream()
                .map(n -> new NodeView(n.name(), n.state(), n.gpus(), n.gpusUsed(),
                        n.jobs().stream().map(String::valueOf).toList()))
                .toList();
    }

    List<GpuView> gpus() {
        return gpus(b.jobs().active().inStates(EnumSet.of(JobState.RUNNING)));
    }

    private List<GpuView> gpus(List<Job> jobs) {
        // jobs sharing a GPU by gpu_memory hold the same id
        Map<String, List<GpuJob>> holders = new HashMap<>();
        for (Job j : jobs) {
            if (j.state() == JobState.RUNNING) {
                j.gpus().forEach(g -> holders.computeIfAbsent(g, k -> new ArrayList<>())
                        .add(new GpuJob(Long.toString(j.id()), j.user(), j.gpuMemory())));
            }
        }
        Map<String, Long> held = b.queue().lastDecision().held();
        List<GpuView> out = new ArrayList<>();
        for (GpuDevice d : b.queue().lastDevices()) {
            List<GpuJob> on = holders.getOrDefault(d.id(), List.of());
            Long heldFor = held.get(d.id());
            out.add(new GpuView(d.id(), !on.isEmpty() || d.foreignBusy(), on.isEmpty() ? null : on.get(0).job(),
                    heldFor == null ? null : heldFor.toString(), d.foreignBusy(), d.utilization(), d.memoryUsed(),
                    d.memoryTotal(), d.temperature(), on));
        }
        return out;
    }

    List<JobView> running() {
        return b.jobs().active().inStates(EnumSet.of(JobState.RUNNING)).stream()
                .sorted(Comparator.comparing(Job::startedAt, Comparator.nullsLast(Comparator.naturalOrder())))
                .map(j -> JobViews.view(j, b.clock().instant())).toList();
    }

    List<JobView> queue() {
        return b.queue().preview().order().stream().map(JobViews::view).toList();
    }

    /**
     * A page of the start order, walked from the queue index in memory as far as the page goes: the same order as the
     * full decision (which also writes a waiting reason for every queued job, and is left to {@code dopq job}).
     */
    QueuePage queue(QueueQuery q) throws InvalidRequestException {
        String user = QueuePaging.check(q);
        Instant now = b.clock().instant();
        return b.jobs().active().readQueue(queued -> QueuePaging.page(queued.order(b.penalties(), now), queued.size(),
                q, user));
    }

    List<JobView> history(HistoryQuery q) throws InvalidRequestException {
        if (q == null) {
            q = HistoryQuery.latest(50);
        }
        if (q.limit() < 1 || q.limit() > ApiLimits.MAX_HISTORY_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + ApiLimits.MAX_HISTORY_LIMIT);
        }
        String user = q.user() == null ? null : QueuePaging.user(q.user());
        Long before = q.beforeId() == null ? null : Checks.jobId(q.beforeId());
        HistoryCache.Query query = new HistoryCache.Query(user, q.since(), before, q.limit());
        return historyPages.get(query, b.jobs().active().changes(), b.clock().instant(),
                () -> b.jobs().store().history(query.user(), query.since(), query.beforeId(), query.limit()).stream()
                        .map(JobViews::view).toList());
    }

    /** The history lost jobs: pages read before are not served again. */
    void historyCleared() {
        historyPages.clear();
    }

    List<UserStats> users() {
        Instant now = b.clock().instant();
        Map<String, Double> penalties = b.penalties().penalties(now);
        Map<String, int[]> counts = new TreeMap<>();
        for (Job j : b.jobs().active().inStates(EnumSet.of(JobState.QUEUED, JobState.RUNNING))) {
            if (!j.ownerKnown()) {
                continue;
            }
            int[] c = counts.computeIfAbsent(j.user(), u -> new int[3]);
            c[j.state() == JobState.RUNNING ? 0 : 1]++;
        }
        b.jobs().store().finishedCounts().forEach((u, n) -> counts.computeIfAbsent(u, x -> new int[3])[2] = n);
        Set<String> names = new HashSet<>(counts.keySet());
        names.addAll(penalties.keySet());
        return names.stream()
                .map(u -> {
                    int[] c = counts.getOrDefault(u, new int[3]);
                    return new UserStats(u, penalties.getOrDefault(u, 0.0), c[0], c[1], c[2]);
                })
                .sorted(Comparator.comparingDouble(UserStats::penalty).thenComparing(UserStats::user))
                .toList();
    }

    /**
     * One job in detail. Its image, build log and uid are shown only to its owner and admins: an image name is
     * all another user would need to run that image.
     */
    JobDetail job(long id, Caller caller) throws NotFoundException {
        Job job = find(id);
        String waiting = null;
        if (job.state() == JobState.QUEUED) {
            Decision d = b.queue().preview();
            waiting = d.waiting().get(id);
            if (b.queue().locked()) {
                waiting = "the queue is locked by an admin; " + (waiting == null ? "" : waiting);
            }
        }
        long timeout = job.timeout() == null ? 0 : job.timeout().getSeconds();
        boolean insider = caller.admin() || caller.owns(job.user());
        JobSpec spec = storedSpec(job);
        String image = job.image();
        if (image == null && spec != null) {
            image = spec.image();
        }
        String runAs = spec == null || !insider ? null : b.queue().launcher().runAs(job.user(), spec.containerUser());
        return new JobDetail(JobViews.view(job, b.clock().instant()), insider ? image : null, job.memoryBytes(),
                timeout, job.maxRetries(), waiting, b.jobs().store().events(id).stream().map(JobViews::view).toList(),
                insider ? LogFiles.buildLogTail(job, 20) : null, insider ? runAs : null, attempts(job),
                job.gpuMemory());
    }

    /** The recorded attempts, and the current one while it runs (it is recorded when it ends). */
    private List<AttemptView> attempts(Job job) {
        List<AttemptView> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Attempt a : b.jobs().store().attempts(job.id())) {
            seen.add(a.number());
            out.add(new AttemptView(a.number(), a.gpus(), a.startedAt(), a.finishedAt(), a.exitCode(), a.reason(),
                    LogFiles.size(job, a.number())));
        }
        if (job.state() == JobState.RUNNING && !seen.contains(job.attempt())) {
            out.add(new AttemptView(job.attempt(), job.gpus(), job.startedAt(), null, null,
                    job.stopping() ? job.stopReason() : null, LogFiles.size(job, job.attempt())));
        }
        return out;
    }

    /** The job's validated spec, or null before it was read (or when a very old row holds another shape). */
    private static JobSpec storedSpec(Job job) {
        try {
            return job.specJson() == null ? null : JobSpec.fromJson(job.specJson());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Job find(long id) throws NotFoundException {
        return b.jobs().find(id).orElseThrow(() -> new NotFoundException("no job " + id));
    }
}
