package dev.dopq.server.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PenaltyPolicyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void the_configured_name_picks_the_policy() {
        PenaltyPolicy usage = PenaltyPolicy.named("Usage", Duration.ofHours(24), 0.1);
        PenaltyPolicy dopq = PenaltyPolicy.named("dopq", Duration.ofHours(24), 0.1);
        Job ranOneHour = aJob().id(1).user("ana").gpus(java.util.List.of("0")).startedAt(T0).build();

        usage.onFinished(ranOneHour, T0.plus(Duration.ofHours(1)));
        dopq.onFinished(ranOneHour, T0.plus(Duration.ofHours(1)));

        assertThat(usage.penalty("ana", T0.plus(Duration.ofHours(1)))).isGreaterThan(3000);
        assertThat(dopq.penalty("ana", T0.plus(Duration.ofHours(1)))).isEqualTo(1.0);
    }

    @Test
    void an_unknown_policy_name_is_refused_with_the_allowed_ones() {
        assertThatThrownBy(() -> PenaltyPolicy.named("fifo", Duration.ofHours(1), 1))
                .hasMessage("penalty \"fifo\" is unknown; use usage or dopq");
    }
}
