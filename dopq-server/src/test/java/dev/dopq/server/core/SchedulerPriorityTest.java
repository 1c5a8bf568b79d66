package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** Priorities move jobs ahead of or behind the fair-share order; held jobs keep their place but do not start. */
class SchedulerPriorityTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private static Job queued(long id, String user, int gpus) {
        return aJob().id(id).user(user).gpusRequested(gpus).submittedAt(NOW.minusSeconds(1000 - id)).build();
    }

    private static Job running(long id, String user, Duration timeout, String... gpus) {
        return aJob().id(id).user(user).state(JobState.RUNNING).gpusRequested(gpus.length).gpus(List.of(gpus))
                .startedAt(NOW.minus(Duration.ofMinutes(10))).timeout(timeout).build();
    }

    /** The full decision, checked against the dispatch from the index (same starts, same held GPUs). */
    private Decision decide(List<Job> queued, List<Job> running, List<String> free, PenaltyPolicy penalties) {
        Decision d = scheduler.decide(queued, running, free, penalties, NOW, false);
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);
        Dispatch dispatch = scheduler.dispatch(index, running, free, penalties, NOW);
        assertThat(dispatch.starts()).as("dispatch starts").isEqualTo(d.starts());
        assertThat(dispatch.held()).as("dispatch holds").isEqualTo(d.held());
        return d;
    }

    private static List<Long> started(Decision d) {
        return d.starts().stream().map(p -> p.job().id()).toList();
    }

    @Test
    void a_higher_priority_goes_before_a_lower_penalty_and_an_earlier_submission() {
        Job anaEarly = queued(1, "ana", 1);
        Job bobLate = queued(2, "bob", 1).toBuilder().priority(5).build();
        Job carlBehind = queued(3, "carl", 1).toBuilder().priority(-5).build();
        Job anaLater = queued(4, "ana", 1);
        PenaltyPolicy penalties = FixedPenalties.none().with("bob", 9.0);

        Decision withGpu = decide(List.of(carlBehind, anaLater, anaEarly, bobLate), List.of(), List.of("0"),
                penalties);
        Decision busy = decide(List.of(carlBehind, anaLater, anaEarly, bobLate), List.of(running(9, "dan", null, "0")),
                List.of(), penalties);

        assertThat(withGpu.order()).extracting(Job::id).containsExactly(2L, 1L, 4L, 3L);
        assertThat(started(withGpu)).containsExactly(2L);
        assertThat(busy.waiting().get(1L)).contains("waits behind job 2 (bob, priority 5 > yours 0)");
    }

    @Test
    void within_one_priority_the_fair_share_order_holds() {
        Job ana = queued(1, "ana", 1).toBuilder().priority(3).build();
        Job bob = queued(2, "bob", 1).toBuilder().priority(3).build();
        PenaltyPolicy penalties = FixedPenalties.none().with("ana", 2.0).with("bob", 1.0);

        Decision d = decide(List.of(ana, bob), List.of(), List.of(), penalties);

        assertThat(d.order()).extracting(Job::id).containsExactly(2L, 1L);
    }

    @Test
    void a_prioritised_job_that_does_not_fit_gets_the_reservation_instead_of_an_earlier_job() {
        Job earlySmall = queued(1, "ana", 1);
        Job urgentBig = queued(2, "bob", 2).toBuilder().priority(10).build();
        Job blocker = running(9, "carl", Duration.ofHours(1), "0");

        Decision d = decide(List.of(earlySmall, urgentBig), List.of(blocker), List.of("1"), FixedPenalties.none());

        assertThat(started(d)).isEmpty();
        assertThat(d.held()).containsEntry("1", 2L);
        assertThat(d.waiting().get(2L)).startsWith("position 1 of 2").contains("GPUs 1 held for it");
        assertThat(d.waiting().get(1L)).contains("waits behind job 2").contains("held for job 2");
    }

    @Test
    void a_held_job_keeps_its_place_starts_not_holds_nothing_and_the_jobs_behind_it_go_ahead() {
        Job heldBig = queued(1, "ana", 2).toBuilder().heldBy("ana").build();
        Job next = queued(2, "bob", 1);
        Job blocker = running(9, "carl", null, "0");

        Decision d = decide(List.of(heldBig, next), List.of(blocker), List.of("1"), FixedPenalties.none());

        assertThat(d.order()).extracting(Job::id).containsExactly(1L, 2L);
        assertThat(started(d)).containsExactly(2L);
        assertThat(d.held()).isEmpty();
        assertThat(d.waiting().get(1L)).isEqualTo("position 1 of 2; held by ana; dopq release 1 lets it start");
    }

    @Test
    void a_held_cpu_only_job_does_not_start_either() {
        Job cpu = queued(1, "ana", 0).toBuilder().heldBy("admin").build();

        Decision d = decide(List.of(cpu), List.of(), List.of(), FixedPenalties.none());

        assertThat(started(d)).isEmpty();
        assertThat(d.waiting().get(1L)).contains("held by admin");
    }

    @Test
    void the_dispatch_never_walks_past_held_jobs_however_many_there_are() {
        List<Job> queued = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            queued.add(queued(i, "ana", 1).toBuilder().heldBy("admin").build());
        }
        queued.add(queued(2000, "bob", 1).toBuilder().submittedAt(NOW).build());
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);

        Dispatch d = scheduler.dispatch(index, List.of(), List.of("0"), FixedPenalties.none(), NOW);

        assertThat(d.starts()).extracting(p -> p.job().id()).containsExactly(2000L);
        assertThat(d.considered()).isEqualTo(1);
        assertThat(index.jobs()).hasSize(1001);
        assertThat(index.next(FixedPenalties.none(), NOW)).map(Job::id).contains(2000L);
    }

    @Test
    void releasing_a_job_puts_it_back_where_it_was() {
        QueueIndex index = new QueueIndex();
        Job first = queued(1, "ana", 1).toBuilder().heldBy("ana").build();
        index.put(first);
        index.put(queued(2, "ana", 1));
        index.put(first.toBuilder().heldBy(null).build());

        QueueOrder order = index.order(FixedPenalties.none(), NOW);

        assertThat(order.next().id()).isEqualTo(1L);
        assertThat(order.next().id()).isEqualTo(2L);
        assertThat(order.hasNext()).isFalse();
    }

    @Test
    void next_without_an_index_skips_held_jobs_and_honours_priority() {
        Job held = queued(1, "ana", 1).toBuilder().heldBy("ana").build();
        Job plain = queued(2, "ana", 1);
        Job urgent = queued(3, "bob", 1).toBuilder().priority(1).build();

        assertThat(scheduler.next(List.of(held, plain), FixedPenalties.none(), NOW)).contains(plain);
        assertThat(scheduler.next(List.of(held, plain, urgent), FixedPenalties.none(), NOW)).contains(urgent);
    }

    @Test
    void priority_limits_allow_up_to_the_user_s_maximum_and_refuse_above_it_with_the_maximum_named() {
        PriorityLimits limits = new PriorityLimits(0, java.util.Map.of("ana", 10));

        assertThat(limits.refusal("ana", 10)).isNull();
        assertThat(limits.refusal("bob", -20)).isNull();
        assertThat(limits.refusal("bob", 1)).isEqualTo("priority 1 is above what bob may ask for (max_priority 0);"
                + " ask an admin to raise it with dopq priority");
    }
}
