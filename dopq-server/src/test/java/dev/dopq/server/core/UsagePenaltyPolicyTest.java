package dev.dopq.server.core;

import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UsagePenaltyPolicyTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final PenaltyPolicy policy = PenaltyPolicy.usage(HOUR, 0.25);

    private Job start(long id, String user, int gpus) {
        List<String> ids = gpus == 0 ? List.of() : List.of("0", "1", "2", "3").subList(0, gpus);
        Job job = aJob().id(id).user(user).state(JobState.RUNNING).gpusRequested(gpus).gpus(ids)
                .startedAt(clock.instant()).build();
        policy.onStarted(job, clock.instant());
        return job;
    }

    private Instant now() {
        return clock.instant();
    }

    @Test
    void one_gpu_for_one_half_life_costs_half_a_half_life_over_ln2() {
        Job job = start(1, "ana", 1);
        clock.advance(HOUR);
        policy.onFinished(job, now());

        // integral of 2^-(t/h) over one half-life h = 3600 s: (1 - 0.5) / (ln 2 / 3600) = 2596.85 GPU-seconds
        assertThat(policy.penalty("ana", now())).isCloseTo(2596.85, within(0.01));
    }

    @Test
    void after_one_half_life_the_penalty_halves() {
        Job job = start(1, "ana", 2);
        clock.advance(Duration.ofMinutes(10));
        policy.onFinished(job, now());
        double before = policy.penalty("ana", now());

        clock.advance(HOUR);

        assertThat(before).isGreaterThan(0);
        assertThat(policy.penalty("ana", now())).isCloseTo(before / 2, within(1e-9));
    }

    @Test
    void running_jobs_count_as_they_run() {
        start(1, "ana", 1);
        assertThat(policy.penalty("ana", now())).isZero();

        clock.advance(Duration.ofMinutes(30));
        double halfHour = policy.penalty("ana", now());
        clock.advance(Duration.ofMinutes(30));

        assertThat(halfHour).isGreaterThan(0);
        assertThat(policy.penalty("ana", now())).isCloseTo(2596.85, within(0.01));
    }

    @Test
    void a_user_with_four_running_jobs_is_not_fresh() {
        for (int i = 1; i <= 4; i++) {
            start(i, "ana", 1);
        }
        Job bobs = start(10, "bob", 1);
        clock.advance(Duration.ofMinutes(20));
        policy.onFinished(bobs, now());

        assertThat(policy.penalty("ana", now())).isCloseTo(4 * policy.penalty("bob", now()), within(1e-6));
        assertThat(policy.penalties(now())).containsOnlyKeys("ana", "bob");
    }

    @Test
    void a_cpu_only_second_counts_the_cpu_weight() {
        Job gpuJob = start(1, "ana", 1);
        Job cpuJob = start(2, "bob", 0);
        clock.advance(HOUR);
        policy.onFinished(gpuJob, now());
        policy.onFinished(cpuJob, now());

        assertThat(policy.penalty("bob", now())).isCloseTo(0.25 * policy.penalty("ana", now()), within(1e-9));
    }

    @Test
    void replayed_history_counts_from_the_jobs_own_start() {
        Instant started = now();
        clock.advance(HOUR);
        Job finished = aJob().id(7).user("ana").state(JobState.SUCCEEDED).gpusRequested(1).gpus(List.of("0"))
                .startedAt(started).finishedAt(now()).build();

        policy.onFinished(finished, finished.finishedAt());

        assertThat(policy.penalty("ana", now())).isCloseTo(2596.85, within(0.01));
    }

    @Test
    void a_retried_job_counts_every_attempt() {
        Job first = start(1, "ana", 1);
        clock.advance(HOUR);
        policy.onFinished(first, now());
        double afterFirst = policy.penalty("ana", now());

        Job second = start(1, "ana", 1);
        clock.advance(HOUR);
        policy.onFinished(second, now());

        // the first attempt halved during the second, which added as much as the first did
        assertThat(policy.penalty("ana", now())).isCloseTo(afterFirst / 2 + afterFirst, within(1e-6));
    }

    @Test
    void the_penalty_of_a_user_who_never_ran_is_zero_and_not_listed() {
        start(1, "ana", 1);

        assertThat(policy.penalty("bob", now())).isZero();
        assertThat(policy.penalties(now())).containsOnlyKeys("ana");
    }

    @Test
    void a_half_life_must_be_positive() {
        assertThatThrownBy(() -> PenaltyPolicy.usage(Duration.ZERO, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
