package dev.dopq.server.gpu;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * GPUs the admin listed in {@code [gpu] devices}: for machines without NVML and for tests. Nothing is
 * measured; a declared GPU is never seen as busy by others.
 */
public final class DeclaredGpuInventory implements GpuInventory {
    private final List<GpuDevice> devices;

    /** @param ids GPU ids in the order jobs should get them, e.g. ["0", "1"]; no blanks, no duplicates */
    public DeclaredGpuInventory(List<String> ids) {
        this(ids, java.util.Map.of());
    }

    /**
     * @param ids    GPU ids in the order jobs should get them, e.g. ["0", "1"]; no blanks, no duplicates
     * @param memory declared memory in bytes per GPU id ({@code devices = 0:24g}); GPUs not in it have none
     */
    public DeclaredGpuInventory(List<String> ids, java.util.Map<String, Long> memory) {
        Objects.requireNonNull(ids, "ids");
        Set<String> unique = new LinkedHashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("declared GPU ids must not be blank: " + ids);
            }
            if (!unique.add(id.strip())) {
                throw new IllegalArgumentException("GPU " + id.strip() + " is declared twice: " + ids);
            }
        }
        this.devices = unique.stream().map(id -> GpuDevice.declared(id, memory.getOrDefault(id, -1L))).toList();
    }

    @Override
    public List<GpuDevice> devices() {
        return devices;
    }

    @Override
    public String describe() {
        return devices.isEmpty() ? "no GPUs (declared)"
                : "declared GPUs " + String.join(",", devices.stream().map(GpuDevice::id).toList());
    }
}
