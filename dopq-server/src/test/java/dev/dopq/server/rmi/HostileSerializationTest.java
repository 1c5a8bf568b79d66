package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.PermissionDeniedException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.rmi.NotBoundException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RemoteObject;
import java.rmi.server.RemoteRef;
import java.rmi.server.UnicastRemoteObject;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile callers at the JRMP level: objects outside the allow-list sent as call arguments or registry bindings
 * are refused by the server's filter before their {@code readObject} runs; oversized strings are refused with
 * API errors; and the server keeps serving. No container runs, so the server runs on an engine in memory.
 */
class HostileSerializationTest {
    private static final String MB10 = "a".repeat(10 << 20);
    /** Long, but short enough to pass the sockets' per-call cap, so the API's own checks answer. */
    private static final String MB1 = "a".repeat(1 << 20);
    private static final String ID2000 = "1".repeat(2000);

    @TempDir
    static Path dir;
    static ApiTestServer server;
    static DopqSession admin;

    /** The same method names as the API with {@code Object} parameters, so RMI writes any object we pass. */
    interface Untyped extends Remote {
        Object history(Object query) throws RemoteException;

        Object clearHistory(Object before) throws RemoteException;

        Object login(Object user, Object token) throws RemoteException;
    }

    @BeforeAll
    static void start() throws Exception {
        server = ApiTestServer.startWithoutEngine(dir, Map.of());
        admin = server.admin();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void lowerTheFlag() {
        Gadget.deserialized = false;
    }

    @Test
    void a_gadget_sent_where_a_session_expects_a_query_is_rejected_by_the_filter() throws Exception {
        Throwable refused = callWithGadget(admin, "history", DopqSession.class.getMethod("history",
                HistoryQuery.class));

        assertRejectedByTheFilter(refused);
        assertThat(admin.status()).isNotNull();
    }

    @Test
    void a_gadget_sent_where_a_session_expects_an_instant_is_rejected_by_the_filter() throws Exception {
        Throwable refused = callWithGadget(admin, "clearHistory", DopqSession.class.getMethod("clearHistory",
                Instant.class));

        assertRejectedByTheFilter(refused);
        assertThat(admin.history(HistoryQuery.latest(10))).isNotNull();
    }

    @Test
    void a_gadget_sent_where_the_login_expects_a_string_is_never_deserialized() throws Exception {
        Throwable refused = callWithGadget(server.loginObject(), "login", DopqLogin.class.getMethod("login",
                String.class, String.class));

        // RMI reads String parameters strictly: the object is refused before any class is resolved
        assertThat(refused).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("Cannot cast an object to java.lang.String");
        assertThat(Gadget.deserialized).isFalse();
        assertThat(afterTheDroppedConnection(() -> server.admin().whoami())).isEqualTo("admin (admin)");
    }

    @FunctionalInterface
    private interface RemoteCall<T> {
        T call() throws Exception;
    }

    /**
     * The rest of the refused object is still unread on that connection, so the server drops it and the next
     * call that reuses it from the client's pool fails once; a new connection is served as usual.
     */
    private static <T> T afterTheDroppedConnection(RemoteCall<T> call) throws Exception {
        try {
            return call.call();
        } catch (RemoteException dropped) {
            return call.call();
        }
    }

    @Test
    void the_registry_refuses_to_bind_a_gadget_proxy() throws Exception {
        Registry registry = LocateRegistry.getRegistry("127.0.0.1", server.port());

        Throwable refused = catchThrowable(() -> registry.bind("evil", Gadget.asRemoteProxy()));

        assertRejectedByTheFilter(refused);
        assertThatThrownBy(() -> registry.lookup("evil")).isInstanceOf(NotBoundException.class);
    }

    @Test
    void the_registry_refuses_an_impostor_in_place_of_the_login() throws Exception {
        Registry registry = LocateRegistry.getRegistry("127.0.0.1", server.port());
        Impostor impostor = new Impostor();
        try {
            Remote stub = UnicastRemoteObject.exportObject(impostor, 0);

            Throwable refused = catchThrowable(() -> registry.rebind(DopqLogin.BINDING, stub));

            assertThat(rootCause(refused)).isInstanceOf(InvalidClassException.class)
                    .hasMessageContaining("REJECTED");
            assertThat(server.admin().whoami()).isEqualTo("admin (admin)");
            assertThat(impostor.tokensSeen).isZero();
        } finally {
            UnicastRemoteObject.unexportObject(impostor, true);
        }
    }

    @Test
    void a_login_entry_removed_from_the_registry_comes_back() throws Exception {
        Registry registry = LocateRegistry.getRegistry("127.0.0.1", server.port());

        registry.unbind(DopqLogin.BINDING);

        Instant deadline = Instant.now().plus(RmiServer.BINDING_CHECK.multipliedBy(6));
        Remote back = null;
        while (back == null && Instant.now().isBefore(deadline)) {
            try {
                back = registry.lookup(DopqLogin.BINDING);
            } catch (NotBoundException notYet) {
                Thread.sleep(200);
            }
        }
        assertThat(back).as("login entry within %s", RmiServer.BINDING_CHECK.multipliedBy(6)).isNotNull();
        assertThat(((DopqLogin) back).login("admin", server.adminToken()).whoami()).isEqualTo("admin (admin)");
    }

    @Test
    void oversized_strings_get_api_errors_and_the_server_keeps_serving() throws Exception {
        DopqLogin login = server.loginObject();
        Map<String, ThrowingCallable> calls = Map.of(
                "login with a 1 MB user name", () -> login.login(MB1, "token"),
                "login with a 1 MB token", () -> login.login("admin", MB1),
                "job with a 2000-character id", () -> admin.job(ID2000),
                "delete with a 2000-character id", () -> admin.delete(ID2000),
                "cancel with a 2000-character id", () -> admin.cancel(ID2000),
                "logs with a 2000-character id", () -> admin.logs(ID2000, 0, 100),
                "add a user with a 1 MB name", () -> admin.addUser(MB1, false),
                "new token for a 1 MB name", () -> admin.newToken(MB1),
                "history of a 1 MB user name", () -> admin.history(new HistoryQuery(MB1, null, 10, null)),
                "upload under a 1 MB file name", () -> admin.beginUpload(MB1, 1));

        calls.forEach((what, call) -> {
            Throwable t = catchThrowable(call);
            assertThat(t).as(what).isInstanceOfAny(InvalidRequestException.class, PermissionDeniedException.class);
            assertThat(t.getMessage()).as(what).hasSizeLessThan(200).doesNotContain("\n");
        });
        assertThat(admin.status()).isNotNull();
    }

    @Test
    void a_call_larger_than_the_per_call_cap_loses_its_connection_before_it_is_read_and_the_server_keeps_serving()
            throws Exception {
        DopqLogin login = server.loginObject();
        Map<String, ThrowingCallable> calls = Map.of(
                "login with a 10 MB user name", () -> login.login(MB10, "token"),
                "login with a 10 MB token", () -> login.login("admin", MB10),
                "history of a 10 MB user name", () -> admin.history(new HistoryQuery(MB10, null, 10, null)),
                "an upload chunk of 3 MB", () -> admin.uploadChunk(admin.beginUpload("x.zip", 3 << 20),
                        new byte[3 << 20]));

        calls.forEach((what, call) -> assertThat(catchThrowable(call)).as(what)
                .isInstanceOf(java.rmi.RemoteException.class));
        assertThat(admin.status()).isNotNull();
    }

    @Test
    void a_control_character_in_a_refused_value_does_not_break_the_one_line_message() {
        Throwable t = catchThrowable(() -> admin.job("12\nFORGED"));

        assertThat(t).isInstanceOf(ApiException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
    }

    /** Calls {@code target}'s method {@code name} on the wire as if it were {@code real}, with a gadget argument. */
    private static Throwable callWithGadget(Remote target, String name, Method real) throws Exception {
        RemoteRef ref = ((RemoteObject) Proxy.getInvocationHandler(target)).getRef();
        Method untyped = real.getParameterCount() == 1 ? Untyped.class.getMethod(name, Object.class)
                : Untyped.class.getMethod(name, Object.class, Object.class);
        Object[] args = real.getParameterCount() == 1 ? new Object[]{new Gadget()}
                : new Object[]{new Gadget(), new Gadget()};
        return catchThrowable(() -> ref.invoke(target, untyped, args, methodHash(real)));
    }

    private static void assertRejectedByTheFilter(Throwable refused) {
        assertThat(refused).isInstanceOf(RemoteException.class);
        assertThat(rootCause(refused)).isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("filter status: REJECTED");
        assertThat(Gadget.deserialized).as("the gadget's readObject ran").isFalse();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c != null && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * RMI's method hash (Java RMI specification 8.3): the first 8 bytes, little-endian, of the SHA-1 of the
     * method's name and descriptor written with {@code writeUTF}. It selects the server method to dispatch to.
     */
    static long methodHash(Method m) throws IOException, java.security.NoSuchAlgorithmException {
        StringBuilder descriptor = new StringBuilder(m.getName()).append('(');
        for (Class<?> p : m.getParameterTypes()) {
            descriptor.append(p.descriptorString());
        }
        descriptor.append(')').append(m.getReturnType().descriptorString());
        ByteArrayOutputStream utf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(utf)) {
            out.writeUTF(descriptor.toString());
        }
        byte[] sha = MessageDigest.getInstance("SHA-1").digest(utf.toByteArray());
        long hash = 0;
        for (int i = 0; i < 8; i++) {
            hash += ((long) (sha[i] & 0xFF)) << (i * 8);
        }
        return hash;
    }

    /** A login lookalike that would collect tokens if the registry let it take the server's place. */
    private static final class Impostor implements DopqLogin {
        volatile int tokensSeen;

        @Override
        public DopqSession login(String user, String token) throws ApiException {
            tokensSeen++;
            throw new PermissionDeniedException("impostor " + token.getBytes(StandardCharsets.UTF_8).length);
        }

        @Override
        public DopqSession anonymous() throws ApiException {
            throw new PermissionDeniedException("impostor");
        }
    }
}
