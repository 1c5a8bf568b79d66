package dev.dopq.server.core;

import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DopqPenaltyPolicyTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final PenaltyPolicy policy = PenaltyPolicy.dopq();
    private long ids;

    private void finish(String user) {
        clock.advance(Duration.ofMinutes(1));
        policy.onFinished(aJob().id(++ids).user(user).startedAt(clock.instant()).build(), clock.instant());
    }

    @Test
    void a_user_never_seen_has_no_penalty() {
        assertThat(policy.penalty("ana", clock.instant())).isZero();
        assertThat(policy.penalties(clock.instant())).isEmpty();
    }

    @Test
    void the_newest_finish_counts_one_and_older_ones_decay_by_e_per_position() {
        // finish order ana, bob, ana -> newest first: ana (i=0), bob (i=1), ana (i=2)
        finish("ana");
        finish("bob");
        finish("ana");

        // ana = e^0 + e^-2 = 1 + 0.135335 = 1.135335; bob = e^-1 = 0.367879
        assertThat(policy.penalty("ana", clock.instant())).isCloseTo(1.135335, within(1e-6));
        assertThat(policy.penalty("bob", clock.instant())).isCloseTo(0.367879, within(1e-6));
    }

    @Test
    void a_longer_history_matches_the_sum_over_positions() {
        List<String> oldestFirst = List.of("ana", "bob", "bob", "carl", "ana", "bob", "ana", "ana");
        oldestFirst.forEach(this::finish);

        // newest first: ana0 ana1 bob2 ana3 carl4 bob5 bob6 ana7
        double ana = 1 + Math.exp(-1) + Math.exp(-3) + Math.exp(-7); // 1 + .367879 + .049787 + .000912 = 1.418578
        double bob = Math.exp(-2) + Math.exp(-5) + Math.exp(-6);     // .135335 + .006738 + .002479 = 0.144552
        double carl = Math.exp(-4);                                  // 0.018316
        assertThat(ana).isCloseTo(1.418578, within(1e-6));
        assertThat(policy.penalty("ana", clock.instant())).isCloseTo(ana, within(1e-12));
        assertThat(policy.penalty("bob", clock.instant())).isCloseTo(bob, within(1e-12));
        assertThat(policy.penalties(clock.instant()))
                .containsOnlyKeys("ana", "bob", "carl")
                .hasEntrySatisfying("carl", v -> assertThat(v).isCloseTo(carl, within(1e-12)));
    }

    @Test
    void starting_a_job_changes_no_penalty_but_lists_its_user() {
        finish("ana");
        policy.onStarted(aJob().id(99).user("bob").startedAt(clock.instant()).build(), clock.instant());

        assertThat(policy.penalty("ana", clock.instant())).isEqualTo(1.0);
        assertThat(policy.penalties(clock.instant())).containsEntry("bob", 0.0).containsEntry("ana", 1.0);
    }

    @Test
    void time_alone_does_not_decay_the_dopq_penalty() {
        finish("ana");
        clock.advance(Duration.ofDays(30));

        assertThat(policy.penalty("ana", clock.instant())).isEqualTo(1.0);
    }
}
