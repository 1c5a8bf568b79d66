package dev.dopq.server.metrics;

import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.gpu.GpuDevice;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.testutil.MutableClock;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class GpuJobInfoTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Jobs jobs = new Jobs(new InMemoryJobStore());

    private MetricsSources sources() {
        return new MetricsSources(jobs, new FixedQueueView(List.of(GpuDevice.declared("0", 24L << 30),
                GpuDevice.declared("1", 24L << 30))), PenaltyPolicy.usage(Duration.ofHours(24), 0.1), clock, "gpu1");
    }

    @Test
    void every_job_sharing_a_gpu_gets_its_own_series_for_that_gpu() {
        long a = jobs.insert(aJob().user("ana").state(JobState.RUNNING).gpuMemory(10L << 30).gpus(List.of("0"))
                .startedAt(clock.instant()).build(), "test").id();
        long b = jobs.insert(aJob().user("bob").state(JobState.RUNNING).gpuMemory(10L << 30).gpus(List.of("0"))
                .startedAt(clock.instant()).build(), "test").id();
        long c = jobs.insert(aJob().user("carl").state(JobState.RUNNING).gpus(List.of("1"))
                .startedAt(clock.instant()).build(), "test").id();

        InfoSnapshot snapshot = (InfoSnapshot) new GpuJobInfo(sources()).collect();

        assertThat(snapshot.getDataPoints())
                .extracting(p -> p.getLabels().get("gpu") + ":" + p.getLabels().get("job") + ":" + p.getLabels().get("user"))
                .containsExactlyInAnyOrder("0:" + a + ":ana", "0:" + b + ":bob", "1:" + c + ":carl");
    }

    @Test
    void a_slurm_gpu_is_labelled_with_its_node_as_hostname_and_its_index_on_the_node() {
        GpuJobInfo info = new GpuJobInfo(sources());

        assertThat(GpuJobInfo.index("n1:3")).isEqualTo("3");
        assertThat(GpuJobInfo.index("2")).isEqualTo("2");
        assertThat(info.host("GPU-Node7:0")).isEqualTo("gpu-node7");
        assertThat(info.host("0")).isEqualTo("gpu1");
    }
}
