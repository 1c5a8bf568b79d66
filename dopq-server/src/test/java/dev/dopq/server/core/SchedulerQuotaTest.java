package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerQuotaTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private static Job queued(long id, String user, int gpus) {
        return aJob().id(id).user(user).gpusRequested(gpus).submittedAt(NOW.minusSeconds(1000 - id)).build();
    }

    private static Job running(long id, String user, String... gpus) {
        return aJob().id(id).user(user).state(JobState.RUNNING).gpusRequested(gpus.length).gpus(List.of(gpus))
                .startedAt(NOW.minusSeconds(600)).build();
    }

    private static QuotaState maxGpus(int max) {
        return new QuotaState(new Quotas(new Quotas.Limits(max, null, null), Map.of()), Map.of());
    }

    /** The full decision, checked against a dispatch from the index on the same world. */
    private Decision decide(List<Job> queued, List<Job> running, List<String> free, QuotaState quotas) {
        Decision d = scheduler.decide(queued, running, free, FixedPenalties.none(), quotas, NOW, false);
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);
        Dispatch dispatch = scheduler.dispatch(index, running, free, FixedPenalties.none(), quotas, NOW);
        assertThat(dispatch.starts()).as("dispatch starts").isEqualTo(d.starts());
        assertThat(dispatch.held()).as("dispatch holds").isEqualTo(d.held());
        return d;
    }

    private static List<Long> started(Decision d) {
        return d.starts().stream().map(p -> p.job().id()).toList();
    }

    @Test
    void a_user_at_the_gpu_cap_waits_with_a_quota_reason_while_the_next_users_job_starts() {
        Job anaSecond = queued(1, "ana", 1);
        Job bob = queued(2, "bob", 1);

        Decision d = decide(List.of(anaSecond, bob), List.of(running(10, "ana", "0")), List.of("1"), maxGpus(1));

        assertThat(started(d)).containsExactly(2L);
        assertThat(d.waiting().get(1L)).isEqualTo("position 1 of 2; quota: ana holds 1 of 1 GPUs");
        assertThat(d.held()).isEmpty();
    }

    @Test
    void jobs_started_in_the_same_decision_count_against_the_cap() {
        Decision d = decide(List.of(queued(1, "ana", 1), queued(2, "ana", 1), queued(3, "bob", 1)), List.of(),
                List.of("0", "1", "2"), maxGpus(1));

        assertThat(started(d)).containsExactly(1L, 3L);
        assertThat(d.waiting().get(2L)).contains("quota: ana holds 1 of 1 GPUs");
    }

    @Test
    void a_job_over_its_quota_never_holds_gpus_for_itself() {
        // ana's 2-GPU job is first in order and does not fit, but she may hold only 2 and already holds 1:
        // without the quota rule the free GPU would be held for her and bob's job would wait.
        Job anaBig = queued(1, "ana", 2);
        Job bob = queued(2, "bob", 1);

        Decision d = decide(List.of(anaBig, bob), List.of(running(10, "ana", "0")), List.of("1"), maxGpus(2));

        assertThat(started(d)).containsExactly(2L);
        assertThat(d.held()).isEmpty();
        assertThat(d.waiting().get(1L)).contains("quota: ana holds 1 of 2 GPUs");
    }

    @Test
    void a_job_asking_more_than_the_cap_says_so() {
        Decision d = decide(List.of(queued(1, "ana", 3)), List.of(), List.of("0", "1", "2"), maxGpus(2));

        assertThat(started(d)).isEmpty();
        assertThat(d.waiting().get(1L)).isEqualTo("position 1 of 1; quota: needs 3 GPUs but ana may hold at most 2");
    }

    @Test
    void a_per_user_limit_replaces_the_default() {
        Quotas quotas = new Quotas(new Quotas.Limits(1, null, null),
                Map.of("ana", new Quotas.Limits(2, null, null)));
        Decision d = decide(List.of(queued(1, "ana", 1), queued(2, "ana", 1), queued(3, "bob", 1),
                queued(4, "bob", 1)), List.of(), List.of("0", "1", "2", "3"), new QuotaState(quotas, Map.of()));

        assertThat(started(d)).containsExactly(1L, 2L, 3L);
        assertThat(d.waiting().get(4L)).contains("quota: bob holds 1 of 1 GPUs");
    }

    @Test
    void cpu_only_jobs_are_not_capped_by_gpu_quotas() {
        Job anaCpu = queued(1, "ana", 0);

        Decision d = decide(List.of(anaCpu), List.of(running(10, "ana", "0")), List.of(), maxGpus(0));

        assertThat(started(d)).containsExactly(1L);
    }

    @Test
    void a_user_past_the_daily_gpu_hours_waits_for_gpus() {
        Quotas quotas = new Quotas(new Quotas.Limits(null, null, 10.0), Map.of());
        QuotaState state = new QuotaState(quotas, Map.of("ana", 10.5, "bob", 2.0));

        Decision d = decide(List.of(queued(1, "ana", 1), queued(2, "bob", 1)), List.of(), List.of("0", "1"), state);

        assertThat(started(d)).containsExactly(2L);
        assertThat(d.waiting().get(1L)).contains("quota: ana used 10.50 of 10.00 GPU-hours in the last 24h");
    }

    @Test
    void a_quota_blocked_job_does_not_stop_later_jobs_from_backfilling_or_holding() {
        // bob's 2-GPU job holds the free GPU; carl's timed job may use it only by ending before the shadow time
        Job anaOver = queued(1, "ana", 1);
        Job bobBig = queued(2, "bob", 2);
        Job carlShort = aJob().id(3).user("carl").gpusRequested(1).submittedAt(NOW.minusSeconds(100))
                .timeout(Duration.ofMinutes(10)).build();
        Job anaRunning = aJob().id(10).user("ana").state(JobState.RUNNING).gpusRequested(1).gpus(List.of("0"))
                .startedAt(NOW.minusSeconds(60)).timeout(Duration.ofHours(1)).build();

        Decision d = decide(List.of(anaOver, bobBig, carlShort), List.of(anaRunning), List.of("1"), maxGpus(1));

        assertThat(started(d)).containsExactly(3L);
        assertThat(d.waiting().get(1L)).contains("quota: ana holds 1 of 1 GPUs");
    }

    @Test
    void the_waiting_job_count_is_refused_at_the_cap() {
        Quotas quotas = new Quotas(new Quotas.Limits(null, 2, null), Map.of("bob", new Quotas.Limits(null, 5, null)));

        assertThat(quotas.queuedRefusal("ana", 1)).isNull();
        assertThat(quotas.queuedRefusal("ana", 2)).isEqualTo("quota: ana has 2 of 2 jobs waiting; wait until some start");
        assertThat(quotas.queuedRefusal("bob", 2)).isNull();
    }

    @Test
    void an_array_runs_at_most_max_parallel_of_its_jobs_and_the_rest_wait_without_holding_gpus() {
        Job.Builder element = aJob().user("ana").arrayId(7).maxParallel(2);
        List<Job> queued = List.of(
                element.id(8).arrayIndex(1).submittedAt(NOW.minusSeconds(90)).build(),
                element.id(9).arrayIndex(2).submittedAt(NOW.minusSeconds(90)).build(),
                aJob().id(20).user("bob").submittedAt(NOW.minusSeconds(10)).build());
        Job first = element.id(7).arrayIndex(0).state(JobState.RUNNING).gpus(List.of("0"))
                .startedAt(NOW.minusSeconds(60)).build();

        Decision d = decide(queued, List.of(first), List.of("1", "2"), QuotaState.NONE);

        assertThat(started(d)).containsExactly(8L, 20L);
        assertThat(d.waiting().get(9L)).isEqualTo("position 2 of 3; array 7: 2 of its jobs run (max_parallel 2)");
        assertThat(d.held()).isEmpty();
    }

    @Test
    void a_job_blocked_by_a_dependency_waits_with_its_reason_and_holds_nothing() {
        Job train = queued(1, "ana", 1);
        Job bob = aJob().id(2).user("bob").submittedAt(NOW.minusSeconds(10)).build();
        QuotaState state = new QuotaState(Quotas.NONE, Map.of(), Map.of(1L, "waits for job 9 to succeed (it is running)"));

        Decision d = decide(List.of(train, bob), List.of(), List.of("0"), state);

        assertThat(started(d)).containsExactly(2L);
        assertThat(d.waiting().get(1L)).isEqualTo("position 1 of 2; waits for job 9 to succeed (it is running)");
        assertThat(d.held()).isEmpty();
    }
}
