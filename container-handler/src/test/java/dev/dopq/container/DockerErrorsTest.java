package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {

    @Test
    void a_refused_connection_means_the_engine_is_unavailable() {
        RuntimeException e = new RuntimeException(new ConnectException("Connection refused"));

        ContainerRuntimeException result = DockerErrors.of("cannot start container c1", e);

        assertThat(result).isInstanceOf(EngineUnavailableException.class);
        assertThat(result.getMessage()).isEqualTo("cannot start container c1: the engine did not answer (Connection refused)");
    }

    @Test
    void a_connection_cut_while_the_request_was_sent_means_the_engine_is_unavailable() {
        RuntimeException e = new RuntimeException(new SocketException("Broken pipe"));

        assertThat(DockerErrors.of("cannot create container x", e)).isInstanceOf(EngineUnavailableException.class);
    }

    @Test
    void an_engine_that_did_not_respond_is_unavailable() {
        RuntimeException e = new RuntimeException(new IOException("localhost:2375 failed to respond"));

        assertThat(DockerErrors.of("cannot create container x", e)).isInstanceOf(EngineUnavailableException.class);
    }

    @Test
    void a_networking_error_of_an_engine_that_is_still_recovering_is_unavailable() {
        InternalServerErrorException e = new InternalServerErrorException("Status 500: {\"message\":\"failed to create "
                + "endpoint dopq-1 on network bridge: libnetwork: endpoint with name dopq-1 already exists\"}\n");

        assertThat(DockerErrors.of("cannot start container c1", e)).isInstanceOf(EngineUnavailableException.class);
    }

    @Test
    void a_server_error_that_is_a_lasting_refusal_is_not_unavailable() {
        InternalServerErrorException e = new InternalServerErrorException(
                "Status 500: {\"message\":\"could not select device driver \\\"nvidia\\\" with capabilities: [[gpu]]\"}\n");

        ContainerRuntimeException result = DockerErrors.of("cannot start container c1", e);

        assertThat(result).isNotInstanceOf(EngineUnavailableException.class);
        assertThat(result.getMessage())
                .isEqualTo("cannot start container c1: could not select device driver \"nvidia\" with capabilities: [[gpu]]");
    }

    @Test
    void a_missing_image_or_a_bad_request_is_never_unavailable_even_if_it_mentions_a_connection() {
        assertThat(DockerErrors.of("x", new NotFoundException("Status 404: {\"message\":\"No such image: a:b\"}")))
                .isNotInstanceOf(EngineUnavailableException.class);
        assertThat(DockerErrors.of("x", new BadRequestException("Status 400: {\"message\":\"connection refused\"}")))
                .isNotInstanceOf(EngineUnavailableException.class);
    }
}
