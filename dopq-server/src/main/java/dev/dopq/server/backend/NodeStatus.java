package dev.dopq.server.backend;

import java.util.List;

/**
 * One machine jobs run on.
 *
 * @param name     node name ({@code local} for the docker backend)
 * @param state    {@code idle}, {@code mixed}, {@code allocated}, {@code down} or {@code drained}
 * @param gpus     GPUs the node has
 * @param gpusUsed GPUs in use (by anyone)
 * @param jobs     ids of the dopq jobs running there
 */
public record NodeStatus(String name, String state, int gpus, int gpusUsed, List<Long> jobs) {
    public NodeStatus {
        jobs = List.copyOf(jobs);
    }

    /** The state from what is used, for a node that is up. */
    public static String usageState(int gpus, int gpusUsed, boolean anyJob) {
        if (!anyJob && gpusUsed == 0) {
            return "idle";
        }
        return gpus > 0 && gpusUsed >= gpus ? "allocated" : "mixed";
    }
}
