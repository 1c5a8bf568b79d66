package dev.dopq.api;

import java.io.Serializable;

/**
 * One GPU of the server.
 *
 * @param id          the GPU id as containers see it in NVIDIA_VISIBLE_DEVICES
 * @param busy        true when a job of ours holds it or (with NVML) a foreign process uses it
 * @param job         id of the job holding it, or null
 * @param heldFor     id of a queued job this free GPU is held for (no starvation), or null
 * @param foreign     true when a process that is not ours uses it
 * @param utilization GPU utilisation in percent, or -1 when unknown
 * @param memoryUsed  bytes used, or -1 when unknown
 * @param memoryTotal bytes total, or -1 when unknown
 * @param temperature degrees Celsius, or -1 when unknown
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
        int temperature) implements Serializable {

    private static final long serialVersionUID = 1L;
}
