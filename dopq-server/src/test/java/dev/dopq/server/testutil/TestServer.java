package dev.dopq.server.testutil;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.server.Server;
import dev.dopq.server.config.ConfigLoader;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.engine.DockerEngines;
import dev.dopq.server.rmi.RmiServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** A real server in this JVM on a temporary folder, a free port and declared GPUs, reached through real RMI. */
public final class TestServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Server server;

    private TestServer(Path dir, int port, Server server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /**
     * Starts a server. {@code extraIni} is appended to a minimal config (e.g. "[queue]\nremove_containers = no\n").
     */
    public static TestServer start(Path dir, String gpus, String extraIni) throws Exception {
        return start(dir, gpus, "", extraIni, Map.of());
    }

    /** As {@link #start(Path, String, String)}, with {@code DOPQ_*} overrides (e.g. for keys of [provider]). */
    public static TestServer start(Path dir, String gpus, String extraIni, Map<String, String> env) throws Exception {
        return start(dir, gpus, "", extraIni, env);
    }

    /** {@link #start(Path, String, String)} with more lines in {@code [users]} (e.g. "max_gpus = 1\n"). */
    public static TestServer start(Path dir, String gpus, String usersKeys, String extraIni) throws Exception {
        return start(dir, gpus, usersKeys, extraIni, Map.of());
    }

    private static TestServer start(Path dir, String gpus, String usersKeys, String extraIni, Map<String, String> env)
            throws Exception {
        RmiServer.installRegistryFilter();
        int port = freePort();
        Path ini = dir.resolve("config.ini");
        Files.writeString(ini, "[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = " + gpus + "\n\n"
                + "[api]\nhost = 127.0.0.1\nport = " + port + "\n\n"
                + "[provider]\nsettle = 1s\nrescan = 1s\n\n"
                + "[users]\nvalid_executors = ana, bob\n" + usersKeys + "\n"
                // the HTTP endpoint stays off (its default port is fixed) unless the test configures it
                + (extraIni.contains("[web]") ? "" : "[web]\nport = 0\n\n") + extraIni, StandardCharsets.UTF_8);
        DopqConfig config = ConfigLoader.load(ini, env);
        Server server = new Server(config, Clock.systemUTC(), DockerEngines.connect(config));
        server.start();
        return new TestServer(dir, port, server);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The server's instance id (label {@code dopq.instance} on what it creates). */
    public String instance() {
        return server.instance();
    }

    /** The port of the HTTP endpoint, or 0 when it is off. */
    public int webPort() {
        return server.webPort();
    }

    public Path inbox() {
        return dir.resolve("inbox");
    }

    public Path state() {
        return dir.resolve("state");
    }

    public int port() {
        return port;
    }

    public String adminToken() throws IOException {
        return Files.readString(state().resolve("admin.token")).strip();
    }

    public DopqSession admin() throws Exception {
        return login("admin", adminToken());
    }

    public DopqSession login(String user, String token) throws Exception {
        DopqLogin login = (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port).lookup(DopqLogin.BINDING);
        return login.login(user, token);
    }

    /** Polls the history until a job matching {@code test} shows up or the deadline passes. */
    public static Optional<JobView> awaitHistory(DopqSession s, Predicate<JobView> test, Duration within)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            List<JobView> h = s.history(HistoryQuery.latest(1000));
            Optional<JobView> hit = h.stream().filter(test).findFirst();
            if (hit.isPresent()) {
                return hit;
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    /** Waits until the server has stopped (after a shutdown asked through the API). */
    public void awaitStop() throws InterruptedException {
        server.awaitStop();
    }

    public void stop(boolean stopRunning) {
        server.stop(stopRunning);
    }

    @Override
    public void close() {
        server.stop(true);
    }
}
