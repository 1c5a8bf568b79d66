package dev.dopq.bench.drills;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** The hostile client drill against a server process, as {@code drills/hostile.sh} runs it. */
class HostileClientDrillIT {

    @Test
    void every_hostile_call_is_refused_and_the_server_keeps_serving() throws Exception {
        HostileClientDrill.Result result = new HostileClientDrill(DrillSetup.serverJar(),
                DrillSetup.freshDir("hostile")).run();

        assertSoftly(s -> {
            s.assertThat(result.accepted()).as("attacks accepted").isZero();
            s.assertThat(result.refused()).as("attacks refused").isEqualTo(result.attacks());
            s.assertThat(result.unanswered()).as("attacks after which the server did not answer").isZero();
            s.assertThat(result.serverAlive()).as("server process alive at the end").isTrue();
        });
        assertThat(result.attacks()).isEqualTo(24);
    }
}
