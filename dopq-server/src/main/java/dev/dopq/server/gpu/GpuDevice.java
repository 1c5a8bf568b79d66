package dev.dopq.server.gpu;

import java.util.Objects;

/**
 * One GPU as the inventory sees it now. Numbers are -1 when unknown (declared GPUs, or NVML cannot tell).
 *
 * @param id          the id jobs are given and {@code NVIDIA_VISIBLE_DEVICES} receives (the index, e.g. "0")
 * @param uuid        NVML's UUID ("GPU-..."), or null when not read through NVML
 * @param name        product name, or a description for declared GPUs
 * @param foreignBusy true when a process that is not one of ours computes on it, so the queue must not use it
 * @param utilization percent of time a kernel ran over NVML's last sample period
 * @param memoryUsed  bytes
 * @param memoryTotal bytes
 * @param temperature degrees Celsius
 * @param memoryForeign bytes that processes not ours use on it (0 when none or not known)
 */
public record GpuDevice(String id, String uuid, String name, boolean foreignBusy, int utilization, long memoryUsed,
                        long memoryTotal, int temperature, long memoryForeign) {
    public GpuDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /** A reading without foreign memory use. */
    public GpuDevice(String id, String uuid, String name, boolean foreignBusy, int utilization, long memoryUsed,
                     long memoryTotal, int temperature) {
        this(id, uuid, name, foreignBusy, utilization, memoryUsed, memoryTotal, temperature, 0);
    }

    /** A GPU the admin declared: nothing known but its id. */
    public static GpuDevice declared(String id) {
        return declared(id, -1);
    }

    /** A GPU the admin declared with its memory ({@code 0:24g}); {@code memoryTotal} -1 = not declared. */
    public static GpuDevice declared(String id, long memoryTotal) {
        return new GpuDevice(id, null, "declared GPU " + id, false, -1, -1, memoryTotal, -1);
    }

    /**
     * Bytes our jobs may use on it, for jobs that share a GPU: its memory less what foreign processes use; 0 when
     * its memory is not known (a GPU declared without memory).
     */
    public long memoryForJobs() {
        return memoryTotal > 0 ? Math.max(0, memoryTotal - Math.max(0, memoryForeign)) : 0;
    }
}
