package dev.dopq.server.gpu;

import dev.dopq.docker.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/** Picks the GPU inventory for the configured {@code [gpu] devices} mode. */
public final class GpuInventories {
    private static final Logger LOG = LoggerFactory.getLogger(GpuInventories.class);

    private GpuInventories() {
    }

    /**
     * @param mode           "auto" (NVML when libnvidia-ml loads, else no GPUs), "none", or "declared"
     * @param declaredIds    the GPU ids for "declared"; ignored otherwise
     * @param respectForeign with NVML, treat GPUs used by processes that are not ours as busy
     * @param isOurPid       tells whether a host pid belongs to one of our containers
     */
    public static GpuInventory create(String mode, List<String> declaredIds, boolean respectForeign,
                                      LongPredicate isOurPid) {
        return create(mode, declaredIds, java.util.Map.of(), respectForeign, isOurPid);
    }

    /** As {@link #create(String, List, boolean, LongPredicate)}, with the declared GPUs' memory ({@code 0:24g}). */
    public static GpuInventory create(String mode, List<String> declaredIds, java.util.Map<String, Long> declaredMemory,
                                      boolean respectForeign, LongPredicate isOurPid) {
        return create(mode, declaredIds, declaredMemory,
                () -> new NvmlGpuInventory(respectForeign, isOurPid).open());
    }

    /** As {@link #create(String, List, boolean, LongPredicate)}, with the NVML opening supplied (tests). */
    static GpuInventory create(String mode, List<String> declaredIds, Supplier<GpuInventory> nvml) {
        return create(mode, declaredIds, java.util.Map.of(), nvml);
    }

    static GpuInventory create(String mode, List<String> declaredIds, java.util.Map<String, Long> declaredMemory,
                               Supplier<GpuInventory> nvml) {
        String normalized = mode == null ? "" : mode.strip().toLowerCase(Locale.ROOT);
        switch (normalized) {
            case "none":
                return new NoGpuInventory();
            case "declared":
                return new DeclaredGpuInventory(declaredIds, declaredMemory);
            case "auto":
                return tryNvml(nvml);
            default:
                throw new IllegalArgumentException("GPU mode \"" + mode + "\" is unknown; use auto, none or declared");
        }
    }

    private static GpuInventory tryNvml(Supplier<GpuInventory> nvml) {
        try {
            GpuInventory inventory = nvml.get();
            LOG.info("GPU inventory: {}", inventory.describe());
            return inventory;
        } catch (LinkageError | RuntimeException e) {
            // One line on purpose: a machine without NVIDIA drivers is a normal setup, not a stack trace.
            LOG.warn("NVML not available ({}): running with no GPUs; set [gpu] devices to a list to declare GPUs",
                    Messages.firstLine(e));
            return new NoGpuInventory();
        }
    }

}
