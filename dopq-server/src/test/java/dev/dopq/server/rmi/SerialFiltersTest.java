package dev.dopq.server.rmi;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.SerialFilters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.rmi.MarshalledObject;
import java.rmi.NoSuchObjectException;
import java.rmi.Remote;
import java.rmi.ServerException;
import java.rmi.UnmarshalException;
import java.rmi.server.UnicastRemoteObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each side's allow-list lets through what that side really receives, and nothing that acts on its own. */
class SerialFiltersTest {
    private final FakeLogin exported = new FakeLogin();

    @BeforeEach
    void lowerTheFlag() {
        Gadget.deserialized = false;
    }

    @AfterEach
    void unexport() throws Exception {
        try {
            UnicastRemoteObject.unexportObject(exported, true);
        } catch (NoSuchObjectException notExportedByThisTest) {
            // only some tests export it
        }
    }

    @Test
    void the_client_reads_session_stubs_plain_and_over_tls() throws Exception {
        Remote plain = UnicastRemoteObject.exportObject(exported, 0);

        assertThat(roundTrip(plain, clientFilter())).isInstanceOf(DopqLogin.class);
        assertThat(roundTrip(UnicastRemoteObject.toStub(exported), clientFilter())).isInstanceOf(DopqLogin.class);
    }

    @Test
    void the_client_reads_a_stub_that_carries_the_tls_socket_factory() throws Exception {
        FakeLogin tls = new FakeLogin();
        try {
            Remote stub = UnicastRemoteObject.exportObject(tls, 0, new SslRMIClientSocketFactory(), null);

            assertThat(roundTrip(stub, clientFilter())).isInstanceOf(DopqLogin.class);
        } finally {
            UnicastRemoteObject.unexportObject(tls, true);
        }
    }

    @Test
    void the_client_reads_results_in_every_list_shape_the_server_uses() throws Exception {
        JobView job = new JobView("1", "train", "ana", "RUNNING", List.of("0"), 1, 3, Instant.EPOCH, Instant.EPOCH,
                null, "a reason", 1, "local");

        assertThat(roundTrip(List.of(job), clientFilter())).isEqualTo(List.of(job));
        assertThat(roundTrip(List.of(job, job, job), clientFilter())).isEqualTo(List.of(job, job, job));
        assertThat(roundTrip(new ArrayList<>(List.of(job)), clientFilter())).isEqualTo(List.of(job));
        assertThat(roundTrip(List.of(job).stream().toList(), clientFilter())).isEqualTo(List.of(job));
    }

    @Test
    void the_client_reads_api_errors_and_the_rmi_errors_that_wrap_a_refusal() throws Exception {
        ServerException refused = new ServerException("RemoteException occurred in server thread",
                new UnmarshalException("error unmarshalling arguments",
                        new InvalidClassException("filter status: REJECTED")));

        Object read = roundTrip(refused, clientFilter());
        Object denied = roundTrip(new PermissionDeniedException("job 1 belongs to ana"), clientFilter());

        assertThat(read).isInstanceOf(ServerException.class);
        assertThat(((Throwable) read).getCause().getCause()).hasMessage("filter status: REJECTED");
        assertThat(denied).isInstanceOf(PermissionDeniedException.class).hasFieldOrPropertyWithValue("message",
                "job 1 belongs to ana");
    }

    @Test
    void no_side_runs_the_read_object_of_a_class_outside_its_list() throws Exception {
        for (ObjectInputFilter filter : List.of(clientFilter(), SerialFilters.argumentsFilter(), registryFilter())) {
            assertThatThrownBy(() -> roundTrip(new Gadget(), filter))
                    .isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
            assertThatThrownBy(() -> roundTrip(new MarshalledObject<>("x"), filter))
                    .isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
        }
        assertThat(Gadget.deserialized).isFalse();
    }

    @Test
    void the_client_refuses_a_gadget_hidden_in_a_proxy() {
        assertThatThrownBy(() -> roundTrip(Gadget.asRemoteProxy(), clientFilter()))
                .isInstanceOf(InvalidClassException.class);
        assertThat(Gadget.deserialized).isFalse();
    }

    @Test
    void the_server_reads_the_arguments_of_the_api() throws Exception {
        HistoryQuery query = new HistoryQuery("ana", Instant.EPOCH, 10, "42");

        assertThat(roundTrip(query, SerialFilters.argumentsFilter())).isEqualTo(query);
        assertThat(roundTrip(new byte[]{1, 2, 3}, SerialFilters.argumentsFilter())).isEqualTo(new byte[]{1, 2, 3});
        assertThat(roundTrip(Instant.EPOCH, SerialFilters.argumentsFilter())).isEqualTo(Instant.EPOCH);
    }

    @Test
    void the_server_reads_a_queue_query_but_no_record_or_error_that_only_results_carry() throws Exception {
        QueueQuery query = new QueueQuery("ana", 100, 100);
        JobView job = new JobView("1", "train", "ana", "RUNNING", List.of("0"), 1, 3, Instant.EPOCH, Instant.EPOCH,
                null, "a reason", 1, "local");

        assertThat(roundTrip(query, SerialFilters.argumentsFilter())).isEqualTo(query);
        assertThatThrownBy(() -> roundTrip(job, SerialFilters.argumentsFilter()))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
        assertThatThrownBy(() -> roundTrip(new PermissionDeniedException("no"), SerialFilters.argumentsFilter()))
                .isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
    }

    @Test
    void the_server_and_the_registry_refuse_remote_references() throws Exception {
        Remote stub = UnicastRemoteObject.exportObject(exported, 0);

        assertThatThrownBy(() -> roundTrip(stub, SerialFilters.argumentsFilter()))
                .isInstanceOf(InvalidClassException.class);
        assertThatThrownBy(() -> roundTrip(stub, registryFilter()))
                .isInstanceOf(InvalidClassException.class);
        assertThat(roundTrip("dopq", registryFilter())).isEqualTo("dopq");
    }

    private static ObjectInputFilter registryFilter() {
        return ObjectInputFilter.Config.createFilter(SerialFilters.REGISTRY);
    }

    /** The filter the console client installs: {@link SerialFilters#filter()} plus its proxy and array rule. */
    private static ObjectInputFilter clientFilter() {
        return SerialFilters.clientFilter();
    }

    private static Object roundTrip(Object value, ObjectInputFilter filter) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        }
    }

    /** A login object to export; never called. */
    private static final class FakeLogin implements DopqLogin {
        @Override
        public DopqSession login(String user, String token) {
            return null;
        }

        @Override
        public DopqSession anonymous() {
            return null;
        }
    }
}
