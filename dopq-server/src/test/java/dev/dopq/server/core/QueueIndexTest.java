package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueIndexTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private static List<Job> walk(QueueOrder order) {
        List<Job> out = new ArrayList<>();
        order.forEachRemaining(out::add);
        return out;
    }

    @Test
    void an_empty_index_has_no_next_job_and_an_empty_order() {
        QueueIndex index = new QueueIndex();

        assertThat(index.next(FixedPenalties.none(), NOW)).isEmpty();
        assertThat(index.order(FixedPenalties.none(), NOW).hasNext()).isFalse();
    }

    @Test
    void the_order_goes_by_penalty_then_submission_then_id_with_unknown_submission_last() {
        QueueIndex index = new QueueIndex();
        Job anaUnknown = aJob().id(1).user("ana").submittedAt(null).build();
        Job anaLate = aJob().id(2).user("ana").submittedAt(NOW.minusSeconds(10)).build();
        Job bobEarly = aJob().id(3).user("bob").submittedAt(NOW.minusSeconds(90)).build();
        Job carlTwin = aJob().id(5).user("carl").submittedAt(NOW.minusSeconds(10)).build();
        List.of(anaUnknown, anaLate, bobEarly, carlTwin).forEach(index::put);
        PenaltyPolicy penalties = FixedPenalties.none().with("bob", 3.0);

        assertThat(walk(index.order(penalties, NOW))).extracting(Job::id).containsExactly(2L, 5L, 1L, 3L);
        assertThat(index.next(penalties, NOW)).contains(anaLate);
    }

    @Test
    void putting_a_job_again_replaces_it_and_removing_it_forgets_it() {
        QueueIndex index = new QueueIndex();
        index.put(aJob().id(1).user("ana").build());
        index.put(aJob().id(1).user("bob").gpusRequested(0).build());

        assertThat(index.jobs()).extracting(Job::user).containsExactly("bob");
        assertThat(index.cpuOnly()).extracting(Job::id).containsExactly(1L);

        index.remove(1);
        index.remove(99);
        assertThat(index.size()).isZero();
        assertThat(index.cpuOnly()).isEmpty();
        assertThat(index.anyAsking(8, List.of())).isFalse();
    }

    @Test
    void only_queued_jobs_are_indexed() {
        Job running = aJob().id(1).state(JobState.RUNNING).build();

        assertThatThrownBy(() -> new QueueIndex().put(running)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job 1 is RUNNING, not QUEUED");
    }

    @Test
    void the_demand_counts_tell_whether_a_job_not_yet_started_asks_few_enough_gpus_with_a_short_enough_timeout() {
        QueueIndex index = new QueueIndex();
        Job twoTimed = aJob().id(1).gpusRequested(2).timeout(Duration.ofMinutes(5)).build();
        Job oneUntimed = aJob().id(2).gpusRequested(1).build();
        index.put(twoTimed);
        index.put(oneUntimed);

        assertThat(index.anyAsking(1, List.of())).isTrue();
        assertThat(index.anyAsking(1, List.of(oneUntimed))).isFalse();
        assertThat(index.anyTimedAsking(2, Duration.ofMinutes(5), List.of())).isTrue();
        assertThat(index.anyTimedAsking(2, Duration.ofMinutes(4), List.of())).isFalse();
        assertThat(index.anyTimedAsking(1, Duration.ofHours(1), List.of())).isFalse();
        assertThat(index.anyTimedAsking(2, Duration.ofMinutes(5), List.of(twoTimed))).isFalse();
    }

    @Test
    void after_random_puts_replaces_and_removes_the_order_is_the_full_decisions_order_and_next_its_head() {
        Random random = new Random(11);
        for (int round = 0; round < 40; round++) {
            FixedPenalties penalties = FixedPenalties.none();
            for (int u = 0; u < 6; u++) {
                penalties = penalties.with("u" + u, random.nextInt(4) / 2.0);
            }
            QueueIndex index = new QueueIndex();
            Map<Long, Job> expected = new LinkedHashMap<>();
            for (int step = 0; step < 120; step++) {
                long id = random.nextInt(60) + 1L;
                if (random.nextInt(4) == 0) {
                    index.remove(id);
                    expected.remove(id);
                } else {
                    Job job = randomJob(random, id);
                    index.put(job);
                    expected.put(id, job);
                }
            }
            List<Job> queued = new ArrayList<>(expected.values());
            Decision full = scheduler.decide(queued, List.of(), List.of(), penalties, NOW, true);

            assertThat(walk(index.order(penalties, NOW))).isEqualTo(full.order());
            assertThat(index.next(penalties, NOW)).isEqualTo(full.order().stream().findFirst());
            assertThat(index.size()).isEqualTo(queued.size());
        }
    }

    static Job randomJob(Random random, long id) {
        Instant submitted = random.nextInt(10) == 0 ? null : NOW.minusSeconds(random.nextInt(5));
        return aJob().id(id).user("u" + random.nextInt(6)).submittedAt(submitted)
                .gpusRequested(random.nextInt(4)).build();
    }
}
