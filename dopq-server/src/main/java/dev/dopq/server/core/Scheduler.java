package dev.dopq.server.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which queued jobs start now and on which GPUs. Pure: values in, a {@link Decision} out.
 * <p>
 * Order is ascending {@code (penalty(user), submittedAt, id)}. Walking the order, a job that fits in the free
 * GPUs starts on the lowest ones (in the order {@code freeGpus} lists them). The first job that does not fit
 * gets the free GPUs held for it (see {@link GpuReservation} for when later jobs may still use them), so a big
 * job is never starved by a stream of small ones. CPU-only jobs always start. A job asking more GPUs than the
 * machine has never holds anything.
 * <p>
 * Starting a job does not change penalties within one decision: neither policy moves a penalty at the moment of
 * a start (the DoPQ rule counts finishes; usage accrues with run time and is zero at the start), so the order
 * used here is the one users see. Fairness between users comes across dispatches, as usage accrues.
 */
public final class Scheduler {

    /**
     * @param queued    QUEUED jobs
     * @param running   RUNNING jobs (with gpus, startedAt and timeout)
     * @param freeGpus  GPU ids free now, lowest first
     * @param penalties the fair-share policy
     * @param now       the decision time
     * @param locked    when true nothing starts, but order and reasons are still computed
     */
    public Decision decide(List<Job> queued, List<Job> running, List<String> freeGpus, PenaltyPolicy penalties,
                           Instant now, boolean locked) {
        return decide(queued, running, freeGpus, penalties, QuotaState.NONE, now, locked);
    }

    /**
     * {@link #decide(List, List, List, PenaltyPolicy, Instant, boolean)} with quotas: a GPU job its user's quota
     * does not allow now waits with a "quota: ..." reason, holds no GPUs, and the jobs behind it go ahead.
     */
    public Decision decide(List<Job> queued, List<Job> running, List<String> freeGpus, PenaltyPolicy penalties,
                           QuotaState quotas, Instant now, boolean locked) {
        return decide(queued, running, freeGpus, Map.of(), penalties, quotas, now, locked);
    }

    /**
     * {@link #decide(List, List, List, PenaltyPolicy, QuotaState, Instant, boolean)} with GPU sharing: jobs with
     * {@code gpu_memory} go onto one GPU while the sum of what its jobs asked fits {@code gpuMemory} (see
     * {@link GpuShares}); GPUs holding sharing jobs are not in {@code freeGpus}.
     *
     * @param gpuMemory bytes jobs may use on each GPU (its memory less what foreign processes use); GPUs without
     *                  a known memory are left out
     */
    public Decision decide(List<Job> queued, List<Job> running, List<String> freeGpus, Map<String, Long> gpuMemory,
                           PenaltyPolicy penalties, QuotaState quotas, Instant now, boolean locked) {
        Objects.requireNonNull(now, "now");
        Map<String, Double> byUser = new HashMap<>();
        for (Job job : queued) {
            byUser.computeIfAbsent(job.user(), user -> penalties.penalty(user, now));
        }
        List<Job> order = queued.stream()
                .sorted(Comparator.<Job>comparingDouble(j -> byUser.get(j.user()))
                        .thenComparing(Job::submittedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparingLong(Job::id))
                .toList();
        SchedulingPass pass = new SchedulingPass(order, byUser, running, freeGpus, gpuMemory, now, quotas);
        return locked ? pass.locked() : pass.run();
    }

    /**
     * The job at the head of the start order, i.e. {@code decide(...).order().get(0)}, in one pass without
     * sorting the queue or writing waiting reasons: each distinct user's penalty is looked up once, then the
     * smallest {@code (penalty, submittedAt, id)} wins. For callers that only need the next candidate.
     *
     * @param queued    QUEUED jobs
     * @param penalties the fair-share policy
     * @param now       the decision time
     * @return the first job in start order, or empty when nothing is queued
     */
    public Optional<Job> next(List<Job> queued, PenaltyPolicy penalties, Instant now) {
        Objects.requireNonNull(now, "now");
        Map<String, Double> byUser = new HashMap<>();
        Job best = null;
        double bestPenalty = 0;
        for (Job job : queued) {
            double penalty = byUser.computeIfAbsent(job.user(), user -> penalties.penalty(user, now));
            if (best == null || before(job, penalty, best, bestPenalty)) {
                best = job;
                bestPenalty = penalty;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The starts of {@link #decide} (same jobs, same GPUs, same order, same held GPUs) computed from an index of
     * the queue: walks the start order lazily and stops as soon as no further job could start, so a dispatch
     * costs O(users + considered jobs x log users), not a sort of the whole queue. No waiting reasons.
     *
     * @param queue     the QUEUED jobs, not changing during the call
     * @param running   RUNNING jobs (with gpus, startedAt and timeout)
     * @param freeGpus  GPU ids free now, lowest first
     * @param penalties the fair-share policy
     * @param now       the decision time
     */
    public Dispatch dispatch(QueuedJobs queue, List<Job> running, List<String> freeGpus, PenaltyPolicy penalties,
                             Instant now) {
        return dispatch(queue, running, freeGpus, penalties, QuotaState.NONE, now);
    }

    /** {@link #dispatch(QueuedJobs, List, List, PenaltyPolicy, Instant)} with the quotas of {@link #decide}. */
    public Dispatch dispatch(QueuedJobs queue, List<Job> running, List<String> freeGpus, PenaltyPolicy penalties,
                             QuotaState quotas, Instant now) {
        return dispatch(queue, running, freeGpus, Map.of(), penalties, quotas, now);
    }

    /** The dispatch with GPU sharing, as {@link #decide(List, List, List, Map, PenaltyPolicy, QuotaState, Instant, boolean)}. */
    public Dispatch dispatch(QueuedJobs queue, List<Job> running, List<String> freeGpus, Map<String, Long> gpuMemory,
                             PenaltyPolicy penalties, QuotaState quotas, Instant now) {
        Objects.requireNonNull(now, "now");
        return new DispatchPass(queue, running, freeGpus, gpuMemory, now, quotas).run(penalties);
    }

    /** The order of {@link #decide}: penalty, then submission time (unknown last), then id. */
    private static boolean before(Job a, double penaltyA, Job b, double penaltyB) {
        int byPenalty = Double.compare(penaltyA, penaltyB);
        if (byPenalty != 0) {
            return byPenalty < 0;
        }
        if (!Objects.equals(a.submittedAt(), b.submittedAt())) {
            if (a.submittedAt() == null || b.submittedAt() == null) {
                return b.submittedAt() == null;
            }
            return a.submittedAt().isBefore(b.submittedAt());
        }
        return a.id() < b.id();
    }

    /** One line for {@code dopq job <id>}: where the job starts, why it waits, or that it is not queued. */
    public static String explain(Decision decision, long jobId) {
        return decision.placementOf(jobId)
                .map(p -> p.gpus().isEmpty() ? "starts now (CPU only)"
                        : "starts now on GPUs " + String.join(",", p.gpus())
                        + (p.job().sharesGpu() ? " (shared, " + Reasons.bytes(p.job().gpuMemory()) + ")" : ""))
                .orElseGet(() -> decision.waiting().getOrDefault(jobId, "not in the queue"));
    }
}
