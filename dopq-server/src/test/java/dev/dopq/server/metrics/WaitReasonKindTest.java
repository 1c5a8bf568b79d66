package dev.dopq.server.metrics;

import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.QuotaState;
import dev.dopq.server.core.Quotas;
import dev.dopq.server.core.Scheduler;
import dev.dopq.server.core.WaitKind;
import dev.dopq.server.testutil.FixedPenalties;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler gives every waiting job a kind of reason; the metric counts kinds, never parses the text. */
class WaitReasonKindTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");

    private Job queued(long id, String user, int gpus) {
        return aJob().id(id).user(user).state(JobState.QUEUED).gpusRequested(gpus)
                .submittedAt(clock.instant().minusSeconds(1000 - id)).build();
    }

    @Test
    void each_waiting_job_has_the_kind_that_matches_its_reason() {
        Job running = aJob().id(1).user("carl").state(JobState.RUNNING).gpusRequested(1).gpus(List.of("0"))
                .startedAt(clock.instant()).build();
        Job big = queued(2, "ana", 2);
        Job behind = queued(3, "bob", 1);
        Job tooBig = queued(4, "bob", 8);
        Job held = queued(5, "dan", 1).toBuilder().heldBy("dan").build();
        Job blocked = queued(6, "eve", 1);

        Decision d = new Scheduler().decide(List.of(big, behind, tooBig, held, blocked), List.of(running),
                List.of("1"), FixedPenalties.none(),
                new QuotaState(Quotas.NONE, Map.of(), Map.of(6L, "waits for job 99 to succeed")), clock.instant(),
                false);

        assertThat(d.kinds()).containsEntry(2L, WaitKind.GPUS).containsEntry(3L, WaitKind.RESERVED)
                .containsEntry(4L, WaitKind.IMPOSSIBLE).containsEntry(5L, WaitKind.HOLD)
                .containsEntry(6L, WaitKind.DEPENDENCY);
        assertThat(d.kinds().keySet()).isEqualTo(d.waiting().keySet());
        assertThat(d.waiting().get(3L)).contains("held for job 2");
    }

    @Test
    void a_locked_queue_gives_every_job_the_locked_kind() {
        Decision d = new Scheduler().decide(List.of(queued(2, "ana", 1), queued(3, "bob", 1)), List.of(),
                List.of("0"), FixedPenalties.none(), clock.instant(), true);

        assertThat(d.kinds().values()).containsOnly(WaitKind.LOCKED).hasSize(2);
        assertThat(WaitKind.ARRAY_LIMIT.label()).isEqualTo("array_limit");
    }
}
