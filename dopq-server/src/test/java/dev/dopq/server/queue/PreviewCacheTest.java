package dev.dopq.server.queue;

import dev.dopq.server.core.Decision;
import dev.dopq.server.gpu.GpuDevice;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
    private final PreviewCache cache = new PreviewCache();
    private final AtomicInteger computed = new AtomicInteger();
    private final Supplier<Decision> compute = () -> {
        computed.incrementAndGet();
        return new Decision(List.of(), List.of(), Map.of(), Map.of());
    };

    private static PreviewCache.Inputs inputs(long changes, boolean locked, List<GpuDevice> devices) {
        return new PreviewCache.Inputs(changes, locked, devices);
    }

    @Test
    void the_same_inputs_within_a_second_are_served_the_decision_already_computed() {
        Decision first = cache.get(inputs(5, false, List.of()), T0, compute);
        Decision again = cache.get(inputs(5, false, List.of()), T0.plusMillis(999), compute);

        assertThat(again).isSameAs(first);
        assertThat(computed).hasValue(1);
    }

    @Test
    void a_change_of_the_jobs_the_lock_or_the_gpus_computes_the_decision_again() {
        cache.get(inputs(5, false, List.of()), T0, compute);

        cache.get(inputs(6, false, List.of()), T0, compute);
        cache.get(inputs(6, true, List.of()), T0, compute);
        cache.get(inputs(6, true, List.of(GpuDevice.declared("0"))), T0, compute);

        assertThat(computed).hasValue(4);
    }

    @Test
    void a_decision_a_second_old_is_computed_again_because_penalties_drift_with_time() {
        cache.get(inputs(5, false, List.of()), T0, compute);

        cache.get(inputs(5, false, List.of()), T0.plus(PreviewCache.MAX_AGE), compute);

        assertThat(computed).hasValue(2);
    }

    @Test
    void a_clock_that_went_back_does_not_keep_serving_an_old_decision() {
        cache.get(inputs(5, false, List.of()), T0, compute);

        cache.get(inputs(5, false, List.of()), T0.minusSeconds(30), compute);

        assertThat(computed).hasValue(2);
    }

    @Test
    void a_caller_that_read_its_inputs_before_waiting_is_served_what_another_caller_computed_meanwhile() {
        Decision newer = cache.get(inputs(7, false, List.of()), T0, compute);

        Decision served = cache.get(inputs(6, false, List.of()), T0.minusMillis(200), compute);

        assertThat(served).isSameAs(newer);
        assertThat(computed).hasValue(1);
    }
}
