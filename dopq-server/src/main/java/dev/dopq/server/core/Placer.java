package dev.dopq.server.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start rule, applied to queued jobs in start order: shared by the full decision ({@link SchedulingPass})
 * and the dispatch from the index ({@link DispatchPass}), so both start exactly the same jobs on the same GPUs.
 */
final class Placer {
    /** What happened to a considered job. */
    enum Verdict {
        /** placed now (CPU-only, fits, or admitted next to the held job) */
        STARTS,
        /** someone holds it back ({@code dopq hold}): it neither starts nor holds GPUs */
        HELD,
        /** asks more GPUs than the queue can ever see */
        IMPOSSIBLE,
        /** its user's quota or its array's max_parallel does not allow it now; it holds nothing */
        QUOTA,
        /** the first job that does not fit: the free GPUs are held for it */
        HOLDS,
        /** waits behind the held job */
        WAITS
    }

    private final Instant now;
    private final Deque<String> free;
    private final List<Job> busy;
    private final int capacity;
    private final List<Placement> starts = new ArrayList<>();
    private final QuotaGate quota;
    private final GpuShares shares;
    private final long largestGpu;
    private GpuReservation hold;
    private String quotaRefusal;
    private WaitKind quotaKind;

    Placer(List<Job> running, List<String> freeGpus, Instant now, QuotaState quotas) {
        this(running, freeGpus, Map.of(), now, quotas);
    }

    /** @param gpuMemory bytes jobs may use on each GPU, for jobs that share one ({@link GpuShares}) */
    Placer(List<Job> running, List<String> freeGpus, Map<String, Long> gpuMemory, Instant now, QuotaState quotas) {
        this.now = now;
        this.quota = new QuotaGate(quotas, running);
        this.free = new ArrayDeque<>(new LinkedHashSet<>(freeGpus));
        this.busy = new ArrayList<>(running);
        this.capacity = capacity(running, freeGpus);
        this.shares = new GpuShares(gpuMemory, running);
        this.largestGpu = shares.largest(known(running, freeGpus));
    }

    private static Set<String> known(List<Job> running, List<String> freeGpus) {
        Set<String> known = new LinkedHashSet<>(freeGpus);
        running.forEach(job -> known.addAll(job.gpus()));
        return known;
    }

    /**
     * GPUs that exist as far as the queue can tell: free ones plus ours in use. GPUs busy with foreign
     * processes are invisible here, so a job fitting only with them does not hold GPUs (it still waits).
     */
    private static int capacity(List<Job> running, List<String> freeGpus) {
        Set<String> known = new LinkedHashSet<>(freeGpus);
        int unnamed = 0;
        for (Job job : running) {
            if (job.gpus().isEmpty()) {
                unnamed += job.gpusRequested();
            }
            known.addAll(job.gpus());
        }
        return known.size() + unnamed;
    }

    Verdict consider(Job job) {
        if (job.held()) {
            return Verdict.HELD;
        }
        if (!job.cpuOnly() && job.gpusRequested() > capacity || job.sharesGpu() && job.gpuMemory() > largestGpu) {
            return Verdict.IMPOSSIBLE;
        }
        quotaRefusal = quota.refusal(job);
        quotaKind = quotaRefusal == null ? null : quota.kindOf(job);
        if (quotaRefusal != null) {
            return Verdict.QUOTA;
        }
        if (job.cpuOnly()) {
            start(job);
            return Verdict.STARTS;
        }
        boolean fits = fitsNow(job);
        if (hold == null) {
            if (fits) {
                start(job);
                return Verdict.STARTS;
            }
            hold = GpuReservation.hold(job, free.size(), busy, shares);
            return Verdict.HOLDS;
        }
        if (fits && hold.admit(job, now, targets(job))) {
            start(job);
            return Verdict.STARTS;
        }
        return Verdict.WAITS;
    }

    /** Whether the job finds its GPUs now: whole free ones, or room on one for a job that shares it. */
    boolean fitsNow(Job job) {
        if (job.sharesGpu()) {
            return shares.target(job.gpuMemory(), free) != null;
        }
        return fitsOnOneNode(job.gpusRequested());
    }

