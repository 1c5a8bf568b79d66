package dev.dopq.server.rmi;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.server.Server;
import dev.dopq.server.config.ConfigLoader;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.engine.DockerEngines;
import dev.dopq.server.engine.Engine;
import dev.dopq.server.queue.FakeRuntime;
import dev.dopq.server.testutil.FakeImages;
import dev.dopq.server.testutil.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A real server like {@link TestServer}, with {@code [api]} settings of the test's choice given as
 * {@code DOPQ_API_*} overrides (the minimal config already has an {@code [api]} section, which must stay one).
 */
public final class ApiTestServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Server server;

    private ApiTestServer(Path dir, int port, Server server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Starts a server on {@code dir} with one declared GPU; {@code api} maps keys like "anonymous_read" to values. */
    public static ApiTestServer start(Path dir, Map<String, String> api) throws Exception {
        return start(dir, api, null);
    }

    /**
     * Starts a server like {@link #start(Path, Map)} on an engine in memory: for tests of the API (authorization,
     * serialization, shutdown) that run no container, so they need no Docker engine.
     */
    public static ApiTestServer startWithoutEngine(Path dir, Map<String, String> api) throws Exception {
        return start(dir, api, config -> Engine.local(config, new FakeRuntime(), new FakeImages(), () -> { }));
    }

    private static ApiTestServer start(Path dir, Map<String, String> api,
                                        java.util.function.Function<DopqConfig, Engine> engine) throws Exception {
        RmiServer.installRegistryFilter();
        int port = TestServer.freePort();
        Path ini = Files.createDirectories(dir).resolve("config.ini");
        Files.writeString(ini, "[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = 0\n\n"
                + "[api]\nhost = 127.0.0.1\nport = " + port + "\n\n[web]\nport = 0\n\n"
                + "[provider]\nsettle = 1s\nrescan = 1s\n\n"
                + "[users]\nvalid_executors = ana, bob\n", StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        api.forEach((key, value) -> env.put("DOPQ_API_" + key.toUpperCase(), value));
        DopqConfig config = ConfigLoader.load(ini, env);
        Server server = new Server(config, Clock.systemUTC(),
                engine != null ? engine.apply(config) : DockerEngines.connect(config));
        try {
            server.start();
        } catch (Exception e) {
            server.stop(false);
            throw e;
        }
        return new ApiTestServer(dir, port, server);
    }

    public int port() {
        return port;
    }

    public String instance() {
        return server.instance();
    }

    public String adminToken() throws Exception {
        return Files.readString(dir.resolve("state").resolve("admin.token")).strip();
    }

    /** The login object, looked up through the registry with the stub's own socket factory. */
    public DopqLogin loginObject() throws Exception {
        return (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port).lookup(DopqLogin.BINDING);
    }

    public DopqSession admin() throws Exception {
        return loginObject().login("admin", adminToken());
    }

    @Override
    public void close() {
        server.stop(true);
    }
}
