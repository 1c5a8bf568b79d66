package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerCreateMappingTest {

    private static final ContainerSpec PLAIN = ContainerSpec.of("dopq-job-1", "busybox");

    @Test
    void every_container_gets_an_init_and_no_privileges() {
        HostConfig host = DockerCreateMapping.hostConfig(PLAIN);

        assertThat(host.getInit()).isTrue();
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(host.getCapDrop()).containsExactly(com.github.dockerjava.api.model.Capability.ALL);
        assertThat(host.getCapAdd()).isNull();
        assertThat(host.getPidsLimit()).isNull();
        assertThat(host.getDeviceRequests()).isNull();
        assertThat(host.getMemory()).isNull();
        assertThat(host.getNetworkMode()).isNull();
    }

    @Test
    void a_pids_limit_is_passed_on() {
        assertThat(DockerCreateMapping.hostConfig(PLAIN.withPidsLimit(4096)).getPidsLimit()).isEqualTo(4096L);
    }

    @Test
    void gpus_become_one_nvidia_device_request_for_exactly_those_gpus_when_asked() {
        HostConfig host = DockerCreateMapping.hostConfig(PLAIN.withGpus(List.of("GPU-aaa", "GPU-bbb"), true));

        DeviceRequest request = host.getDeviceRequests().get(0);
        assertThat(host.getDeviceRequests()).hasSize(1);
        assertThat(request.getDriver()).isEqualTo("nvidia");
        assertThat(request.getDeviceIds()).containsExactly("GPU-aaa", "GPU-bbb");
        assertThat(request.getCapabilities()).containsExactly(List.of("gpu"));
    }

    @Test
    void gpus_without_the_nvidia_runtime_get_no_device_request() {
        assertThat(DockerCreateMapping.hostConfig(PLAIN.withGpus(List.of("0"), false)).getDeviceRequests()).isNull();
        assertThat(DockerCreateMapping.hostConfig(PLAIN.withGpus(List.of(), true)).getDeviceRequests()).isNull();
    }

    @Test
    void limits_become_memory_without_extra_swap_nano_cpus_and_shm() {
        HostConfig host = DockerCreateMapping.hostConfig(PLAIN.withLimits(1L << 30, 1.5, 64L << 20));

        assertThat(host.getMemory()).isEqualTo(1L << 30);
        assertThat(host.getMemorySwap()).isEqualTo(1L << 30);
        assertThat(host.getNanoCPUs()).isEqualTo(1_500_000_000L);
        assertThat(host.getShmSize()).isEqualTo(64L << 20);
    }

    @Test
    void admin_mounts_are_bind_mounts() {
        HostConfig host = DockerCreateMapping.hostConfig(PLAIN.withMounts(List.of(new Mount("/data", "/data", true))));

        com.github.dockerjava.api.model.Mount mount = host.getMounts().get(0);
        assertThat(mount.getSource()).isEqualTo("/data");
        assertThat(mount.getTarget()).isEqualTo("/data");
        assertThat(mount.getReadOnly()).isTrue();
    }

    @Test
    void visible_gpus_are_the_held_ones_or_void_whatever_the_environment_says() {
        ContainerSpec spec = PLAIN.withEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "all", "A", "1"));

        assertThat(DockerCreateMapping.env(spec)).containsExactly("A=1", "NVIDIA_VISIBLE_DEVICES=void");
        assertThat(DockerCreateMapping.env(spec.withGpus(List.of("0", "2"), false)))
                .containsExactly("A=1", "NVIDIA_VISIBLE_DEVICES=0,2");
    }
}
