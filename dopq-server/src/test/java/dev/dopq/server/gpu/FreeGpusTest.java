package dev.dopq.server.gpu;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FreeGpusTest {

    @Test
    void gpus_held_by_our_jobs_or_busy_with_foreign_processes_are_not_free() {
        GpuDevice foreign = new GpuDevice("2", "GPU-2", "A100", true, 90, 1, 2, 60);
        List<GpuDevice> devices = List.of(GpuDevice.declared("0"), GpuDevice.declared("1"), foreign,
                GpuDevice.declared("3"));

        assertThat(FreeGpus.of(devices, List.of("1"))).containsExactly("0", "3");
    }

    @Test
    void free_gpus_come_lowest_id_first_by_number() {
        List<GpuDevice> devices = List.of(GpuDevice.declared("10"), GpuDevice.declared("2"), GpuDevice.declared("1"));

        assertThat(FreeGpus.of(devices, List.of())).containsExactly("1", "2", "10");
    }
}
