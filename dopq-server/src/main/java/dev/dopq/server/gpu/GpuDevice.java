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
 */
public record GpuDevice(String id, String uuid, String name, boolean foreignBusy, int utilization, long memoryUsed,
                        long memoryTotal, int temperature) {
    public GpuDevice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    /** A GPU the admin declared: nothing known but its id. */
    public static GpuDevice declared(String id) {
        return new GpuDevice(id, null, "declared GPU " + id, false, -1, -1, -1, -1);
    }
}