    /** The GPUs the job would get now (it fits). */
    private List<String> targets(Job job) {
        if (job.sharesGpu()) {
            return List.of(shares.target(job.gpuMemory(), free));
        }
        String node = nodeWithRoom(job.gpusRequested());
        return free.stream().filter(gpu -> nodeOf(gpu).equals(node)).limit(job.gpusRequested()).toList();
    }

    /** Why a job that can never start here waits (after a {@link Verdict#IMPOSSIBLE}). */
    String impossible(Job job) {
        if (job.sharesGpu() && job.gpusRequested() <= capacity) {
            return Reasons.noRoom(job, largestGpu);
        }
        return Reasons.impossible(job, capacity);
    }

    /** The most GPU memory a sharing job could find now (a shared GPU's room or a whole free GPU). */
    long mostRoom() {
        return shares.mostRoom(free);
    }

    /**
     * GPU ids may name their node ({@code n1:0}, from a backend with several machines; plain ids are all one
     * node): a job's GPUs come from one node, so it fits when one node has that many free.
     */
    private boolean fitsOnOneNode(int gpus) {
        return gpus <= free.size() && nodeWithRoom(gpus) != null;
    }

    /** The most free GPUs one node has now (all free GPUs when they name no node). */
    int mostFreeOnOneNode() {
        Map<String, Integer> count = new LinkedHashMap<>();
        free.forEach(gpu -> count.merge(nodeOf(gpu), 1, Integer::sum));
        return count.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The first node (in the order the free GPUs are listed) with {@code gpus} free, or null. */
    private String nodeWithRoom(int gpus) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (String gpu : free) {
            String node = nodeOf(gpu);
            if (count.merge(node, 1, Integer::sum) >= gpus) {
                return node;
            }
        }
        return null;
    }

    private static String nodeOf(String gpu) {
        int colon = gpu.lastIndexOf(':');
        return colon < 0 ? "" : gpu.substring(0, colon);
    }

    private void start(Job job) {
        if (job.sharesGpu()) {
            startShared(job);
            return;
        }
        List<String> gpus = new ArrayList<>();
        String node = job.cpuOnly() ? null : nodeWithRoom(job.gpusRequested());
        for (var it = free.iterator(); it.hasNext() && gpus.size() < job.gpusRequested() && node != null; ) {
            String gpu = it.next();
            if (nodeOf(gpu).equals(node)) {
                gpus.add(gpu);
                it.remove();
            }
        }
        starts.add(new Placement(job, gpus));
        quota.started(job);
        busy.add(job.toBuilder().state(JobState.RUNNING).startedAt(now).gpus(gpus).build());
    }

    private void startShared(Job job) {
        String gpu = shares.target(job.gpuMemory(), free);
        free.remove(gpu);
        double share = shares.share(gpu, job.gpuMemory());
        shares.take(gpu, job.gpuMemory());
        starts.add(new Placement(job, List.of(gpu), share));
        quota.started(job);
        busy.add(job.toBuilder().state(JobState.RUNNING).startedAt(now).gpus(List.of(gpu)).gpuShare(share).build());
    }

    /** The GPUs left free that stay reserved for the held job, once no more jobs are considered. */
    Map<String, Long> held() {
        Map<String, Long> held = new LinkedHashMap<>();
        if (hold != null) {
            free.stream().limit(hold.heldCount(free.size())).forEach(gpu -> held.put(gpu, hold.heldJob().id()));
        }
        return held;
    }

    /** Why the job last considered waits for its quota (after a {@link Verdict#QUOTA}). */
    String quotaRefusal() {
        return quotaRefusal;
    }

    /** The kind of the last {@link #quotaRefusal()}: a dependency, the array's limit, or the user's quota. */
    WaitKind quotaKind() {
        return quotaKind;
    }

    List<Placement> starts() {
        return starts;
    }

    int freeCount() {
        return free.size();
    }

    int capacity() {
        return capacity;
    }

    /** The reservation for the first job that did not fit, or null while every job so far fitted. */
    GpuReservation hold() {
        return hold;
    }
}
