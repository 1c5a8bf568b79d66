package dev.dopq.server.backend;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.server.core.Job;
import dev.dopq.server.gpu.GpuInventory;
import dev.dopq.server.gpu.OurProcesses;

import java.util.List;

/** This machine's Docker engine: one node, {@code local}, with the GPUs of {@code [gpu]}. */
public final class DockerBackend implements ExecutionBackend {
    public static final String NODE = "local";

    private final ContainerRuntime runtime;
    private final GpuInventory gpus;
    private final OurProcesses ours;

    public DockerBackend(ContainerRuntime runtime, GpuInventory gpus) {
        this(runtime, gpus, new OurProcesses());
    }

    /** @param ours how the inventory tells our containers' processes from foreign ones (NVML) */
    public DockerBackend(ContainerRuntime runtime, GpuInventory gpus, OurProcesses ours) {
        this.runtime = runtime;
        this.gpus = gpus;
        this.ours = ours;
    }

    /**
     * Tells the inventory which containers are ours ({@code ids} is asked whenever NVML lists a process), so the
     * GPU memory our jobs use is not counted as foreign.
     */
    public void ourContainers(java.util.function.Supplier<java.util.Collection<String>> ids) {
        ours.watch(ids);
    }

    @Override
    public String kind() {
        return "docker";
    }

    @Override
    public ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    public GpuInventory gpus() {
        return gpus;
    }

    @Override
    public boolean foreignAlwaysRespected() {
        return false;
    }

    @Override
    public String nodeAtStart() {
        return NODE;
    }

    @Override
    public int largestNodeGpus() {
        return gpus.devices().size();
    }

    @Override
    public long largestGpuMemory() {
        return gpus.devices().stream().mapToLong(d -> Math.max(0, d.memoryTotal())).max().orElse(0);
    }

    @Override
    public List<NodeStatus> nodes(List<Job> running) {
        int total = gpus.devices().size();
        // jobs sharing a GPU hold the same id
        int used = (int) running.stream().flatMap(j -> j.gpus().stream()).distinct().count();
        String state = runtime.ping() ? NodeStatus.usageState(total, used, !running.isEmpty()) : "down";
        return List.of(new NodeStatus(NODE, state, total, used, running.stream().map(Job::id).toList()));
    }

    @Override
    public String describe() {
        return "docker (this machine's engine; GPUs: " + gpus.describe() + ")";
    }

    @Override
    public void close() {
        gpus.close();
    }
}
