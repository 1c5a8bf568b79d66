package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.Server;
import dev.dopq.server.config.ConfigLoader;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.engine.DockerEngines;
import dev.dopq.server.rmi.RmiServer;
import dev.dopq.server.testutil.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * A real in-process server like {@link TestServer}, but with the {@code [provider]} keys a submission test needs
 * (min_free, verify_owner). Starting it again on the same folder keeps the state and the inbox: a restart.
 */
final class ShareServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Server server;

    private ShareServer(Path dir, int port, Server server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** {@code providerKeys} are extra lines of the {@code [provider]} section, e.g. "min_free = 100000t\n". */
    static ShareServer start(Path dir, String providerKeys) throws Exception {
        RmiServer.installRegistryFilter();
        int port = TestServer.freePort();
        Path ini = dir.resolve("config.ini");
        Files.writeString(ini, "[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = 0\n\n"
                + "[api]\nhost = 127.0.0.1\nport = " + port + "\n\n[web]\nport = 0\n\n"
                + "[provider]\nsettle = 1s\nrescan = 1s\n" + providerKeys + "\n"
                + "[users]\nvalid_executors = ana, bob\n", StandardCharsets.UTF_8);
        DopqConfig config = ConfigLoader.load(ini, Map.of());
        Server server = new Server(config, Clock.systemUTC(), DockerEngines.connect(config));
        try {
            server.start();
        } catch (Exception e) {
            server.stop(true);
            throw e;
        }
        return new ShareServer(dir, port, server);
    }

    Path inbox() {
        return dir.resolve("inbox");
    }

    DopqSession admin() throws Exception {
        String token = Files.readString(dir.resolve("state").resolve("admin.token")).strip();
        DopqLogin login = (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port).lookup(DopqLogin.BINDING);
        return login.login("admin", token);
    }

    /**
     * Stops the server and removes the images it built that are still there (a job that ended just before the
     * stop may not have had its image removed yet).
     */
    @Override
    public void close() throws Exception {
        server.stop(true);
        try (DockerClient docker = DockerEngine.connect(null)) {
            for (Image leftover : docker.listImagesCmd()
                    .withLabelFilter(Map.of("dopq.instance", server.instance())).exec()) {
                docker.removeImageCmd(leftover.getId()).withForce(true).exec();
            }
        }
    }
}
