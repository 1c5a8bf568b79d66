package dev.dopq.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WaitReasonKindTest {
    @Test
    void each_wording_of_the_schedulers_reasons_maps_to_one_kind() {
        assertThat(StateGauges.kind("queue is locked (position 2 of 5)")).isEqualTo("locked");
        assertThat(StateGauges.kind("needs 8 GPUs but this machine has 4")).isEqualTo("impossible");
        assertThat(StateGauges.kind("waits behind job 12 (bob, penalty 0.37 < yours 1.20)")).isEqualTo("behind");
        assertThat(StateGauges.kind("needs 2 GPUs, 1 free")).isEqualTo("gpus");
        assertThat(StateGauges.kind("GPUs 0,1 held for job 7")).isEqualTo("held");
        assertThat(StateGauges.kind("position 3 of 9")).isEqualTo("position");
        assertThat(StateGauges.kind("something new")).isEqualTo("other");
    }
}
