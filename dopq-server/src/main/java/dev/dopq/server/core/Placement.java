package dev.dopq.server.core;

import java.util.List;
import java.util.Objects;

/**
 * A scheduling decision to start {@code job} now on {@code gpus} (empty for a CPU-only job).
 *
 * @param job  the queued job to start
 * @param gpus     GPU ids it gets, lowest free ids first
 * @param gpuShare for a job that shares its GPU ({@code gpu_memory}), the fraction of the GPU it is charged for;
 *                 0 for a job that gets whole GPUs
 */
public record Placement(Job job, List<String> gpus, double gpuShare) {
    public Placement {
        Objects.requireNonNull(job, "job");
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    /** A start on whole GPUs. */
    public Placement(Job job, List<String> gpus) {
        this(job, gpus, 0);
    }
}
