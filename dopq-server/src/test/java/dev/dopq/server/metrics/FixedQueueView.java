package dev.dopq.server.metrics;

import dev.dopq.server.core.Decision;
import dev.dopq.server.gpu.GpuDevice;

import java.util.List;
import java.util.Map;

/** A queue that is open, decides nothing and has these GPUs: what the metrics read, for their unit tests. */
record FixedQueueView(List<GpuDevice> lastDevices) implements MetricsSources.QueueView {
    private static final Decision NONE = new Decision(List.of(), List.of(), Map.of(), Map.of());

    @Override
    public boolean locked() {
        return false;
    }

    @Override
    public Decision preview() {
        return NONE;
    }

    @Override
    public Decision lastDecision() {
        return NONE;
    }
}
