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

        assertThat(FreeGpus.of(devices, List.of("1"), true)).containsExactly("0", "3");
    }

    @Test
    void a_gpu_busy_with_a_foreign_process_is_free_when_foreign_use_is_not_respected() {
        GpuDevice foreign = new GpuDevice("2", "GPU-2", "A100", true, 90, 1, 2, 60);

        assertThat(FreeGpus.of(List.of(GpuDevice.declared("0"), foreign), List.of(), false))
                .containsExactly("0", "2");
    }

    @Test
    void ids_that_are_not_numbers_come_after_the_numbered_ones_in_text_order() {
        List<GpuDevice> devices = List.of(GpuDevice.declared("GPU-b"), GpuDevice.declared("GPU-a"),
                GpuDevice.declared("3"));

        assertThat(FreeGpus.of(devices, List.of(), true)).containsExactly("3", "GPU-a", "GPU-b");
    }

    @Test
    void free_gpus_come_lowest_id_first_by_number() {
        List<GpuDevice> devices = List.of(GpuDevice.declared("10"), GpuDevice.declared("2"), GpuDevice.declared("1"));

        assertThat(FreeGpus.of(devices, List.of(), true)).containsExactly("1", "2", "10");
    }
}
