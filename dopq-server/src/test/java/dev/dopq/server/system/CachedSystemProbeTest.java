package dev.dopq.server.system;

import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CachedSystemProbeTest {

    /** Counts its readings: each reading answers one more than the last. */
    private static final class CountingProbe implements SystemProbe {
        int readings;

        @Override
        public double cpuLoad() {
            return ++readings;
        }

        @Override
        public long memoryTotal() {
            return 1000;
        }

        @Override
        public long memoryAvailable() {
            return ++readings;
        }

        @Override
        public long diskFree(Path path) {
            return ++readings;
        }

        @Override
        public long diskTotal(Path path) {
            return ++readings;
        }
    }

    @Test
    void figures_are_read_again_only_once_they_are_as_old_as_allowed() {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        CountingProbe probe = new CountingProbe();
        CachedSystemProbe cached = new CachedSystemProbe(probe, clock, Duration.ofMillis(500));

        double load = cached.cpuLoad();
        long free = cached.diskFree(Path.of("/a"));
        clock.advance(Duration.ofMillis(499));
        assertThat(cached.cpuLoad()).isEqualTo(load);
        assertThat(cached.diskFree(Path.of("/a"))).isEqualTo(free);
        assertThat(cached.diskFree(Path.of("/b"))).isNotEqualTo(free);
        assertThat(probe.readings).isEqualTo(3);

        clock.advance(Duration.ofMillis(1));
        assertThat(cached.cpuLoad()).isGreaterThan(load);
        assertThat(probe.readings).isEqualTo(4);
    }
}
