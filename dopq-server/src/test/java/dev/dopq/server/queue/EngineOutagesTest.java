package dev.dopq.server.queue;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** An attempt the engine's own restart killed is a lost attempt: it runs again without using up a retry. */
class EngineOutagesTest {
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");
    private final EngineOutages outages = new EngineOutages();

    private Job running(int attempt, int lost, int retries) {
        return aJob().state(JobState.RUNNING).attempt(attempt).lostAttempts(lost).maxRetries(retries)
                .startedAt(T.minusSeconds(600)).build();
    }

    @Test
    void a_sigterm_exit_while_the_engine_was_gone_without_live_restore_was_killed_by_the_engine() {
        outages.liveRestore(false);
        outages.lost(T);
        outages.back(T.plusSeconds(20));

        assertThat(outages.killedByEngine(143, T.plusSeconds(2), T.plusSeconds(30))).isTrue();
        assertThat(outages.killedByEngine(137, T.plusSeconds(12), T.plusSeconds(30))).isTrue();
    }

    @Test
    void an_exit_outside_the_outage_another_exit_code_or_live_restore_on_is_the_jobs_own() {
        outages.liveRestore(false);
        outages.lost(T);
        outages.back(T.plusSeconds(20));

        assertThat(outages.killedByEngine(143, T.minusSeconds(60), T.plusSeconds(30))).as("before").isFalse();
        assertThat(outages.killedByEngine(143, T.plusSeconds(60), T.plusSeconds(90))).as("after").isFalse();
        assertThat(outages.killedByEngine(1, T.plusSeconds(2), T.plusSeconds(30))).as("exit 1").isFalse();
        outages.liveRestore(true);
        assertThat(outages.killedByEngine(143, T.plusSeconds(2), T.plusSeconds(30))).as("live-restore").isFalse();
    }

    @Test
    void an_outage_still_open_reaches_until_now() {
        outages.lost(T);

        assertThat(outages.killedByEngine(143, T.plusSeconds(40), T.plusSeconds(45))).isTrue();
        assertThat(outages.killedByEngine(143, T.plusSeconds(40), T.plusSeconds(30))).isFalse();
    }

    @Test
    void a_lost_attempt_is_re_queued_even_when_the_job_has_no_retries_left_and_does_not_use_one_up() {
        Job job = running(1, 0, 0);

        Outcomes.Outcome lost = Outcomes.of(job, 143, false, T, true);

        assertThat(lost.state()).isEqualTo(JobState.QUEUED);
        assertThat(lost.lost()).isTrue();
        assertThat(lost.reason()).contains("restart of the container engine");
        Job next = job.toBuilder().attempt(2).lostAttempts(1).build();
        assertThat(next.mayRetry()).as("a later failure of the next attempt still has its retries: none").isFalse();
        Job withOneRetry = running(2, 1, 1);
        assertThat(withOneRetry.mayRetry()).as("attempt 2 after a lost one is the first counted").isTrue();
        assertThat(Outcomes.of(running(2, 1, 1), 1, false, T).state()).isEqualTo(JobState.QUEUED);
        assertThat(Outcomes.of(running(3, 1, 1), 1, false, T).state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void a_sigterm_exit_just_now_with_no_outage_known_yet_is_too_early_to_tell_until_the_slack_has_passed() {
        outages.liveRestore(false);

        assertThat(outages.tooEarlyToTell(143, T, T.plusSeconds(1))).isTrue();
        assertThat(outages.tooEarlyToTell(137, T, T.plusSeconds(4))).isTrue();
        assertThat(outages.tooEarlyToTell(143, T, T.plus(EngineOutages.SLACK))).as("its own SIGTERM, after all")
                .isFalse();
        assertThat(outages.tooEarlyToTell(1, T, T.plusSeconds(1))).as("not a signal's exit").isFalse();
        outages.lost(T.plusSeconds(2));
        assertThat(outages.tooEarlyToTell(143, T, T.plusSeconds(3))).as("the outage is known: a lost attempt")
                .isFalse();
        assertThat(outages.killedByEngine(143, T, T.plusSeconds(3))).isTrue();
    }

    @Test
    void with_live_restore_on_no_exit_waits() {
        outages.liveRestore(true);

        assertThat(outages.tooEarlyToTell(143, T, T.plusSeconds(1))).isFalse();
    }

    @Test
    void the_jobs_own_failure_uses_up_a_retry_as_before() {
        assertThat(Outcomes.of(running(1, 0, 0), 143, false, T, false).state()).isEqualTo(JobState.FAILED);
        assertThat(Outcomes.of(running(1, 0, 1), 143, false, T, false).lost()).isFalse();
    }
}
