package dev.dopq.server.backend.slurm;

import dev.dopq.server.gpu.GpuDevice;
import dev.dopq.server.gpu.GpuInventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's GPUs as the queue counts them: {@code node:index} for every GPU of every node that is up, those
 * Slurm has allocated marked busy, the node with the most free GPUs first (the queue takes GPUs from the front, so
 * a job's GPUs come from one node where they can). Slurm still places the job; these ids are dopq's count until
 * the node reports the real ones. Read at most once a second.
 */
final class SlurmGpuInventory implements GpuInventory {
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final SlurmCommands slurm;
    private final String partition;
    private List<GpuDevice> last = List.of();
    private long readAt;

    SlurmGpuInventory(SlurmCommands slurm, String partition) {
        this.slurm = slurm;
        this.partition = partition;
    }

    @Override
    public synchronized List<GpuDevice> devices() {
        if (readAt != 0 && System.nanoTime() - readAt < FRESH.toNanos()) {
            return last;
        }
        List<SlurmCommands.SlurmNode> nodes = new ArrayList<>(slurm.nodes(partition));
        nodes.removeIf(n -> !NodeStates.usable(n));
        nodes.sort(Comparator.comparingInt((SlurmCommands.SlurmNode n) -> n.gpusUsed() - n.gpus())
                .thenComparing(SlurmCommands.SlurmNode::name));
        Map<String, Set<Integer>> held = held(slurm.jobs());
        List<GpuDevice> devices = new ArrayList<>();
        for (SlurmCommands.SlurmNode n : nodes) {
            Set<Integer> used = new HashSet<>(held.getOrDefault(n.name(), Set.of()));
            // a job Slurm counts but whose indices it does not list yet holds the lowest others, to be safe
            for (int i = 0; i < n.gpus() && used.size() < n.gpusUsed(); i++) {
                used.add(i);
            }
            for (int i = 0; i < n.gpus(); i++) {
                devices.add(new GpuDevice(n.name() + ":" + i, null, "Slurm GPU " + i + " of node " + n.name(),
                        used.contains(i), -1, -1, -1, -1));
            }
        }
        last = List.copyOf(devices);
        readAt = System.nanoTime();
        return last;
    }

    /** The node-local GPU indices jobs that have not ended hold, per node. */
    private static Map<String, Set<Integer>> held(List<SlurmCommands.SlurmJob> jobs) {
        Map<String, Set<Integer>> held = new HashMap<>();
        for (SlurmCommands.SlurmJob j : jobs) {
            if (RunStates.active(j.state())) {
                j.gpus().forEach((node, idx) -> held.computeIfAbsent(node, k -> new HashSet<>()).addAll(idx));
            }
        }
        return held;
    }

    @Override
    public String describe() {
        return "Slurm gres gpu of " + (partition == null ? "the default partition" : "partition " + partition);
    }
}
