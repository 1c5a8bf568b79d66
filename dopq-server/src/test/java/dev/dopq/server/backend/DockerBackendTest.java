package dev.dopq.server.backend;

import dev.dopq.server.core.JobState;
import dev.dopq.server.gpu.DeclaredGpuInventory;
import dev.dopq.server.queue.FakeRuntime;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class DockerBackendTest {
    private static final long G = 1024L * 1024 * 1024;
    private final DockerBackend backend = new DockerBackend(new FakeRuntime(),
            new DeclaredGpuInventory(List.of("0", "1", "2"), Map.of("0", 24 * G, "1", 80 * G)));

    @Test
    void jobs_sharing_a_gpu_use_it_once_in_the_node_view() {
        var running = List.of(
                aJob().id(1).state(JobState.RUNNING).gpuMemory(10 * G).gpus(List.of("0")).build(),
                aJob().id(2).state(JobState.RUNNING).gpuMemory(10 * G).gpus(List.of("0")).build(),
                aJob().id(3).state(JobState.RUNNING).gpus(List.of("1")).build());

        NodeStatus node = backend.nodes(running).get(0);

        assertThat(node.gpus()).isEqualTo(3);
        assertThat(node.gpusUsed()).isEqualTo(2);
        assertThat(node.jobs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void the_largest_gpu_memory_bounds_gpu_memory_at_submission() {
        assertThat(backend.largestGpuMemory()).isEqualTo(80 * G);
        assertThat(new DockerBackend(new FakeRuntime(), new DeclaredGpuInventory(List.of("0"))).largestGpuMemory())
                .as("no GPU with a known memory: not checked at submission").isZero();
    }
}
