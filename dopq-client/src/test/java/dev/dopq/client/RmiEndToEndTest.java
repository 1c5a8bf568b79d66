package dev.dopq.client;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.api.SystemStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** The client against a real RMI registry in this JVM, with the API's deserialization allow-list on. */
class RmiEndToEndTest {
    private static final String TOKEN = "ana.good-secret";

    /** Thrown by a misbehaving server; its class is outside the allow-list, so the client must not read it. */
    static final class SneakyException extends ApiException {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        SneakyException() {
            super("sneaky");
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            deserialized = true;
            in.defaultReadObject();
        }
    }

    static final class Login implements DopqLogin {
        private final DopqSession session;

        Login(DopqSession session) {
            this.session = session;
        }

        @Override
        public DopqSession login(String user, String token) throws PermissionDeniedException {
            if (!user.equals("ana") || !token.equals(TOKEN)) {
                throw new PermissionDeniedException("unknown user or wrong token");
            }
            return session;
        }

        @Override
        public DopqSession anonymous() throws PermissionDeniedException {
            throw new PermissionDeniedException("anonymous reading is switched off on this server");
        }
    }

    private final FakeSession session = new FakeSession() {
        @Override
        public SystemStatus status() throws ApiException {
            if (failStatus) {
                throw new SneakyException();
            }
            return super.status();
        }
    };
    private boolean failStatus;
    private Registry registry;
    private Login login;
    private int port;

    @BeforeAll
    static void filterOn() {
        Connection.installSerialFilter();
        assertThat(ObjectInputFilter.Config.getSerialFilter()).isNotNull();
    }

    @BeforeEach
    void serve() throws Exception {
        port = ExitCodesTest.closedPort();
        registry = LocateRegistry.createRegistry(port);
        login = new Login(session);
        UnicastRemoteObject.exportObject(session, 0);
        registry.rebind(DopqLogin.BINDING, UnicastRemoteObject.exportObject(login, 0));
    }

    @AfterEach
    void stop() throws Exception {
        UnicastRemoteObject.unexportObject(login, true);
        UnicastRemoteObject.unexportObject(session, true);
        UnicastRemoteObject.unexportObject(registry, true);
    }

    private CliRun.Result run(Map<String, String> env, String... args) {
        return CliRun.run(new Connection(), new Environment(env, Path.of("/nonexistent")), args);
    }

    @Test
    void status_json_comes_through_rmi_as_from_the_session() {
        CliRun.Result result = run(Map.of("DOPQ_TOKEN", TOKEN, "DOPQ_PORT", String.valueOf(port)), "status", "--json");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        result.matchesGolden("status.json");
    }

    @Test
    void job_detail_with_events_comes_through_rmi() {
        CliRun.Result result = run(Map.of("DOPQ_TOKEN", TOKEN), "job", "43", "--json", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        result.matchesGolden("job.json");
    }

    @Test
    void a_wrong_token_exits_with_permission_denied() {
        CliRun.Result result = run(Map.of("DOPQ_TOKEN", "ana.wrong"), "queue", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertThat(result.err()).isEqualTo("dopq: unknown user or wrong token\n");
    }

    @Test
    void without_a_token_the_client_asks_for_an_anonymous_session() {
        CliRun.Result result = run(Map.of(), "queue", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertThat(result.err()).contains("anonymous reading is switched off");
    }

    @Test
    void api_exceptions_cross_rmi_with_their_exit_code() {
        CliRun.Result result = run(Map.of("DOPQ_TOKEN", TOKEN), "job", "999", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).isEqualTo("dopq: no job 999\n");
    }

    @Test
    void a_class_outside_the_allow_list_is_refused_before_it_is_read() {
        failStatus = true;

        CliRun.Result result = run(Map.of("DOPQ_TOKEN", TOKEN), "status", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OTHER);
        assertThat(result.err()).startsWith("dopq: the server sent data this client refuses to read");
        assertThat(SneakyException.deserialized).isFalse();
    }
}
