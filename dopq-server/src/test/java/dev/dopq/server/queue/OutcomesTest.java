package dev.dopq.server.queue;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomesTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant ENDED = STARTED.plusSeconds(60);

    @Test
    void an_oom_kill_that_the_shell_outlived_ends_failed_with_the_oom_reason_and_a_non_zero_exit() {
        Job job = running().memoryBytes(64L << 20).build();

        Outcomes.Outcome o = Outcomes.of(job, 0, true, ENDED);

        assertThat(o.state()).isEqualTo(JobState.FAILED);
        assertThat(o.exitCode()).isEqualTo(137);
        assertThat(o.reason()).isEqualTo("out of memory (limit 64 MiB): a process was killed (the container exited 0)");
    }

    @Test
    void an_oom_kill_of_the_main_process_keeps_its_exit_code() {
        Outcomes.Outcome o = Outcomes.of(running().build(), 137, true, ENDED);

        assertThat(o.state()).isEqualTo(JobState.FAILED);
        assertThat(o.exitCode()).isEqualTo(137);
        assertThat(o.reason()).startsWith("out of memory (limit of the host)");
    }

    @Test
    void a_job_stopped_by_a_shutdown_ends_cancelled_with_that_reason_and_is_not_retried() {
        Job job = running().maxRetries(3).stopRequestedAt(STARTED.plusSeconds(10)).killAt(STARTED.plusSeconds(40))
                .stopReason("stopped by server shutdown (admin)").build();

        Outcomes.Outcome o = Outcomes.of(job, 143, false, ENDED);

        assertThat(o.state()).isEqualTo(JobState.CANCELLED);
        assertThat(o.retry()).isFalse();
        assertThat(o.reason()).isEqualTo("stopped by server shutdown (admin)");
        assertThat(o.exitCode()).isEqualTo(143);
    }

    @Test
    void a_failure_without_a_stop_request_is_retried_while_retries_are_left() {
        Outcomes.Outcome o = Outcomes.of(running().maxRetries(1).build(), 3, false, ENDED);

        assertThat(o.state()).isEqualTo(JobState.QUEUED);
        assertThat(o.reason()).isEqualTo("attempt 1 exited with code 3; retrying");
    }

    private static Job.Builder running() {
        return Job.builder().id(8).user("ana").state(JobState.RUNNING).gpus(List.of("0")).startedAt(STARTED)
                .attempt(1);
    }
}
