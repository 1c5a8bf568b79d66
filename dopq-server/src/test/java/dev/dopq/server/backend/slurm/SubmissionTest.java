package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerRuntimeException;
import dev.dopq.container.ContainerSpec;
import dev.dopq.container.EngineUnavailableException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmissionTest {
    private static final Path RUN = Path.of("/shared/runs/dopq-abc-7-1");

    @Test
    void a_job_asks_slurm_for_exactly_its_gpus_memory_cpus_and_time_held_and_never_requeued_by_slurm() {
        ContainerSpec spec = ContainerSpec.of("dopq-abc-7-1", "img").withGpus(List.of("n1:0", "n1:1"), false)
                .withLimits(3L << 30, 1.5, 0);

        List<String> cmd = Submission.command(spec, RUN, "gpu", Duration.ofSeconds(90), "dopq job=7");

        assertThat(cmd).startsWith("sbatch", "--parsable", "--hold", "--no-requeue")
                .contains("--job-name=dopq-abc-7-1", "--comment=dopq job=7", "--partition=gpu", "--gres=gpu:2",
                        "--mem=3072M", "--cpus-per-task=2", "--time=2")
                .endsWith("/shared/runs/dopq-abc-7-1/job.sh");
    }

    @Test
    void a_cpu_only_job_without_limits_asks_no_gpus_one_cpu_and_the_clusters_defaults() {
        List<String> cmd = Submission.command(ContainerSpec.of("n", "img"), RUN, null, null, "c");

        assertThat(cmd).contains("--cpus-per-task=1").noneMatch(a -> a.startsWith("--gres")
                || a.startsWith("--mem") || a.startsWith("--time") || a.startsWith("--partition"));
    }

    @Test
    void the_job_id_is_read_with_or_without_a_cluster_name() {
        assertThat(Submission.jobId("42\n")).isEqualTo("42");
        assertThat(Submission.jobId("42;cluster\n")).isEqualTo("42");
        assertThatThrownBy(() -> Submission.jobId("sbatch: error")).isInstanceOf(ContainerRuntimeException.class);
    }

    @Test
    void an_unreachable_controller_is_worth_retrying_while_a_refusal_is_the_jobs_reason() {
        var down = Submission.refused("n", new SlurmCommands.Result(1, "",
                "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)"));
        var refused = Submission.refused("n", new SlurmCommands.Result(1, "",
                "sbatch: error: Batch job submission failed: Requested node configuration is not available"));

        assertThat(down).isInstanceOf(EngineUnavailableException.class);
        assertThat(refused).isNotInstanceOf(EngineUnavailableException.class)
                .hasMessage("Slurm refused n: Batch job submission failed: Requested node configuration is not"
                        + " available");
    }
}
