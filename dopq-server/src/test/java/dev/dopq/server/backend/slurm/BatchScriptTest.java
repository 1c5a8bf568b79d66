package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerSpec;
import dev.dopq.container.Mount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BatchScriptTest {
    private static final ContainerSpec SPEC = new ContainerSpec("dopq-abc-7-1", "sha256:f00", List.of("sh", "-c",
            "echo 'it''s' $HOME"), null, Map.of("A", "b c"), null, "1000:1000",
            Map.of("dopq.job", "7", "dopq.gpus", "n1:0", "dopq.instance", "abc"), 1 << 30, 2, 0, List.of("n1:0"),
            false, List.of(new Mount("/data", "/data", true)), null, false, 4096);

    @TempDir
    Path dir;

    private String script(ContainerSpec spec) {
        return BatchScript.of(spec, 7, "abc", dir.resolve("runs/x"), dir.resolve("images/i.tar"),
                dir.resolve("engines"), null, Duration.ofSeconds(5), "auto");
    }

    @Test
    void the_script_is_valid_bash() throws Exception {
        Path file = dir.resolve("job.sh");
        Files.writeString(file, script(SPEC));

        Process p = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);

        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void the_container_gets_the_local_backends_limits_and_labels_and_the_nodes_own_gpus() {
        String s = script(SPEC);

        assertThat(s).contains("'--init'", "'--security-opt' 'no-new-privileges'", "'--memory' '1073741824'",
                "'--label' 'dopq.job=7'", "'--user' '1000:1000'",
                "'--mount' 'type=bind,source=/data,target=/data,readonly'", "'--cap-drop' 'ALL'", "'--pids-limit' '4096'")
                .contains("--env NVIDIA_VISIBLE_DEVICES=\"$visible\"", "--label dopq.gpus=\"$gpus\"")
                .contains("gpus=${SLURM_JOB_GPUS:-${CUDA_VISIBLE_DEVICES:-}}")
                .doesNotContain("dopq.gpus=n1:0", "--privileged");
    }

    @Test
    void gpu_device_requests_are_decided_on_the_node_from_its_own_engine() {
        assertThat(script(SPEC)).contains("nvidia='auto'").contains("grep -qi 'Runtimes:.*nvidia'")
                .contains("gpuopt=(--gpus \"device=$visible\")");
    }

    @Test
    void a_term_stops_the_container_within_the_grace() {
        assertThat(script(SPEC)).contains("trap term TERM INT").contains("docker stop -t 5 \"$NAME\"");
    }

    @Test
    void every_word_of_the_command_is_quoted_whatever_it_holds() {
        assertThat(BatchScript.q("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
        assertThat(script(SPEC)).contains("'sha256:f00' 'sh' '-c' ");
    }
}
