package dev.dopq.server.backend;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.server.core.Job;
import dev.dopq.server.gpu.GpuInventory;

import java.util.List;

/**
 * Where jobs run: this machine's Docker engine ({@code docker}) or a Slurm cluster ({@code slurm}). The queue
 * drives every backend through the same {@link ContainerRuntime} calls: create then start one run per attempt,
 * follow its output, watch for its end, stop it with a grace period, list runs by label to re-adopt them after a
 * restart. A run is a container on the local engine, or a Slurm job running one container on a node's engine.
 */
public interface ExecutionBackend extends AutoCloseable {

    /** {@code docker} or {@code slurm}. */
    String kind();

    /** Starts, watches, stops and lists the runs of jobs. */
    ContainerRuntime runtime();

    /**
     * The GPUs jobs can be admitted to. On Slurm: every node's GPUs as {@code node:index}, those other Slurm jobs
     * hold marked busy, nodes that are down or drained left out.
     */
    GpuInventory gpus();

    /** Whether GPUs the inventory marks busy by others must be left alone whatever {@code [gpu]} says. */
    boolean foreignAlwaysRespected();

    /** The node a starting job is on: {@code local}, or blank where the backend places jobs (Slurm). */
    String nodeAtStart();

    /** The most GPUs one job can get (the biggest node's); a job asking more is rejected. */
    int largestNodeGpus();

    /**
     * The memory of the biggest GPU in bytes, which a {@code gpu_memory} may not exceed; 0 when no GPU has a
     * known memory; {@link dev.dopq.container.SpecPolicy#NO_SHARING} when the backend gives jobs whole GPUs only.
     */
    long largestGpuMemory();

    /** The nodes now, with the given RUNNING jobs placed on them. */
    List<NodeStatus> nodes(List<Job> running);

    /** One line for the start log. */
    String describe();

    /** Stops what the backend started (pollers); runs keep going and are re-adopted on the next start. */
    @Override
    void close();
}
