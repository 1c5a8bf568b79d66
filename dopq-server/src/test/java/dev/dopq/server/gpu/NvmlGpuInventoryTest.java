package dev.dopq.server.gpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvmlGpuInventoryTest {
    private final FakeNvml nvml = new FakeNvml()
            .gpu("GPU-aaaa", "NVIDIA A100")
            .gpu("GPU-bbbb", "NVIDIA A100", 4242L)
            .gpu("GPU-cccc", "NVIDIA A100", 100L, 101L);

    @Test
    void devices_carry_what_nvml_reports() {
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> nvml, true, pid -> false);

        assertThat(inventory.devices()).first().isEqualTo(
                new GpuDevice("0", "GPU-aaaa", "NVIDIA A100", false, 42, 1_000, 16_000, 55));
        assertThat(inventory.devices()).extracting(GpuDevice::id).containsExactly("0", "1", "2");
        assertThat(inventory.describe()).isEqualTo("NVML: 3 GPUs (NVIDIA A100)");
    }

    @Test
    void a_gpu_running_a_process_that_is_not_ours_is_foreign_busy() {
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> nvml, true, pid -> pid == 100 || pid == 101);

        assertThat(inventory.devices()).extracting(GpuDevice::foreignBusy).containsExactly(false, true, false);
    }

    @Test
    void memory_that_foreign_processes_use_is_taken_off_what_jobs_may_share() {
        nvml.processMemory.put(100L, 3_000L);
        nvml.processMemory.put(101L, 2_000L);
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> nvml, true, pid -> pid == 4242);

        assertThat(inventory.devices()).extracting(GpuDevice::memoryForeign).containsExactly(0L, 0L, 5_000L);
        assertThat(inventory.devices()).extracting(GpuDevice::memoryForJobs).containsExactly(16_000L, 16_000L,
                11_000L);
        assertThat(inventory.devices()).extracting(GpuDevice::foreignBusy).containsExactly(false, false, true);
    }

    @Test
    void a_foreign_process_nvml_gives_no_memory_for_makes_the_gpu_busy_without_shrinking_it() {
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> nvml, true, pid -> false);

        assertThat(inventory.devices().get(1).foreignBusy()).isTrue();
        assertThat(inventory.devices().get(1).memoryForJobs()).isEqualTo(16_000L);
    }

    @Test
    void foreign_processes_are_ignored_when_not_respected() {
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> nvml, false, pid -> false);

        assertThat(inventory.devices()).noneMatch(GpuDevice::foreignBusy);
        assertThat(inventory.devices()).allMatch(d -> d.memoryForJobs() == 16_000L);
    }

    @Test
    void the_library_is_loaded_only_when_first_used_and_initialised_once() {
        AtomicInteger loads = new AtomicInteger();
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> {
            loads.incrementAndGet();
            return nvml;
        }, true, pid -> false);
        assertThat(loads).hasValue(0);

        inventory.devices();
        inventory.devices();

        assertThat(loads).hasValue(1);
        assertThat(nvml.inits).isEqualTo(1);
    }

    @Test
    void a_failing_init_says_what_nvml_said() {
        nvml.initResult = 9;

        assertThatThrownBy(() -> new NvmlGpuInventory(() -> nvml, true, pid -> false).open())
                .isInstanceOf(NvmlException.class)
                .hasMessage("nvmlInit_v2 failed: Driver Not Loaded (NVML code 9)");
    }

    @Test
    void closing_shuts_nvml_down_once() {
        NvmlGpuInventory inventory = new NvmlGpuInventory(() -> nvml, true, pid -> false).open();

        inventory.close();
        inventory.close();

        assertThat(nvml.shutdowns).isEqualTo(1);
    }
}
