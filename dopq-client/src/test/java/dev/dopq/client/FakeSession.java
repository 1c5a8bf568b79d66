package dev.dopq.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;
import dev.dopq.api.GpuJob;
import dev.dopq.api.GpuView;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.api.NodeView;
import dev.dopq.api.LogChunk;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.QuotaInfo;
import dev.dopq.api.SystemStatus;
import dev.dopq.api.UserInfo;
import dev.dopq.api.UserStats;

/** An in-process server with fixed data (now is {@link #NOW}); records what it is asked to do. */
class FakeSession implements DopqSession {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    final List<String> calls = new ArrayList<>();
    final Map<String, ApiException> failures = new HashMap<>();
    final List<LogChunk> logChunks = new ArrayList<>();
    final List<Long> logOffsets = new ArrayList<>();
    HistoryQuery lastHistoryQuery;
    final List<QueueQuery> queueQueries = new ArrayList<>();
    List<JobView> queued = QUEUE;
    Instant lastClearBefore;
    String submittedName;
    byte[] submittedZip;
    /** Sizes of the chunks an upload arrived in. */
    final List<Integer> chunkSizes = new ArrayList<>();
    private java.io.ByteArrayOutputStream uploading;
    String user = "ana";
    /** What {@link #job} answers for ids other than 43, one detail per call; the last one stays. */
    final Map<String, List<JobView>> jobStates = new HashMap<>();
    final List<Integer> logAttempts = new ArrayList<>();
    Boolean lastCancelNow;
    Boolean lastRemoveCancelsJobs;

    /** Makes the named operation (e.g. "job", "delete:13") throw. */
    FakeSession failing(String operation, ApiException failure) {
        failures.put(operation, failure);
        return this;
    }

    private void call(String operation, String... args) throws ApiException {
        String key = args.length == 0 ? operation : operation + ":" + String.join(",", args);
        calls.add(key);
        ApiException failure = failures.containsKey(key) ? failures.get(key) : failures.get(operation);
        if (failure != null) {
            throw failure;
        }
    }

    static Instant at(String hhmmss) {
        return Instant.parse("2024-05-01T" + hhmmss + "Z");
    }

    static JobView job(String id, String name, String user, String state, List<String> gpus, int requested,
                       Integer exit, Instant submitted, Instant started, Instant finished, String reason,
                       int attempt) {
        return new JobView(id, name, user, state, gpus, requested, exit, submitted, started, finished, reason,
                attempt, started == null ? null : "local");
    }

    static final List<JobView> RUNNING = List.of(
            job("41", "train-resnet50", "ana", "RUNNING", List.of("0", "1"), 2, null, at("10:55:00"),
                    at("11:00:00"), null, null, 1),
            job("42", "eval", "bob", "RUNNING", List.of("2"), 1, null, at("11:40:00"), at("11:48:30"), null,
                    "retry after exit 1", 2),
            new JobView("46", "long-run", "carl", "RUNNING", List.of("5"), 1, null, at("09:00:00"), at("09:05:00"),
                    null, "cancelled by carl", 1, "local", null, null, true, at("11:59:55"), at("12:00:25"), 25L));

    static final List<JobView> QUEUE = List.of(
            job("43", "sweep lr=0.1", "carl", "QUEUED", List.of(), 2, null, at("11:57:00"), null, null, null, 1),
            waitingFor(job("44", "cpu-prep", "ana", "QUEUED", List.of(), 0, null, at("11:59:55"), null, null, null,
                    1), List.of("41"), List.of("40")));

    /** The job waiting for {@code after} to succeed and {@code afterAny} to end. */
    static JobView waitingFor(JobView j, List<String> after, List<String> afterAny) {
        return new JobView(j.id(), j.name(), j.user(), j.state(), j.gpus(), j.gpusRequested(), j.exitCode(),
                j.submittedAt(), j.startedAt(), j.finishedAt(), j.reason(), j.attempt(), j.node(), j.arrayId(),
                j.arrayIndex(), j.stopping(), j.stopRequestedAt(), j.killAt(), j.killInSeconds(), after, afterAny);
    }

    static final List<JobView> HISTORY = List.of(
            job("40", "baseline", "ana", "SUCCEEDED", List.of("0"), 1, 0, at("08:50:00"), at("09:00:00"),
                    at("10:30:00"), null, 1),
            job("39", "a job with a rather long name that is clipped", "bob", "FAILED", List.of("1"), 1, 137,
                    at("07:00:00"), at("07:10:00"), at("07:15:42"), "out of memory (limit 8.0 GiB)", 1),
            job("38", "typo", "dave", "REJECTED", List.of(), 1, null, at("06:00:00"), null, at("06:00:01"),
                    "unknown user dave", 1),
            job("37", "old", "ana", "CANCELLED", List.of(), 1, null, Instant.parse("2024-04-20T10:00:00Z"),
                    null, Instant.parse("2024-04-20T11:00:00Z"), "deleted by ana", 1));

