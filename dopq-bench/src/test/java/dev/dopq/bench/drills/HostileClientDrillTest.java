package dev.dopq.bench.drills;

import dev.dopq.api.PermissionDeniedException;
import org.junit.jupiter.api.Test;

import java.io.NotSerializableException;
import java.rmi.MarshalException;
import java.rmi.ServerException;
import java.rmi.UnmarshalException;

import static org.assertj.core.api.Assertions.assertThat;

/** Only what the server did counts as refused; a failure on the client's own side is counted apart. */
class HostileClientDrillTest {

    @Test
    void a_typed_api_error_and_an_error_raised_by_the_server_are_refusals() {
        assertThat(HostileClientDrill.outcome(() -> {
            throw new PermissionDeniedException("no");
        }).verdict()).isEqualTo(HostileClientDrill.Verdict.REFUSED);
        assertThat(HostileClientDrill.outcome(() -> {
            throw new ServerException("filter", new UnmarshalException("REJECTED"));
        }).verdict()).isEqualTo(HostileClientDrill.Verdict.REFUSED);
    }

    @Test
    void a_call_the_client_could_not_send_or_a_local_error_is_not_a_refusal() {
        assertThat(HostileClientDrill.outcome(() -> {
            throw new MarshalException("error marshalling arguments", new NotSerializableException("X"));
        }).verdict()).isEqualTo(HostileClientDrill.Verdict.CLIENT_FAILED);
        assertThat(HostileClientDrill.outcome(() -> {
            throw new IllegalArgumentException("built a bad attack");
        }).verdict()).isEqualTo(HostileClientDrill.Verdict.CLIENT_FAILED);
        assertThat(HostileClientDrill.outcome(() -> {
        }).verdict()).isEqualTo(HostileClientDrill.Verdict.ACCEPTED);
    }
}
