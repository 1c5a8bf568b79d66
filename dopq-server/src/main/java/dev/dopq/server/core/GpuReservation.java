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
 */
final class GpuReservation {
    private final Job heldJob;
    private final Instant shadow;
    private final long untimedBlocker;
    private final int releasedByShadow;
    private int extra;

    private GpuReservation(Job heldJob, Instant shadow, long untimedBlocker, int releasedByShadow, int extra) {
        this.heldJob = heldJob;
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
        List<End> ends = new ArrayList<>();
        for (Job job : running) {
            int gpus = gpuCount(job);
            if (gpus > 0) {
                ends.add(new End(latestEnd(job), gpus, job.id()));
            }
        }
        ends.sort(Comparator.comparing(End::at, Comparator.nullsLast(Comparator.naturalOrder())));
        int need = held.gpusRequested();
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
            return new GpuReservation(held, end.at(), untimed, released, freeNow + released - need);
        }
        // Not enough GPUs even when all of ours end (the rest are busy with foreign processes): nothing to lend.
        return new GpuReservation(held, null, 0, released, 0);
    }

    /**
     * Whether {@code job} (which fits in the GPUs free now) may start without delaying the held job; when it
     * may only by using extra GPUs, those are used up.
     */
    boolean admit(Job job, Instant now) {
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