    static final List<GpuView> GPUS = List.of(
            new GpuView("0", true, "41", null, false, 87, 10L << 30, 16L << 30, 65),
            new GpuView("1", true, "41", null, false, -1, -1, -1, -1),
            new GpuView("2", true, "42", null, false, 12, 1L << 30, 16L << 30, 40),
            new GpuView("3", false, null, "43", false, 0, 0, 16L << 30, 31),
            new GpuView("4", true, null, null, true, 99, 15L << 30, 16L << 30, 80),
            new GpuView("5", true, "44", null, false, -1, -1, 24L << 30, -1, List.of(
                    new GpuJob("44", "ana", 10L << 30), new GpuJob("45", "bob", 8L << 30))));

    static final SystemStatus STATUS = new SystemStatus(false, 2, 2, 1, Instant.parse("2024-04-28T08:00:00Z"),
            null, 0.42, 64L << 30, 40L << 30, 500L << 30, GPUS, false);

    static final JobDetail DETAIL = new JobDetail(QUEUE.get(0), "dopq/job-43:latest", 8L << 30, 7200, 1,
            "position 1 of 2; needs 2 GPUs, 1 free (GPU 3 held for this job)",
            List.of(new JobEventView(at("11:56:50"), "share", null, "RECEIVED", "taken from shared-inbox"),
                    new JobEventView(at("11:56:51"), "dopq", "RECEIVED", "BUILDING", null),
                    new JobEventView(at("11:57:00"), "dopq", "BUILDING", "QUEUED", "image built")),
            "Step 3/3 : RUN pip install -r requirements.txt\nSuccessfully built 1234abcd", "200001:200001");

    /** A job of a pipeline: it waits for the step before it. */
    static final JobDetail WAITING_DETAIL = new JobDetail(QUEUE.get(1), "dopq/cpu-prep:44", 0, 0, 0,
            "waits for job 41 to succeed (it is running)",
            List.of(new JobEventView(at("11:59:55"), "provider", null, "QUEUED", null)), null, "200002:200002");

    static final List<UserStats> USERS = List.of(
            new UserStats("carl", 0.0, 0, 1, 0),
            new UserStats("ana", 0.37, 1, 1, 12),
            new UserStats("bob", 1234.5, 1, 0, 3));

    static final List<UserInfo> USER_INFOS = List.of(
            new UserInfo("admin", true, true, false, Instant.parse("2024-01-02T03:04:05Z")),
            new UserInfo("ana", false, true, false, at("09:00:00"), "ana@lab.example"),
            new UserInfo("legacy", false, false, true, null));

    @Override
    public String whoami() throws ApiException {
        call("whoami");
        return user;
    }

    @Override
    public SystemStatus status() throws ApiException {
        call("status");
        return STATUS;
    }

    @Override
    public List<JobView> running() throws ApiException {
        call("running");
        return RUNNING;
    }

    @Override
    public List<JobView> queue() throws ApiException {
        call("queue");
        return queued;
    }

    /** Pages {@link #queued} as the server does: positions in the whole queue, counts of the whole queue. */
    @Override
    public QueuePage queue(QueueQuery query) throws ApiException {
        call("queue");
        queueQueries.add(query);
        List<QueueEntry> matching = new ArrayList<>();
        for (int i = 0; i < queued.size(); i++) {
            if (query.user() == null || query.user().equals(queued.get(i).user())) {
                matching.add(new QueueEntry(i + 1, queued.get(i)));
            }
        }
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(matching.size(), from + query.limit());
        return new QueuePage(queued.size(), matching.size(), query.offset(), matching.subList(from, to));
    }

    @Override
    public List<JobView> history(HistoryQuery query) throws ApiException {
        call("history");
        lastHistoryQuery = query;
        return HISTORY;
    }

    @Override
    public List<UserStats> users() throws ApiException {
        call("users");
        return USERS;
    }

    @Override
    public JobDetail job(String id) throws ApiException {
        call("job", id);
        if (id.equals("44")) {
            return WAITING_DETAIL;
        }
        List<JobView> states = jobStates.get(id);
        if (states != null && !states.isEmpty()) {
            JobView next = states.size() > 1 ? states.remove(0) : states.get(0);
            return new JobDetail(next, null, 0, 0, 0, null, List.of(), null, null);
        }
        if (id.equals("43")) {
            return DETAIL;
        }
        if (id.equals("45") && submittedZip != null) {
            // a submitted job is built and queued by the time it is asked for
            return new JobDetail(job("45", "submitted", user, "QUEUED", List.of(), 1, null, NOW, null, null, null, 1),
                    null, 0, 0, 0, null, List.of(), null, null);
        }
        for (List<JobView> list : List.of(RUNNING, HISTORY)) {
            for (JobView j : list) {
                if (j.id().equals(id)) {
                    return new JobDetail(j, null, 0, 0, 0, null, List.of(), null, null);
                }
            }
        }
        throw new NotFoundException("no job " + id);
    }

