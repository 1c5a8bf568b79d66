package dev.dopq.server.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits of one scheduling pass that are not about free GPUs: an array job waits while {@code max_parallel}
 * of its array run. And the quota rule: a GPU job may start only while its user's running jobs (including the
 * ones started earlier in the pass) hold fewer GPUs than the user's {@code maxGpus} allows and the user's
 * GPU-hours of the last 24 hours are below {@code maxGpuHoursPerDay}. A refused job waits without holding GPUs,
 * so the next user's job goes ahead. Within a pass a user's holdings only grow, so a refused job stays refused:
 * the dispatch may stop its walk exactly as without quotas.
 */
final class QuotaGate {
    private final QuotaState state;
    private final Map<String, Integer> held = new HashMap<>();
    private final Map<Long, Integer> arrayRunning = new HashMap<>();

    QuotaGate(QuotaState state, List<Job> running) {
        this.state = state;
        for (Job job : running) {
            if (job.inArray()) {
                arrayRunning.merge(job.arrayId(), 1, Integer::sum);
            }
            int gpus = GpuReservation.gpuCount(job);
            if (gpus > 0) {
                held.merge(job.user(), gpus, Integer::sum);
            }
        }
    }

    /** The kind of {@link #refusal(Job)}'s answer for a job it refused. */
    WaitKind kindOf(Job job) {
        if (state.blocked().containsKey(job.id())) {
            return WaitKind.DEPENDENCY;
        }
        if (job.inArray() && job.maxParallel() > 0
                && arrayRunning.getOrDefault(job.arrayId(), 0) >= job.maxParallel()) {
            return WaitKind.ARRAY_LIMIT;
        }
        return WaitKind.QUOTA;
    }

    /** Why {@code job} may not start because of its user's quota, or null when the quota allows it. */
    String refusal(Job job) {
        String blocked = state.blocked().get(job.id());
        if (blocked != null) {
            return blocked;
        }
        if (job.inArray() && job.maxParallel() > 0) {
            int runs = arrayRunning.getOrDefault(job.arrayId(), 0);
            if (runs >= job.maxParallel()) {
                return "array " + job.arrayId() + ": " + runs + " of its jobs run (max_parallel " + job.maxParallel()
                        + ")";
            }
        }
        if (job.cpuOnly()) {
            return null;
        }
        Quotas.Limits limits = state.quotas().of(job.user());
        Integer maxGpus = limits.maxGpus();
        if (maxGpus != null) {
            int holds = held.getOrDefault(job.user(), 0);
            if (job.gpusRequested() > maxGpus) {
                return "quota: needs " + Reasons.gpus(job.gpusRequested()) + " but " + job.user()
                        + " may hold at most " + maxGpus;
            }
            if (holds + job.gpusRequested() > maxGpus) {
                return "quota: " + job.user() + " holds " + holds + " of " + maxGpus + " GPUs";
            }
        }
        Double maxHours = limits.maxGpuHoursPerDay();
        if (maxHours != null) {
            double used = state.gpuHoursLastDay().getOrDefault(job.user(), 0.0);
            if (used >= maxHours) {
                return "quota: " + job.user() + " used " + Reasons.number(used) + " of "
                        + Reasons.number(maxHours) + " GPU-hours in the last 24h";
            }
        }
        return null;
    }

    void started(Job job) {
        if (job.inArray()) {
            arrayRunning.merge(job.arrayId(), 1, Integer::sum);
        }
        if (!job.cpuOnly()) {
            held.merge(job.user(), job.gpusRequested(), Integer::sum);
        }
    }
}
