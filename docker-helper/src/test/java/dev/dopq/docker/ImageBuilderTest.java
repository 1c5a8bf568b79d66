package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.DockerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {

    @TempDir
    Path work;

    @Test
    void the_reason_of_an_engine_error_is_its_last_non_blank_line() {
        assertThat(ImageBuilder.lastLine("Step 3/3 : RUN exit 3\n ---> Running\n"
                + "The command '/bin/sh -c exit 3' returned a non-zero code: 3\n\n"))
                .isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(ImageBuilder.lastLine(null)).isEqualTo("unknown error");
        assertThat(ImageBuilder.lastLine(" \n ")).isEqualTo("unknown error");
    }

    @Test
    void an_http_error_of_the_engine_is_reduced_to_the_message_it_carries() {
        DockerException error = new DockerException(
                "Status 500: {\"message\":\"Error processing tar file(exit status 1): unexpected \\\"EOF\\\"\"}\n", 500);

        assertThat(ImageBuilder.engineMessage(error))
                .isEqualTo("Error processing tar file(exit status 1): unexpected \"EOF\"");
    }

    @Test
    void a_context_without_a_dockerfile_fails_without_touching_the_engine() throws Exception {
        Files.writeString(work.resolve("container_config.json"), "{}");

        // no client at all: reaching the engine would fail with a NullPointerException instead
        assertThatThrownBy(() -> new ImageBuilder(null).build(work, "t:latest", Map.of(), work.resolve("b.log")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("no Dockerfile in the zip");
    }
}
