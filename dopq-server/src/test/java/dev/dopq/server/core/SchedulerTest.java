package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private Job queued(long id, String user, int gpus) {
        return aJob().id(id).user(user).gpusRequested(gpus).submittedAt(clock.instant().minusSeconds(1000 - id))
                .build();
    }

    private Job running(long id, String user, Duration timeout, String... gpus) {
        return aJob().id(id).user(user).state(JobState.RUNNING).gpusRequested(gpus.length).gpus(List.of(gpus))
                .startedAt(clock.instant().minus(Duration.ofMinutes(10))).timeout(timeout).build();
    }

    /** The full decision; every case also checks that a dispatch from the index starts and holds the same. */
    private Decision decide(List<Job> queued, List<Job> running, List<String> free, PenaltyPolicy penalties) {
        Decision d = scheduler.decide(queued, running, free, penalties, clock.instant(), false);
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);
        Dispatch dispatch = scheduler.dispatch(index, running, free, penalties, clock.instant());
        assertThat(dispatch.starts()).as("dispatch starts").isEqualTo(d.starts());
        assertThat(dispatch.held()).as("dispatch holds").isEqualTo(d.held());
        return d;
    }

    private static List<Long> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    private static List<Long> started(Decision d) {
        return d.starts().stream().map(p -> p.job().id()).toList();
    }

    @Test
    void queued_jobs_are_ordered_by_their_users_penalty_then_submission_then_id() {
        Instant t = clock.instant();
        Job bobLate = aJob().id(1).user("bob").submittedAt(t.minusSeconds(10)).build();
        Job anaLate = aJob().id(2).user("ana").submittedAt(t.minusSeconds(10)).build();
        Job carlEarly = aJob().id(3).user("carl").submittedAt(t.minusSeconds(90)).build();
        Job anaTwinHigherId = aJob().id(5).user("ana").submittedAt(t.minusSeconds(50)).build();
        Job anaTwinLowerId = aJob().id(4).user("ana").submittedAt(t.minusSeconds(50)).build();
        PenaltyPolicy penalties = FixedPenalties.none().with("ana", 0.5).with("bob", 0.1).with("carl", 2.0);

        Decision d = decide(List.of(bobLate, anaLate, carlEarly, anaTwinHigherId, anaTwinLowerId), List.of(),
                List.of(), penalties);

        assertThat(ids(d.order())).containsExactly(1L, 4L, 5L, 2L, 3L);
    }

    @Test
    void a_user_with_less_usage_runs_first_on_the_lowest_free_gpus() {
        PenaltyPolicy penalties = FixedPenalties.none().with("ana", 3.0).with("bob", 1.0);

        Decision d = decide(List.of(queued(1, "ana", 1), queued(2, "bob", 2)), List.of(), List.of("1", "2", "3"),
                penalties);

        assertThat(d.starts()).extracting(p -> p.job().id(), Placement::gpus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, List.of("1", "2")),
                        org.assertj.core.groups.Tuple.tuple(1L, List.of("3")));
        assertThat(d.waiting()).isEmpty();
    }

    @Test
    void a_locked_queue_starts_nothing_but_still_orders_and_explains() {
        Decision d = scheduler.decide(List.of(queued(1, "ana", 1), queued(2, "bob", 0)), List.of(),
                List.of("0"), FixedPenalties.none().with("ana", 1.0), clock.instant(), true);

        assertThat(d.starts()).isEmpty();
        assertThat(ids(d.order())).containsExactly(2L, 1L);
        assertThat(d.waiting()).containsEntry(1L, "queue is locked (position 2 of 2)");
        assertThat(Scheduler.explain(d, 2)).startsWith("queue is locked");
    }

    @Test
    void a_cpu_only_job_starts_while_gpu_jobs_wait() {
        Job big = queued(1, "ana", 2);
        Job cpu = queued(2, "bob", 0);

        Decision d = decide(List.of(big, cpu), List.of(running(9, "carl", null, "0")), List.of("1"),
                FixedPenalties.none().with("bob", 5.0));

        assertThat(started(d)).containsExactly(2L);
        assertThat(d.placementOf(2)).hasValueSatisfying(p -> assertThat(p.gpus()).isEmpty());
        assertThat(d.held()).containsEntry("1", 1L);
        assertThat(Scheduler.explain(d, 2)).isEqualTo("starts now (CPU only)");
    }

    @Test
    void the_first_job_that_does_not_fit_holds_the_free_gpus_against_later_untimed_jobs() {
        PenaltyPolicy penalties = FixedPenalties.none().with("bob", 0.37).with("ana", 1.2);
        Job bigBob = queued(9, "bob", 2);
        Job smallAna = queued(12, "ana", 1);

        Decision d = decide(List.of(smallAna, bigBob), List.of(running(3, "carl", null, "0")), List.of("1"),
                penalties);

        assertThat(d.starts()).isEmpty();
        assertThat(d.held()).containsExactly(org.assertj.core.api.Assertions.entry("1", 9L));
        assertThat(d.waiting().get(12L)).startsWith(
                "position 2 of 2; waits behind job 9 (bob, penalty 0.37 < yours 1.20); needs 1 GPU, 1 free; "
                        + "GPUs 1 held for job 9");
        assertThat(d.waiting().get(9L)).isEqualTo("position 1 of 2; needs 2 GPUs, 1 free; GPUs 1 held for it; "
                + "start time unknown: job 3 runs without timeout");
    }

    @Test
    void a_later_job_backfills_held_gpus_only_when_its_timeout_ends_before_the_held_job_can_start() {
        Job runningUntilOneHour = running(3, "carl", Duration.ofMinutes(70), "0"); // ends at now + 60 min
        Job bigBob = queued(9, "bob", 2);
        Job quick = aJob().id(10).user("ana").timeout(Duration.ofMinutes(60)).build();
        Job tooLong = aJob().id(11).user("ana").timeout(Duration.ofMinutes(61)).build();
        Job untimed = aJob().id(12).user("ana").build();
        PenaltyPolicy penalties = FixedPenalties.none().with("ana", 1.0);

        Decision fitting = decide(List.of(bigBob, quick), List.of(runningUntilOneHour), List.of("1"), penalties);
        Decision tooLate = decide(List.of(bigBob, tooLong, untimed), List.of(runningUntilOneHour), List.of("1"),
                penalties);

        assertThat(started(fitting)).containsExactly(10L);
        assertThat(started(tooLate)).isEmpty();
        assertThat(tooLate.waiting().get(11L)).endsWith("GPUs 1 held for job 9 until 2026-01-01T13:00:00Z; "
                + "your timeout 1h 01m ends at 2026-01-01T13:01:00Z");
        assertThat(tooLate.waiting().get(12L)).contains("declare a timeout ending by then");
        assertThat(tooLate.waiting().get(9L)).endsWith("enough GPUs free by 2026-01-01T13:00:00Z at the latest");
    }

    @Test
    void a_running_job_without_timeout_lends_no_held_gpus_even_to_a_short_timed_job() {
        Job quick = aJob().id(10).user("ana").timeout(Duration.ofSeconds(1)).build();

        Decision d = decide(List.of(queued(9, "bob", 4), quick),
                List.of(running(3, "carl", null, "0")), List.of("1", "2", "3"), FixedPenalties.none().with("ana", 1));

        assertThat(started(d)).isEmpty();
        assertThat(d.held()).containsOnlyKeys("1", "2", "3");
        assertThat(d.waiting().get(10L)).endsWith("its start time is unknown: job 3 runs without timeout");
    }

    @Test
    void gpus_the_held_job_will_not_need_even_when_everything_ended_are_free_for_anyone() {
        // 4 GPUs: an untimed job uses 3, one is free; the held job needs 2 and gets them when the 3 come back.
        Decision d = decide(List.of(queued(9, "bob", 2), queued(10, "ana", 1)),
                List.of(running(3, "carl", null, "0", "1", "2")), List.of("3"),
                FixedPenalties.none().with("ana", 1));

        assertThat(started(d)).containsExactly(10L);
        assertThat(d.held()).isEmpty();
    }

    @Test
    void a_job_asking_more_gpus_than_the_machine_has_holds_nothing() {
        Decision d = decide(List.of(queued(1, "ana", 5), queued(2, "bob", 1)), List.of(running(3, "carl", null,
                "0")), List.of("1", "2", "3"), FixedPenalties.none().with("bob", 9));

        assertThat(started(d)).containsExactly(2L);
        assertThat(d.held()).isEmpty();
        assertThat(d.waiting().get(1L)).isEqualTo("position 1 of 2; needs 5 GPUs but this machine has 4");
    }

    @Test
    void starting_jobs_in_one_decision_shortens_nothing_for_the_held_job() {
        // ana's quick job starts first (it fits), then bob's job is held until ana's job ends at the latest.
        Job anaQuick = aJob().id(1).user("ana").gpusRequested(1).timeout(Duration.ofMinutes(30)).build();
        Job bigBob = queued(2, "bob", 2);
        Job carlQuick = aJob().id(3).user("carl").timeout(Duration.ofMinutes(20)).build();
        PenaltyPolicy penalties = FixedPenalties.none().with("bob", 1).with("carl", 2);

        Decision d = decide(List.of(anaQuick, bigBob, carlQuick), List.of(), List.of("0", "1"), penalties);

        assertThat(started(d)).containsExactly(1L, 3L);
        assertThat(d.waiting().get(2L)).endsWith("enough GPUs free by 2026-01-01T12:30:00Z at the latest");
    }

    @Test
    void a_two_gpu_job_behind_a_stream_of_one_gpu_jobs_starts_within_a_bounded_number_of_dispatches() {
        PenaltyPolicy penalties = PenaltyPolicy.usage(Duration.ofHours(24), 0.1);
        List<Job> running = new ArrayList<>();
        List<Job> queue = new ArrayList<>();
        long nextId = 1;
        for (String gpu : List.of("0", "1")) {
            Job job = aJob().id(nextId++).user("ana").state(JobState.RUNNING).gpus(List.of(gpu))
                    .startedAt(clock.instant()).build();
            penalties.onStarted(job, clock.instant());
            running.add(job);
        }
        queue.add(aJob().id(nextId++).user("bob").gpusRequested(2).submittedAt(clock.instant()).build());
        long bigJob = nextId - 1;

        int dispatches = 0;
        boolean bigStarted = false;
        while (!bigStarted && dispatches < 10) {
            clock.advance(Duration.ofMinutes(10));
            Job done = running.remove(0);
            penalties.onFinished(done, clock.instant());
            queue.add(aJob().id(nextId++).user("ana").submittedAt(clock.instant()).build());
            List<String> free = new ArrayList<>(List.of("0", "1"));
            running.forEach(r -> free.removeAll(r.gpus()));

            Decision d = decide(queue, running, free, penalties);
            dispatches++;
            for (Placement p : d.starts()) {
                Job started = p.job().toBuilder().state(JobState.RUNNING).gpus(p.gpus())
                        .startedAt(clock.instant()).build();
                penalties.onStarted(started, clock.instant());
                running.add(started);
                queue.remove(p.job());
                bigStarted |= p.job().id() == bigJob;
            }
        }

        assertThat(bigStarted).isTrue();
        assertThat(dispatches).isLessThanOrEqualTo(2);
    }

    @Test
    void explain_says_when_a_job_is_not_queued() {
        Decision d = decide(List.of(), List.of(), List.of("0"), FixedPenalties.none());

        assertThat(Scheduler.explain(d, 42)).isEqualTo("not in the queue");
    }
}
