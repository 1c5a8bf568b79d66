package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerRunArgsTest {

    private static final ContainerSpec PLAIN = ContainerSpec.of("dopq-a-1-1", "sha256:abc");

    @Test
    void every_run_gets_its_name_an_init_and_no_new_privileges_and_never_privileged() {
        List<String> args = DockerRunArgs.options(PLAIN);

        assertThat(args).containsSequence("--name", "dopq-a-1-1").contains("--init")
                .containsSequence("--security-opt", "no-new-privileges").containsSequence("--cap-drop", "ALL")
                .doesNotContain("--privileged", "--cap-add", "--device");
    }

    @Test
    void labels_limits_mounts_and_network_are_those_of_the_create_mapping() {
        ContainerSpec spec = PLAIN.withLabels(Map.of("dopq.job", "7"))
                .withLimits(1_073_741_824L, 1.5, 67_108_864L)
                .withMounts(List.of(new Mount("/data", "/data", true)));
        spec = new ContainerSpec(spec.name(), spec.image(), null, null, Map.of(), null, "1000:1000", spec.labels(),
                spec.memoryBytes(), spec.cpus(), spec.shmBytes(), List.of(), false, spec.mounts(), "labnet", false, 4096);

        List<String> args = DockerRunArgs.options(spec);

        assertThat(args).containsSequence("--label", "dopq.job=7")
                .containsSequence("--memory", "1073741824", "--memory-swap", "1073741824")
                .containsSequence("--cpus", "1.5").containsSequence("--shm-size", "67108864")
                .containsSequence("--mount", "type=bind,source=/data,target=/data,readonly")
                .containsSequence("--network", "labnet").containsSequence("--user", "1000:1000")
                .containsSequence("--pids-limit", "4096");
    }

    @Test
    void visible_devices_in_the_job_environment_are_dropped_since_the_node_sets_them() {
        List<String> args = DockerRunArgs.options(PLAIN.withEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "all", "A", "b")));

        assertThat(args).containsSequence("--env", "A=b").noneMatch(a -> a.startsWith("NVIDIA_VISIBLE_DEVICES"));
    }

    @Test
    void a_long_entrypoint_puts_its_first_word_in_the_option_and_the_rest_before_the_command() {
        ContainerSpec spec = new ContainerSpec("n", "img", List.of("run.sh", "x"), List.of("/bin/sh", "-c"), Map.of(),
                null, null, Map.of(), 0, 0, 0, List.of(), false, List.of(), null, false, 0);

        assertThat(DockerRunArgs.options(spec)).containsSequence("--entrypoint", "/bin/sh");
        assertThat(DockerRunArgs.imageAndCommand(spec)).containsExactly("img", "-c", "run.sh", "x");
    }
}
