package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What create and start report when the engine stops answering (its connection goes, as on a restart). */
class EngineUnavailableIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String IMAGE = "dopq-ch-it-unavailable-" + RUN + ":latest";

    private DockerClient direct;
    private DockerClient proxied;
    private EngineProxy proxy;
    private String created;

    @BeforeEach
    void setUp() throws IOException {
        direct = TestDocker.client();
        TestDocker.buildBusybox(direct, IMAGE);
        proxy = new EngineProxy(Path.of("/var/run/docker.sock"));
        proxied = TestDocker.client(proxy.dockerHost());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (created != null) {
            new DockerContainerRuntime(direct).remove(created);
        }
        proxied.close();
        proxy.close();
        direct.removeImageCmd(IMAGE).withForce(true).exec();
        direct.close();
    }

    @Test
    void a_start_on_an_engine_that_no_longer_answers_says_the_engine_is_unavailable() throws IOException {
        ContainerRuntime runtime = new DockerContainerRuntime(proxied);
        created = runtime.create(ContainerSpec.of("dopq-ch-it-unavailable-" + RUN, IMAGE)
                .withCommand(List.of("true")).withLabels(Map.of(TestDocker.TEST_LABEL, TestDocker.TEST_LABEL_VALUE)));

        proxy.close();

        assertThatThrownBy(() -> runtime.start(created)).isInstanceOf(EngineUnavailableException.class)
                .hasMessageStartingWith("cannot start container " + created + ": the engine did not answer");
        assertThat(runtime.ping()).isFalse();
    }

    @Test
    void a_create_on_an_engine_that_no_longer_answers_says_the_engine_is_unavailable() throws IOException {
        ContainerRuntime runtime = new DockerContainerRuntime(proxied);
        proxy.close();

        assertThatThrownBy(() -> runtime.create(ContainerSpec.of("dopq-ch-it-unavailable-2-" + RUN, IMAGE)))
                .isInstanceOf(EngineUnavailableException.class);
    }

    @Test
    void a_missing_image_is_a_refusal_not_an_unavailable_engine() {
        ContainerRuntime runtime = new DockerContainerRuntime(proxied);

        assertThatThrownBy(() -> runtime.create(ContainerSpec.of("dopq-ch-it-unavailable-3-" + RUN,
                "dopq-ch-it-no-such-image-" + RUN + ":latest")))
                .isInstanceOf(ContainerRuntimeException.class)
                .isNotInstanceOf(EngineUnavailableException.class);
    }
}
