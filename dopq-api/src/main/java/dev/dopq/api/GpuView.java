package dev.dopq.api;

import java.io.Serializable;

/**
 * One GPU of the server.
 *
 * @param id          the GPU id as containers see it in NVIDIA_VISIBLE_DEVICES
 * @param busy        true when a job of ours holds it or (with NVML) a foreign process uses it
 * @param job         id of the (first) job holding it, or null
 * @param heldFor     id of a queued job this free GPU is held for (no starvation), or null
 * @param foreign     true when a process that is not ours uses it
 * @param utilization GPU utilisation in percent, or -1 when unknown
 * @param memoryUsed  bytes used, or -1 when unknown
 * @param memoryTotal bytes total, or -1 when unknown
 * @param temperature degrees Celsius, or -1 when unknown
 * @param jobs        the running jobs on it: one that has it to itself, or those sharing it by {@code gpu_memory}
 */
public record GpuView(
        String id,
        boolean busy,
        String job,
        String heldFor,
        boolean foreign,
        int utilization,
        long memoryUsed,
        long memoryTotal,
        int temperature,
        java.util.List<GpuJob> jobs) implements Serializable {

    private static final long serialVersionUID = 1L;

    public GpuView {
        jobs = jobs == null ? java.util.List.of() : java.util.List.copyOf(jobs);
    }

    /** A GPU without the list of its jobs (at most {@code job}). */
    public GpuView(String id, boolean busy, String job, String heldFor, boolean foreign, int utilization,
                   long memoryUsed, long memoryTotal, int temperature) {
        this(id, busy, job, heldFor, foreign, utilization, memoryUsed, memoryTotal, temperature,
                job == null ? java.util.List.of() : java.util.List.of(new GpuJob(job, null, 0)));
    }

    /** GPU memory the jobs sharing it asked for, in bytes (0 when none shares it). */
    public long memoryAsked() {
        return jobs.stream().mapToLong(GpuJob::memoryAsked).sum();
    }

    /** Whether jobs share it by {@code gpu_memory}. */
    public boolean shared() {
        return jobs.stream().anyMatch(GpuJob::shares);
    }
}
