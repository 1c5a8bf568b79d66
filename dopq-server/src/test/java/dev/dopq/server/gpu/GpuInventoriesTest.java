package dev.dopq.server.gpu;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class GpuInventoriesTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(GpuInventories.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final AtomicInteger nvmlOpens = new AtomicInteger();
    private final Supplier<GpuInventory> countingNvml = () -> {
        nvmlOpens.incrementAndGet();
        return new NvmlGpuInventory(() -> new FakeNvml().gpu("GPU-1", "Fake GPU"), true, pid -> false).open();
    };

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void auto_mode_on_a_machine_without_nvml_runs_with_no_gpus_and_says_so_in_one_line() {
        assumeFalse(Files.exists(Path.of("/proc/driver/nvidia")), "this machine has an NVIDIA driver");

        GpuInventory inventory = GpuInventories.create("auto", List.of(), true, pid -> false);

        assertThat(inventory).isInstanceOf(NoGpuInventory.class);
        assertThat(inventory.devices()).isEmpty();
        assertThat(messages()).hasSize(1).first().asString()
                .startsWith("NVML not available (")
                .endsWith("): running with no GPUs; set [gpu] devices to a list to declare GPUs")
                .doesNotContain("\n");
    }

    @Test
    void auto_mode_uses_nvml_when_it_opens() {
        GpuInventory inventory = GpuInventories.create("AUTO", List.of(), countingNvml);

        assertThat(inventory.devices()).extracting(GpuDevice::uuid).containsExactly("GPU-1");
        assertThat(nvmlOpens).hasValue(1);
    }

    @Test
    void auto_mode_falls_back_to_no_gpus_when_nvml_fails_to_initialise() {
        GpuInventory inventory = GpuInventories.create("auto", List.of(), () -> {
            throw new NvmlException("nvmlInit_v2", 9, "Driver Not Loaded");
        });

        assertThat(inventory.devices()).isEmpty();
        assertThat(messages()).containsExactly("NVML not available (nvmlInit_v2 failed: Driver Not Loaded "
                + "(NVML code 9)): running with no GPUs; set [gpu] devices to a list to declare GPUs");
    }

    @Test
    void none_and_declared_modes_never_touch_nvml() {
        GpuInventory none = GpuInventories.create("none", List.of("0"), countingNvml);
        GpuInventory declared = GpuInventories.create("declared", List.of("0", "1", "3"), countingNvml);

        assertThat(nvmlOpens).hasValue(0);
        assertThat(none.devices()).isEmpty();
        assertThat(declared.devices()).extracting(GpuDevice::id).containsExactly("0", "1", "3");
        assertThat(declared.devices()).noneMatch(GpuDevice::foreignBusy);
        assertThat(declared.describe()).isEqualTo("declared GPUs 0,1,3");
    }

    @Test
    void declared_gpus_carry_their_declared_memory_and_the_others_none() {
        GpuInventory declared = GpuInventories.create("declared", List.of("0", "1"),
                java.util.Map.of("0", 24L << 30), countingNvml);

        assertThat(declared.devices()).extracting(GpuDevice::memoryTotal).containsExactly(24L << 30, -1L);
        assertThat(declared.devices()).extracting(GpuDevice::memoryForJobs).containsExactly(24L << 30, 0L);
    }

    @Test
    void a_declared_list_with_a_duplicate_is_refused() {
        assertThatThrownBy(() -> new DeclaredGpuInventory(List.of("0", "1", "0")))
                .hasMessageContaining("GPU 0 is declared twice");
    }

    @Test
    void an_unknown_mode_is_refused_with_the_allowed_ones() {
        assertThatThrownBy(() -> GpuInventories.create("nvidia", List.of(), countingNvml))
                .hasMessage("GPU mode \"nvidia\" is unknown; use auto, none or declared");
    }
}
