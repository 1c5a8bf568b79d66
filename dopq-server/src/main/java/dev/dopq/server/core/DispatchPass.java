package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A dispatch: walks the index's lazy start order with the same {@link Placer} as a full decision, and stops as
 * soon as no job further down could start. That is exact, not a guess: a job looked at and not started can never
 * start later in the same walk (free GPUs and GPUs lendable next to the held job only shrink, the shadow time is
 * fixed), so "could any job not yet started still start" is asked of the index's demand counts. CPU-only jobs
 * start wherever they are; those beyond the point where the walk stopped are added in start order.
 */
final class DispatchPass {
    private final QueuedJobs queue;
    private final Instant now;
    private final Placer placer;
    private final List<Job> startedGpuJobs = new ArrayList<>();

    DispatchPass(QueuedJobs queue, List<Job> running, List<String> freeGpus, java.util.Map<String, Long> gpuMemory,
                 Instant now, QuotaState quotas) {
        this.queue = queue;
        this.now = now;
        this.placer = new Placer(running, freeGpus, gpuMemory, now, quotas);
    }

    Dispatch run(PenaltyPolicy penalties) {
        QueueOrder order = queue.order(penalties, now);
        Set<Long> started = new HashSet<>();
        int considered = 0;
        while (order.hasNext() && gpuJobsMayStart()) {
            Job job = order.next();
            considered++;
            if (placer.consider(job) == Placer.Verdict.STARTS) {
                started.add(job.id());
                if (!job.cpuOnly()) {
                    startedGpuJobs.add(job);
                }
            }
        }
        List<Job> cpuRest = new ArrayList<>();
        for (Job job : queue.cpuOnly()) {
            if (!started.contains(job.id())) {
                cpuRest.add(job);
            }
        }
        cpuRest.sort(order.comparator());
        cpuRest.forEach(placer::consider);
        return new Dispatch(placer.starts(), placer.held(), considered);
    }

    /** Whether a GPU job not started yet could still start (or become the held job, which decides held GPUs). */
    private boolean gpuJobsMayStart() {
        if (sharingJobsMayStart()) {
            return true;
        }
        int free = placer.freeCount();
        if (free == 0) {
            return false;
        }
        GpuReservation hold = placer.hold();
        if (hold == null) {
            return queue.anyAsking(placer.capacity(), startedGpuJobs);
        }
        if (hold.heldJob().sharesGpu()) {
            // none of the free GPUs is big enough for the held sharing job: they are anyone's
            return queue.anyAsking(free, startedGpuJobs);
        }
        if (queue.anyAsking(Math.min(free, hold.extra()), startedGpuJobs)) {
            return true;
        }
        return hold.shadow() != null
                && queue.anyTimedAsking(free, Duration.between(now, hold.shadow()), startedGpuJobs);
    }

    /**
     * Whether a queued sharing job could still find room (on a shared GPU, where no GPU is free): asked of the
     * index by size. Generous on purpose (it ignores the held job's limits unless nothing can be lent at all):
     * walking further never changes the starts, stopping too early would.
     */
    private boolean sharingJobsMayStart() {
        long room = placer.mostRoom();
        if (room <= 0) {
            return false;
        }
        GpuReservation hold = placer.hold();
        if (hold != null && !hold.heldJob().sharesGpu() && hold.shadow() == null && hold.extra() == 0) {
            return false; // nothing may be lent to a job that takes room the held job waits for
        }
        return queue.anySharing(room, startedGpuJobs);
    }
}
