package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerNextTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    @Test
    void nothing_queued_means_no_next_job() {
        assertThat(scheduler.next(List.of(), FixedPenalties.none(), NOW)).isEmpty();
    }

    @Test
    void the_next_job_belongs_to_the_user_with_the_lowest_penalty_even_if_submitted_later() {
        Job anaEarly = aJob().id(1).user("ana").submittedAt(NOW.minusSeconds(100)).build();
        Job bobLate = aJob().id(2).user("bob").submittedAt(NOW.minusSeconds(10)).build();
        PenaltyPolicy penalties = FixedPenalties.none().with("ana", 2.0).with("bob", 1.0);

        assertThat(scheduler.next(List.of(anaEarly, bobLate), penalties, NOW)).contains(bobLate);
    }

    @Test
    void between_equal_penalties_the_earlier_submission_then_the_lower_id_goes_next() {
        Job late = aJob().id(1).user("ana").submittedAt(NOW.minusSeconds(10)).build();
        Job twinHigherId = aJob().id(5).user("bob").submittedAt(NOW.minusSeconds(50)).build();
        Job twinLowerId = aJob().id(4).user("ana").submittedAt(NOW.minusSeconds(50)).build();

        assertThat(scheduler.next(List.of(late, twinHigherId, twinLowerId), FixedPenalties.none(), NOW))
                .contains(twinLowerId);
    }

    @Test
    void a_job_without_submission_time_goes_after_those_with_one() {
        Job unknown = aJob().id(1).user("ana").submittedAt(null).build();
        Job known = aJob().id(2).user("ana").submittedAt(NOW).build();

        assertThat(scheduler.next(List.of(unknown, known), FixedPenalties.none(), NOW)).contains(known);
    }

    @Test
    void the_next_job_is_always_the_head_of_the_full_decisions_order() {
        Random random = new Random(7);
        FixedPenalties penalties = FixedPenalties.none();
        for (int u = 0; u < 8; u++) {
            penalties = penalties.with("u" + u, random.nextInt(4) / 2.0);
        }
        for (int round = 0; round < 50; round++) {
            List<Job> queued = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                queued.add(aJob().id(random.nextInt(1000) + 1L).user("u" + random.nextInt(8))
                        .submittedAt(NOW.minusSeconds(random.nextInt(5))).build());
            }
            Decision full = scheduler.decide(queued, List.of(), List.of(), penalties, NOW, true);

            assertThat(scheduler.next(queued, penalties, NOW)).contains(full.order().get(0));
        }
    }
}
