package dev.dopq.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dopq.api.AttemptView;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.api.LogChunk;

import static dev.dopq.client.FakeSession.at;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's answers where a new user tripped: each test is one such trip, as the user would make it. */
class ConsoleAnswersTest {
    @TempDir
    Path tmp;

    private final FakeSession session = new FakeSession();

    private Path aZip() throws IOException {
        return Files.write(tmp.resolve("bad.zip"), new byte[] {'P', 'K', 5, 6});
    }

    private static JobView received() {
        return FakeSession.job("45", "bad", "ana", "RECEIVED", List.of(), 1, null, FakeSession.NOW, null, null,
                null, 1);
    }

    private static JobView rejected() {
        return FakeSession.job("45", "bad", "ana", "REJECTED", List.of(), 1, null, FakeSession.NOW, null,
                FakeSession.NOW, "container_config.json: unknown key \"num_gpu\" (did you mean \"num_gpus\"?)", 1);
    }

    @Test
    void submitting_an_invalid_zip_exits_non_zero_with_its_reason_and_prints_no_id() throws IOException {
        session.jobGoesThrough("45", received(), rejected());

        CliRun.Result result = CliRun.run(session, "submit", aZip().toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_RUN);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("dopq: job 45 rejected: container_config.json: unknown key \"num_gpu\""
                + " (did you mean \"num_gpus\"?)\n");
    }

    @Test
    void submit_json_shows_the_job_as_accepted_with_its_real_name_and_gpus() throws IOException {
        session.jobGoesThrough("45", received(), FakeSession.job("45", "resnet-sweep", "ana", "QUEUED", List.of(),
                2, null, FakeSession.NOW, null, null, null, 1));

        CliRun.Result result = CliRun.run(session, "submit", aZip().toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("\"name\": \"resnet-sweep\"").contains("\"gpusRequested\": 2")
                .contains("\"state\": \"QUEUED\"");
    }

    @Test
    void submit_no_wait_prints_the_id_at_once() throws IOException {
        CliRun.Result result = CliRun.run(session, "submit", aZip().toString(), "--no-wait");

        assertThat(result.out()).isEqualTo("45\n");
        assertThat(session.calls).containsExactly("submit");
    }

    @Test
    void following_the_log_of_a_job_that_never_ran_says_why_and_exits_non_zero() {
        session.jobGoesThrough("45", rejected());

        CliRun.Result result = CliRun.run(session, "logs", "45", "--follow");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_RUN);
        assertThat(result.err()).isEqualTo("dopq: job 45 never ran: rejected, container_config.json: unknown key"
                + " \"num_gpu\" (did you mean \"num_gpus\"?)\n");
        assertThat(session.calls).doesNotContain("logs:45");
    }

    @Test
    void logs_attempt_reads_that_attempts_log() {
        session.logChunks.add(new LogChunk("first try\n", 10, true));

        CliRun.Result result = CliRun.run(session, "logs", "42", "--attempt", "1");

        assertThat(result.out()).isEqualTo("first try\n");
        assertThat(session.logAttempts).containsExactly(1);
    }

    @Test
    void logs_tail_0_follow_prints_only_new_output() {
        session.logChunks.add(new LogChunk("old line\n", 9, false));
        session.logChunks.add(new LogChunk("new line\n", 18, true));

        CliRun.Result result = CliRun.run(session, "logs", "41", "--tail", "0", "--follow");

        assertThat(result.out()).isEqualTo("new line\n");
        assertThat(session.logOffsets).containsExactly(-1L, 9L);
    }

    @Test
    void cancel_now_kills_without_the_grace_period() {
        CliRun.Result result = CliRun.run(session, "cancel", "41", "--now");

        assertThat(result.out()).isEqualTo("killing job 41 now\n");
        assertThat(session.lastCancelNow).isTrue();
    }

    @Test
    void cancel_wait_prints_how_the_job_ended() {
        session.jobGoesThrough("41", FakeSession.job("41", "x", "ana", "RUNNING", List.of("0"), 1, null,
                FakeSession.NOW, FakeSession.NOW, null, null, 1), FakeSession.job("41", "x", "ana", "CANCELLED",
                List.of("0"), 1, 143, FakeSession.NOW, FakeSession.NOW, FakeSession.NOW, "cancelled by ana", 1));

        CliRun.Result result = CliRun.run(session, "cancel", "41", "--wait");

        assertThat(result.out()).isEqualTo("stopping job 41 (grace 30s)\njob 41 cancelled: cancelled by ana (exit 143)\n");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void a_stopping_job_with_attempts_on_gpu_0_reads_as_such() {
        JobView job = new JobView("46", "long-run", "carl", "RUNNING", List.of("0"), 1, null, at("09:00:00"),
                at("11:00:00"), null, "cancelled by carl", 2, "local", null, null, true, at("11:59:55"), at("12:00:25"), 25L);
        JobDetail detail = new JobDetail(job, "dopq/job-46", 0, 0, 1, null, List.of(), null, "200001:200001", List.of(
                new AttemptView(1, List.of("0"), at("09:05:00"), at("10:55:00"), 3, "attempt 1 exited with code 3;"
                        + " retrying", 2048),
                new AttemptView(2, List.of("0"), at("11:00:00"), null, null, "cancelled by carl", 512)));
        FakeSession withDetail = new FakeSession() {
            @Override
            public JobDetail job(String id) {
                return detail;
            }
        };

        CliRun.run(withDetail, "job", "46").matchesGolden("job-stopping.txt");
    }

    @Test
    void clear_history_when_piped_needs_all() {
        CliRun.Result result = CliRun.run(session, "clear-history");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("add --all to confirm");
        assertThat(session.calls).isEmpty();
    }

    @Test
    void clear_history_on_a_terminal_asks_first_and_clears_only_on_yes() {
        CliRun.Result declined = CliRun.runAtTerminal(session, "no\n", "clear-history");
        assertThat(declined.exitCode()).isEqualTo(ExitCodes.OTHER);
        assertThat(session.calls).isEmpty();

        CliRun.Result confirmed = CliRun.runAtTerminal(session, "yes\n", "clear-history");

        assertThat(confirmed.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(confirmed.out()).isEqualTo("remove every finished job from the history? type yes to confirm: "
                + "removed 3 jobs from the history\n");
        assertThat(session.calls).containsExactly("clearHistory");
    }

    @Test
    void removing_a_user_cancels_their_jobs_unless_asked_to_keep_them() {
        CliRun.Result cancelled = CliRun.run(session, "user", "remove", "bob");
        assertThat(cancelled.out()).isEqualTo("user bob removed; 2 unfinished jobs cancelled\n");
        assertThat(session.lastRemoveCancelsJobs).isTrue();

        CliRun.Result kept = CliRun.run(session, "user", "remove", "bob", "--keep-jobs");

        assertThat(kept.out()).isEqualTo("user bob removed; their unfinished jobs stay\n");
        assertThat(session.lastRemoveCancelsJobs).isFalse();
    }
}
