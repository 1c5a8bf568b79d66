package dev.dopq.server.it;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.api.UserInfo;
import dev.dopq.server.Server;
import dev.dopq.server.config.ConfigLoader;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.engine.DockerEngines;
import dev.dopq.server.rmi.RmiServer;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.registry.LocateRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DoPQ lab switches in one step: DoPQ 1.0's own default config.ini (only its paths moved into a scratch folder)
 * and its user database start the real server against the real engine; the port and GPUs come from DOPQ_*
 * variables, as DoPQ's file has neither. The imported users exist with their e-mail and a token each, and a DoPQ
 * zip dropped into a user's folder runs to SUCCEEDED and writes into DoPQ's /outdir mount.
 */
class DopqMigrationIT {
    private static final String DOPQ_ROOT = "/home/reza/Desktop/lmu_augenKlinikRepo";
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;
    private final List<Server> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Server s : started) {
            s.stop(true);
            if (s.instance() != null) {
                EngineLeftovers.removeOf(s.instance());
            }
        }
    }

    @Test
    void dopqs_default_config_and_user_database_start_the_server_and_a_dopq_zip_runs_into_outdir() throws Exception {
        Path config = dopqLab();
        int port = TestServer.freePort();
        // the HTTP endpoint stays off: its default port is fixed
        Map<String, String> env = Map.of("DOPQ_API_PORT", Integer.toString(port), "DOPQ_GPU_DEVICES", "0",
                "DOPQ_WEB_PORT", "0");
        Server server = start(config, env);
        DopqSession admin = login(port, "admin", Files.readString(dir.resolve("etc/state/admin.token")).strip());

        List<UserInfo> users = admin.listUsers();
        assertThat(users).extracting(UserInfo::name).contains("reza", "anees", "ilja");
        assertThat(users).filteredOn(u -> u.name().equals("anees")).singleElement()
                .satisfies(u -> {
                    assertThat(u.email()).isEqualTo("anees@lab.example");
                    assertThat(u.hasToken()).isTrue();
                });
        Path tokenFile = dir.resolve("etc/state/dopq-users.tokens");
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> lines = Files.readAllLines(tokenFile);
        assertThat(lines).hasSize(3);
        String rezaToken = tokenOf(lines, "reza");
        DopqSession reza = login(port, "reza", rezaToken);
        assertThat(reza.whoami()).isEqualTo("reza");

        Path inbox = dir.resolve("dopq_config_folders/network");
        ShareZips.withConfig(ShareZips.dopqConfig("outdir-job", "reza", 1,
                "sh -c 'echo written by reza > /outdir/reza-result.txt'")).writeInto(inbox.resolve("reza"), "job.zip");

        JobView job = TestServer.awaitHistory(reza, j -> j.name().equals("outdir-job"), WAIT).orElseThrow();
        assertThat(job.state()).as("reason: %s", job.reason()).isEqualTo("SUCCEEDED");
        assertThat(job.user()).isEqualTo("reza");
        assertThat(Files.readString(dir.resolve("dopq_mount_folder/reza-result.txt")).strip())
                .isEqualTo("written by reza");

        // a second start imports nothing twice and leaves the handed-out tokens valid
        server.stop(true);
        started.remove(server);
        EngineLeftovers.removeOf(server.instance());
        start(config, env);
        assertThat(Files.readAllLines(tokenFile)).isEqualTo(lines);
        assertThat(login(port, "reza", rezaToken).whoami()).isEqualTo("reza");
    }

    /** DoPQ's folders under the temp dir: its default config.ini with paths moved there, and its user database. */
    private Path dopqLab() throws Exception {
        String ini = resource("config.ini").replace(DOPQ_ROOT, dir.toString());
        Files.createDirectories(dir.resolve("dopq_config_folders/network"));
        Files.createDirectories(dir.resolve("dopq_user_database"));
        Files.writeString(dir.resolve("dopq_user_database/dopq_database.db"), resource("dopq_database.db"));
        Path mount = Files.createDirectories(dir.resolve("dopq_mount_folder"));
        // whichever uid the job runs as may write its results, as on a DoPQ lab's shared mount folder
        Files.setPosixFilePermissions(mount, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path config = Files.createDirectories(dir.resolve("etc")).resolve("config.ini");
        Files.writeString(config, ini);
        return config;
    }

    private Server start(Path config, Map<String, String> env) throws Exception {
        RmiServer.installRegistryFilter();
        DopqConfig loaded = ConfigLoader.load(config, env);
        assertThat(loaded.queue().keepHistory()).isEqualTo(500);
        assertThat(loaded.docker().defaultMemoryBytes()).isEqualTo(32L << 30);
        Server server = new Server(loaded, Clock.systemUTC(), DockerEngines.connect(loaded));
        started.add(server);
        server.start();
        return server;
    }

    private static DopqSession login(int port, String user, String token) throws Exception {
        DopqLogin login = (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port).lookup(DopqLogin.BINDING);
        return login.login(user, token);
    }

    private static String tokenOf(List<String> lines, String user) {
        return lines.stream().filter(l -> l.startsWith(user + " ")).map(l -> l.substring(user.length() + 1))
                .findFirst().orElseThrow();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = DopqMigrationIT.class.getResourceAsStream("/dopq/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
