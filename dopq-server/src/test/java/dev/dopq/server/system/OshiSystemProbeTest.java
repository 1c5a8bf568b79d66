package dev.dopq.server.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oshi.hardware.CentralProcessor.TickType;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OshiSystemProbeTest {
    private final SystemProbe probe = new OshiSystemProbe();

    @Test
    void cpu_load_is_a_fraction_on_every_call() {
        for (int i = 0; i < 3; i++) {
            assertThat(probe.cpuLoad()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void memory_figures_are_those_of_a_real_machine() {
        assertThat(probe.memoryTotal()).isGreaterThan(64L << 20);
        assertThat(probe.memoryAvailable()).isPositive().isLessThanOrEqualTo(probe.memoryTotal());
    }

    @Test
    void disk_figures_come_from_the_file_system_of_the_path(@TempDir Path dir) {
        assertThat(probe.diskTotal(dir)).isPositive();
        assertThat(probe.diskFree(dir)).isPositive().isLessThanOrEqualTo(probe.diskTotal(dir));
    }

    @Test
    void a_path_not_created_yet_is_measured_on_its_nearest_existing_parent(@TempDir Path dir) {
        Path future = dir.resolve("state/not/yet");

        assertThat(probe.diskTotal(future)).isEqualTo(probe.diskTotal(dir));
    }

    @Test
    void the_load_between_two_tick_readings_counts_idle_and_iowait_as_idle() {
        long[] before = new long[TickType.values().length];
        long[] after = new long[TickType.values().length];
        after[TickType.USER.getIndex()] = 100;
        after[TickType.SYSTEM.getIndex()] = 50;
        after[TickType.IDLE.getIndex()] = 40;
        after[TickType.IOWAIT.getIndex()] = 10;

        // busy 150 of 200 ticks
        assertThat(OshiSystemProbe.busyFraction(before, after)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void no_ticks_passed_means_no_new_measurement() {
        long[] same = {5, 5, 5, 5, 5, 5, 5, 5};

        assertThat(OshiSystemProbe.busyFraction(same, same)).isEqualTo(-1);
    }
}