    /** Makes {@link #job} answer these states for {@code id}, one per call. */
    FakeSession jobGoesThrough(String id, JobView... states) {
        jobStates.put(id, new ArrayList<>(List.of(states)));
        return this;
    }

    @Override
    public LogChunk logs(String id, long offset, int maxBytes) throws ApiException {
        call("logs", id);
        logOffsets.add(offset);
        return logChunks.isEmpty() ? new LogChunk("", offset < 0 ? 0 : offset, true) : logChunks.remove(0);
    }

    @Override
    public LogChunk logs(String id, int attempt, long offset, int maxBytes) throws ApiException {
        call("logs", id, "attempt " + attempt);
        logAttempts.add(attempt);
        logOffsets.add(offset);
        return logChunks.isEmpty() ? new LogChunk("", offset < 0 ? 0 : offset, true) : logChunks.remove(0);
    }

    @Override
    public List<GpuView> gpus() throws ApiException {
        call("gpus");
        return GPUS;
    }

    @Override
    public List<NodeView> nodes() throws ApiException {
        call("nodes");
        return List.of(new NodeView("n1", "mixed", 2, 1, List.of("41")), new NodeView("n2", "down", 2, 0, List.of()));
    }

    @Override
    public String beginUpload(String fileName, long size) throws ApiException {
        call("submit");
        submittedName = fileName;
        uploading = new java.io.ByteArrayOutputStream();
        return "upload-1";
    }

    @Override
    public void uploadChunk(String uploadId, byte[] chunk) {
        chunkSizes.add(chunk.length);
        uploading.writeBytes(chunk);
    }

    @Override
    public JobView finishUpload(String uploadId) {
        submittedZip = uploading.toByteArray();
        return job("45", "submitted", user, "RECEIVED", List.of(), 1, null, NOW, null, null, null, 1);
    }

    @Override
    public JobView delete(String id) throws ApiException {
        call("delete", id);
        return job(id, "x", user, "CANCELLED", List.of(), 1, null, NOW, null, NOW, "deleted", 1);
    }

    @Override
    public JobView cancel(String id) throws ApiException {
        call("cancel", id);
        return job(id, "x", user, "CANCELLED", List.of(), 1, 143, NOW, NOW, NOW, "cancelled", 1);
    }

    @Override
    public JobView cancel(String id, boolean now) throws ApiException {
        call("cancel", id);
        lastCancelNow = now;
        Instant killAt = now ? NOW : NOW.plusSeconds(30);
        return new JobView(id, "x", user, "RUNNING", List.of("0"), 1, null, NOW, NOW.minusSeconds(60), null,
                "cancelled by " + user, 1, "local", null, null, true, NOW, killAt, now ? 0L : 30L);
    }

    @Override
    public void lock() throws ApiException {
        call("lock");
    }

    @Override
    public void unlock() throws ApiException {
        call("unlock");
    }

    @Override
    public int clearHistory(Instant before) throws ApiException {
        call("clearHistory");
        lastClearBefore = before;
        return 3;
    }

    @Override
    public void shutdown(boolean stopRunning) throws ApiException {
        call("shutdown", String.valueOf(stopRunning));
    }

    @Override
    public String addUser(String name, boolean admin) throws ApiException {
        call("addUser", name, String.valueOf(admin));
        return name + ".s3cr3t";
    }

    @Override
    public void removeUser(String name) throws ApiException {
        call("removeUser", name);
    }

    @Override
    public int removeUser(String name, boolean cancelJobs) throws ApiException {
        call("removeUser", name);
        lastRemoveCancelsJobs = cancelJobs;
        return cancelJobs ? 2 : 0;
    }

    @Override
    public List<UserInfo> listUsers() throws ApiException {
        call("listUsers");
        return USER_INFOS;
    }

    @Override
    public void setAdmin(String name, boolean admin) throws ApiException {
        call("setAdmin", name, Boolean.toString(admin));
    }

    @Override
    public String newToken(String name) throws ApiException {
        call("newToken", name);
        return name + ".n3w";
    }

    @Override
    public dev.dopq.api.NotifySettings notifySettings() {
        return new dev.dopq.api.NotifySettings("ana", null, null);
    }

    @Override
    public dev.dopq.api.NotifySettings setNotify(String webhook, String email) {
        return new dev.dopq.api.NotifySettings("ana", webhook, email);
    }

    static final List<QuotaInfo> QUOTAS = List.of(
            new QuotaInfo("*", 2, 20, null, 0, 0, 0, "config"),
            new QuotaInfo("ana", 4, 20, 48.0, 3, 5, 12.5, "config, run time"),
            new QuotaInfo("bob", 2, 20, null, 0, 0, 0, "default"));

    @Override
    public List<QuotaInfo> quotas() throws ApiException {
        call("quotas");
        return QUOTAS;
    }

    @Override
    public List<QuotaInfo> setQuota(String user, String key, String value) throws ApiException {
        call("setQuota", user, key, value);
        return QUOTAS;
    }
}
