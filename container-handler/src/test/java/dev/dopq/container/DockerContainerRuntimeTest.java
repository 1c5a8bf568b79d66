package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;

class DockerContainerRuntimeTest {

    @Test
    void the_engines_message_is_taken_out_of_docker_javas_wrapping() {
        NotFoundException e = new NotFoundException("Status 404: {\"message\":\"No such image: nope:latest\"}\n");

        assertThat(DockerContainerRuntime.engineMessage(e)).isEqualTo("No such image: nope:latest");
    }

    @Test
    void quotes_inside_the_engines_message_are_kept() {
        InternalServerErrorException e = new InternalServerErrorException(
                "Status 500: {\"message\":\"could not select device driver \\\"nvidia\\\" with capabilities: [[gpu]]\"}\n");

        assertThat(DockerContainerRuntime.engineMessage(e))
                .isEqualTo("could not select device driver \"nvidia\" with capabilities: [[gpu]]");
    }

    @Test
    void a_message_without_wrapping_is_kept() {
        InternalServerErrorException e = new InternalServerErrorException("could not select device driver \"nvidia\"");

        assertThat(DockerContainerRuntime.engineMessage(e)).isEqualTo("could not select device driver \"nvidia\"");
    }
}
