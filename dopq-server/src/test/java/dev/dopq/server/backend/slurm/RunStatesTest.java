package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerStatus;
import dev.dopq.container.RunLostException;
import dev.dopq.server.backend.slurm.SlurmCommands.SlurmJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RunStatesTest {
    private static final Map<String, String> LABELS = Map.of("dopq.job", "7");
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    private static SlurmJob job(String state, String reason) {
        return new SlurmJob("42", "dopq-x-7-1", "dopq job=7", state, reason, "n1", T, T.plusSeconds(60), 0,
                Map.of("n1", List.of(0)));
    }

    private static Optional<ContainerStatus> status(SlurmJob job, Map<String, String> exit) {
        return RunStates.status("dopq-x-7-1", "42", job, LABELS, exit, () -> exit, T.plusSeconds(120),
                Duration.ofSeconds(30));
    }

    @Test
    void a_held_job_has_not_started_so_a_restarted_server_releases_it() {
        ContainerStatus s = status(job("PENDING", "JobHeldUser"), Map.of()).orElseThrow();

        assertThat(s.running()).isFalse();
        assertThat(s.startedAt()).isNull();
    }

    @Test
    void a_released_job_runs_while_slurm_still_places_it_and_while_it_runs() {
        assertThat(status(job("PENDING", "Resources"), Map.of()).orElseThrow().running()).isTrue();
        assertThat(status(job("RUNNING", "None"), Map.of()).orElseThrow().running()).isTrue();
        assertThat(status(job("COMPLETING", "None"), Map.of()).orElseThrow().running()).isTrue();
    }

    @Test
    void the_exit_file_written_on_the_node_is_the_truth_once_it_is_there() {
        ContainerStatus s = status(job("RUNNING", "None"), Map.of("code", "3", "oom", "true",
                "started", "2026-01-01T10:00:01.5Z", "finished", "2026-01-01T10:01:00Z")).orElseThrow();

        assertThat(s.running()).isFalse();
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.oomKilled()).isTrue();
        assertThat(s.startedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:01.5Z"));
        assertThat(s.finishedAt()).isEqualTo(Instant.parse("2026-01-01T10:01:00Z"));
    }

    @Test
    void a_job_that_ended_with_its_node_is_lost_naming_the_node() {
        RunLostException lost = catchThrowableOfType(RunLostException.class,
                () -> status(job("NODE_FAIL", "None"), Map.of()));

        assertThat(lost.node()).isEqualTo("n1");
        assertThat(lost.why()).contains("node n1").contains("NODE_FAIL");
    }

    @Test
    void a_job_that_ended_without_an_exit_file_ended_without_an_exit_code() {
        ContainerStatus s = status(job("FAILED", "NonZeroExitCode"), Map.of()).orElseThrow();

        assertThat(s.running()).isFalse();
        assertThat(s.exitCode()).isNull();
        assertThat(s.startedAt()).isNotNull();
    }

    @Test
    void a_job_slurm_just_ended_still_runs_while_its_step_may_be_stopping_the_container() {
        Map<String, String> none = Map.of();
        Optional<ContainerStatus> s = RunStates.status("dopq-x-7-1", "42", job("CANCELLED", "None"), LABELS, none,
                () -> none, T.plusSeconds(70), Duration.ofSeconds(30));

        assertThat(s.orElseThrow().running()).isTrue();
    }

    @Test
    void a_run_neither_slurm_nor_the_shared_folder_knows_is_gone() {
        assertThat(status(null, Map.of())).isEmpty();
    }

    @Test
    void node_local_indices_become_the_queues_gpu_ids() {
        assertThat(RunStates.nodeGpus("n2", "0,1")).isEqualTo("n2:0,n2:1");
        assertThat(RunStates.nodeGpus("n2", "")).isEmpty();
    }
}
