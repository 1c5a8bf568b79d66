package dev.dopq.server.gpu;

import java.util.List;

/** A machine without GPUs: only CPU-only jobs can run. */
public final class NoGpuInventory implements GpuInventory {

    @Override
    public List<GpuDevice> devices() {
        return List.of();
    }

    @Override
    public String describe() {
        return "no GPUs";
    }
}
