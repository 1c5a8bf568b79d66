package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GPUs held for the first queued job that does not fit (EASY backfilling).
 * <p>
 * The held job's <em>shadow time</em> is the earliest time at which enough GPUs are certain to be free, computed
 * from the running jobs' latest possible ends ({@code startedAt + timeout}). A later job may use the held GPUs
 * only when its own timeout ends it by the shadow time, so the held job never starts later than it would have
 * without the lending. GPUs that will be left over at the shadow time even after the held job takes its share
 * ("extra" GPUs) can be used by any job.
 * <p>
 * A running job without a timeout has no latest end. When the held job needs such a job to end, its shadow time
 * is unknown and the held GPUs are not lent at all: every moment could be the one the untimed job ends, and
 * lending then would let a stream of timed jobs push the held job back again and again, i.e. its wait would
 * depend on other users' submissions instead of on what is running. Extra GPUs (left over even when every
 * running job has ended) and CPU-only jobs are still allowed, so an untimed job does not idle GPUs the held job
 * could never use. Admins who want backfilling everywhere set a default timeout.
 * <p>
 * GPUs shared by jobs with {@code gpu_memory}: such a GPU is released when the last of its jobs ends, so its
 * latest end is that of its longest job (unknown when one has no timeout). A job joining a shared GPU is lent
 * held capacity like one taking a free GPU: it must end by the shadow time or use an extra GPU, so a stream of
 * small sharing jobs never keeps a shared GPU from ever becoming whole for the exclusive job waiting for it.
 * When the held job itself shares a GPU it waits for one GPU with memory enough for it: only such GPUs count
 * towards its shadow time, and jobs going onto smaller GPUs do not touch its reservation.
 */
final class GpuReservation {
    private final Job heldJob;
    private final Instant shadow;
    private final long untimedBlocker;
    private final int releasedByShadow;
    private int extra;

    private final GpuShares shares;

    private GpuReservation(Job heldJob, Instant shadow, long untimedBlocker, int releasedByShadow, int extra,
                           GpuShares shares) {
        this.heldJob = heldJob;
        this.shares = shares;
        this.shadow = shadow;
        this.untimedBlocker = untimedBlocker;
        this.releasedByShadow = releasedByShadow;
        this.extra = extra;
    }

    private record End(Instant at, int gpus, long jobId) {
    }

    /**
     * @param held    the job the GPUs are held for
     * @param freeNow GPUs free now (fewer than it needs)
     * @param running jobs holding GPUs now, including the ones started earlier in the same decision
     */
    static GpuReservation hold(Job held, int freeNow, List<Job> running) {
        return hold(held, freeNow, running, new GpuShares(java.util.Map.of(), running));
    }

    /** As {@link #hold(Job, int, List)}, with the GPUs that sharing jobs use. */
    static GpuReservation hold(Job held, int freeNow, List<Job> running, GpuShares shares) {
        List<End> ends = ends(held, running, shares);
        ends.sort(Comparator.comparing(End::at, Comparator.nullsLast(Comparator.naturalOrder())));
        // a held sharing job does not fit, so none of the free GPUs is big enough for it
        int need = held.sharesGpu() ? 1 : held.gpusRequested();
        freeNow = held.sharesGpu() ? 0 : freeNow;
        int released = 0;
        for (int i = 0; i < ends.size(); i++) {
            End end = ends.get(i);
            released += end.gpus();
            if (freeNow + released < need) {
                continue;
            }
            // Jobs ending at the same instant free their GPUs together.
            while (end.at() != null && i + 1 < ends.size() && end.at().equals(ends.get(i + 1).at())) {
                released += ends.get(++i).gpus();
            }
            long untimed = end.at() == null ? end.jobId() : 0;
            return new GpuReservation(held, end.at(), untimed, released, freeNow + released - need, shares);
        }
        // Not enough GPUs even when all of ours end (the rest are busy with foreign processes): nothing to lend.
        return new GpuReservation(held, null, 0, released, 0, shares);
    }

