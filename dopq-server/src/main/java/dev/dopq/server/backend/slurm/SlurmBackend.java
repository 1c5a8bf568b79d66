package dev.dopq.server.backend.slurm;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.container.DockerContainerRuntime;
import dev.dopq.container.ContainerRuntime;
import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.backend.NodeStatus;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.core.Job;
import dev.dopq.server.gpu.GpuInventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Slurm cluster: dopq keeps the queue and fair share and admits a job when a node has room; Slurm places it
 * on a node's GPUs, watches the nodes and ends a job whose node died, which then comes back to dopq's queue.
 */
public final class SlurmBackend implements ExecutionBackend {
    private final SlurmCommands slurm;
    private final SlurmRuntime runtime;
    private final SlurmGpuInventory gpus;
    private final String partition;

    /** @param nvidia {@code [gpu] nvidia_runtime}: auto is decided on each node */
    public SlurmBackend(DopqConfig.Slurm config, Duration grace, String nvidia, DockerClient buildEngine) {
        this.slurm = new SlurmCommands(config.conf());
        this.partition = config.partition();
        this.runtime = new SlurmRuntime(slurm, new RunFolders(config.shared()), new ImageShipper(buildEngine),
                new SlurmRuntime.Settings(config.partition(), config.dockerHost(), grace, config.poll(), nvidia),
                new DockerContainerRuntime(buildEngine)::info);
        this.gpus = new SlurmGpuInventory(slurm, config.partition());
    }

    @Override
    public String kind() {
        return "slurm";
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
        return true;
    }

    @Override
    public String nodeAtStart() {
        return "";
    }

    /** Slurm gives each job whole GPUs (gres gpu); sharing by memory is not offered, gpu_memory is refused. */
    @Override
    public long largestGpuMemory() {
        return dev.dopq.container.SpecPolicy.NO_SHARING;
    }

    @Override
    public int largestNodeGpus() {
        return slurm.nodes(partition).stream().mapToInt(SlurmCommands.SlurmNode::gpus).max().orElse(0);
    }

    @Override
    public List<NodeStatus> nodes(List<Job> running) {
        List<NodeStatus> out = new ArrayList<>();
        for (SlurmCommands.SlurmNode n : slurm.nodes(partition)) {
            List<Long> jobs = running.stream().filter(j -> n.name().equals(j.engine())).map(Job::id).toList();
            out.add(new NodeStatus(n.name(), NodeStates.shown(n), n.gpus(), n.gpusUsed(), jobs));
        }
        return out;
    }

    @Override
    public String describe() {
        return "slurm (" + gpus.describe() + ")";
    }

    @Override
    public void close() {
        runtime.close();
    }
}
