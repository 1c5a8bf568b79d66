package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Connects to the real engine the ways the server configuration allows. */
class DockerEngineIT {

    @Test
    void connects_to_an_explicit_unix_socket() throws IOException {
        try (DockerClient client = DockerEngine.connect(DockerEngine.DEFAULT_HOST)) {
            assertThat(client.versionCmd().exec().getApiVersion()).isNotBlank();
        }
    }

    @Test
    void a_blank_host_means_the_environment_or_the_default_socket() throws IOException {
        try (DockerClient client = DockerEngine.connect("  ")) {
            assertThat(client.infoCmd().exec().getServerVersion()).isNotBlank();
        }
    }

    @Test
    void the_nvidia_runtime_is_reported_as_docker_info_lists_it() throws IOException, InterruptedException {
        Process info = new ProcessBuilder("docker", "info", "--format", "{{json .Runtimes}}").start();
        String runtimes = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(info.waitFor()).isZero();

        try (DockerClient client = DockerEngine.connect(null)) {
            assertThat(DockerEngine.hasNvidiaRuntime(client)).isEqualTo(runtimes.contains("\"nvidia\""));
        }
    }
}