    /**
     * When the running jobs release GPUs the held job can use: a job on whole GPUs releases them at its latest
     * end, a shared GPU at the latest end of its last job.
     */
    private static List<End> ends(Job held, List<Job> running, GpuShares shares) {
        List<End> ends = new ArrayList<>();
        java.util.Map<String, End> sharedGpus = new java.util.LinkedHashMap<>();
        for (Job job : running) {
            if (job.sharesGpu() && !job.gpus().isEmpty()) {
                for (String gpu : job.gpus()) {
                    sharedGpus.merge(gpu, new End(latestEnd(job), 1, job.id()), GpuReservation::later);
                }
                continue;
            }
            int gpus = held.sharesGpu() ? (int) job.gpus().stream().filter(g -> usable(held, g, shares)).count()
                    : gpuCount(job);
            if (gpus > 0) {
                ends.add(new End(latestEnd(job), gpus, job.id()));
            }
        }
        sharedGpus.forEach((gpu, end) -> {
            if (!held.sharesGpu() || usable(held, gpu, shares)) {
                ends.add(end);
            }
        });
        return ends;
    }

    /** The later of two ends of jobs on one GPU; an unknown end (no timeout) is the latest. */
    private static End later(End a, End b) {
        if (a.at() == null) {
            return a;
        }
        return b.at() == null || b.at().isAfter(a.at()) ? b : a;
    }

    /** Whether the GPU has memory enough for the held sharing job. */
    private static boolean usable(Job held, String gpu, GpuShares shares) {
        return shares.memoryOf(gpu) >= held.gpuMemory();
    }

    /**
     * Whether {@code job} (which fits in the GPUs free now) may start without delaying the held job; when it
     * may only by using extra GPUs, those are used up.
     */
    boolean admit(Job job, Instant now) {
        return admit(job, now, List.of());
    }

    /**
     * As {@link #admit(Job, Instant)}, knowing the GPUs the job would get: when the held job shares a GPU, a job
     * going only onto GPUs too small for it takes nothing from it.
     */
    boolean admit(Job job, Instant now, List<String> gpus) {
        if (heldJob.sharesGpu() && !gpus.isEmpty() && gpus.stream().noneMatch(g -> usable(heldJob, g, shares))) {
            return true;
        }
        if (endsByShadow(job, now)) {
            return true;
        }
        if (job.gpusRequested() <= extra) {
            extra -= job.gpusRequested();
            return true;
        }
        return false;
    }

    private boolean endsByShadow(Job job, Instant now) {
        return shadow != null && job.timeout() != null && !now.plus(job.timeout()).isAfter(shadow);
    }

    Job heldJob() {
        return heldJob;
    }

    /** Earliest time the held job is sure to fit, or null when a running job without timeout decides it. */
    Instant shadow() {
        return shadow;
    }

    /** GPUs any job may still use: left over at the shadow time even after the held job took its share. */
    int extra() {
        return extra;
    }

    /** A running job without timeout that the held job waits for, or 0. */
    long untimedBlocker() {
        return untimedBlocker;
    }

    /** How many of the GPUs free after the walk stay reserved for the held job. */
    int heldCount(int remainingFree) {
        if (heldJob.sharesGpu()) {
            return 0; // no free GPU is big enough for it, or it would have fitted
        }
        int neededFromFree = Math.max(0, heldJob.gpusRequested() - releasedByShadow);
        return Math.min(remainingFree, neededFromFree);
    }

    /** Why a fitting job may not use the held GPUs, as a clause for a waiting reason. */
    String refusal(Job job, Instant now) {
        if (shadow == null) {
            return untimedBlocker != 0
                    ? "its start time is unknown: job " + untimedBlocker + " runs without timeout"
                    : "its start time is unknown";
        }
        if (job.timeout() == null) {
            return "until " + Reasons.time(shadow) + "; declare a timeout ending by then to use them";
        }
        return "until " + Reasons.time(shadow) + "; your timeout " + Reasons.duration(job.timeout())
                + " ends at " + Reasons.time(now.plus(job.timeout()));
    }

    static int gpuCount(Job job) {
        return job.gpus().isEmpty() ? job.gpusRequested() : job.gpus().size();
    }

    private static Instant latestEnd(Job job) {
        Duration timeout = job.timeout();
        if (timeout == null || job.startedAt() == null) {
            return null;
        }
        return job.startedAt().plus(timeout);
    }
}
