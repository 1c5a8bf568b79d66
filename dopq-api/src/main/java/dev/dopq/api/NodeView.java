package dev.dopq.api;

import java.io.Serializable;
import java.util.List;

/**
 * A machine jobs run on: {@code local} for a single machine, or a Slurm node. Field names are the JSON names
 * scripts rely on.
 *
 * @param name     node name
 * @param state    {@code idle}, {@code mixed}, {@code allocated}, {@code down} or {@code drained}
 * @param gpus     GPUs the node has
 * @param gpusUsed GPUs in use on it (by anyone)
 * @param jobs     ids of the dopq jobs running there
 */
public record NodeView(String name, String state, int gpus, int gpusUsed, List<String> jobs) implements Serializable {

    private static final long serialVersionUID = 1L;

    public NodeView {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }
}
