package dev.dopq.server.core;

import java.util.List;
import java.util.Objects;

/**
 * A scheduling decision to start {@code job} now on {@code gpus} (empty for a CPU-only job).
 *
 * @param job  the queued job to start
 * @param gpus GPU ids it gets, lowest free ids first
 */
public record Placement(Job job, List<String> gpus) {
    public Placement {
        Objects.requireNonNull(job, "job");
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
