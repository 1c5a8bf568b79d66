package dev.dopq.server.queue;

import org.junit.jupiter.api.Test;

import dev.dopq.server.testutil.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** Holding starts back while the engine is unavailable, without waiting on the queue thread. */
class EngineGateTest {
    private final FakeRuntime runtime = new FakeRuntime();
    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final EngineGate gate = new EngineGate(runtime, clock);

    @Test
    void starts_are_allowed_without_asking_the_engine_while_nothing_failed() {
        assertThat(gate.mayStart()).isTrue();
        assertThat(runtime.pings).isZero();
    }

    @Test
    void after_an_engine_failure_no_start_is_tried_before_the_back_off_passed() {
        gate.engineFailed();

        assertThat(gate.mayStart()).isFalse();
        assertThat(runtime.pings).isZero();
    }

    @Test
    void after_the_back_off_a_start_is_tried_once_the_engine_answers_a_ping() {
        gate.engineFailed();
        clock.advance(EngineGate.FIRST_BACKOFF);

        assertThat(gate.mayStart()).isTrue();
        assertThat(runtime.pings).isEqualTo(1);
    }

    @Test
    void an_engine_that_does_not_answer_the_ping_doubles_the_wait_up_to_the_cap() {
        runtime.answersPing = false;
        gate.engineFailed();
        clock.advance(EngineGate.FIRST_BACKOFF);

        assertThat(gate.mayStart()).isFalse();
        clock.advance(EngineGate.FIRST_BACKOFF);
        assertThat(gate.mayStart()).isFalse();
        assertThat(runtime.pings).isEqualTo(1);

        clock.advance(EngineGate.MAX_BACKOFF.multipliedBy(10));
        runtime.answersPing = true;
        assertThat(gate.mayStart()).isTrue();
    }

    @Test
    void a_successful_start_ends_the_back_off() {
        gate.engineFailed();
        gate.engineFailed();

        gate.started();

        assertThat(gate.mayStart()).isTrue();
        assertThat(runtime.pings).isZero();
    }
}
