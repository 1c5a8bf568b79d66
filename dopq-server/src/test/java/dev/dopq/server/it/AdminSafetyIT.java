package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import dev.dopq.server.testutil.ServerProcess;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an admin trips on when starting and restarting a server, against real server processes: a port already
 * in use, a state folder another server holds, job ids after a kill -9. Each start that cannot go on ends with one
 * line that names what is in the way, and no stack trace.
 */
class AdminSafetyIT {
    private static final Duration END = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private ServerProcess server;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("inbox"));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private Path config(String name, int port) throws Exception {
        Path ini = dir.resolve(name);
        Files.writeString(ini, "[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = none\n\n"
                + "[api]\nhost = 127.0.0.1\nport = " + port + "\n\n[provider]\nsettle = 1s\nrescan = 1s\n\n"
                + "[users]\nvalid_executors = ana\n", StandardCharsets.UTF_8);
        return ini;
    }

    @Test
    void a_port_already_in_use_ends_the_start_with_one_line_naming_the_port() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            ServerProcess.Ended ended = ServerProcess.runToEnd(config("config.ini", port), dir.resolve("busy.log"), END);

            assertThat(ended.exitCode()).isEqualTo(1);
            assertThat(ended.output()).contains("dopq not started: port " + port + " on 127.0.0.1 is in use ([api] port)");
            assertThat(ended.output()).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void a_second_server_on_the_same_state_folder_names_the_folder_and_the_first_servers_pid() throws Exception {
        server = ServerProcess.start(config("config.ini", TestServer.freePort()), dir.resolve("state"),
                portOf("config.ini"), dir.resolve("first.log"));

        ServerProcess.Ended second = ServerProcess.runToEnd(config("second.ini", TestServer.freePort()),
                dir.resolve("second.log"), END);

        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.output()).contains("dopq not started: the state folder "
                + dir.resolve("state").toAbsolutePath() + " is in use by another dopq server (pid " + server.pid() + ")");
        assertThat(second.output()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(server.isAlive()).as("the first server goes on").isTrue();
    }

    @Test
    void job_ids_do_not_jump_after_a_kill_9() throws Exception {
        int port = TestServer.freePort();
        Path ini = config("config.ini", port);
        server = ServerProcess.start(ini, dir.resolve("state"), port, dir.resolve("server.log"));
        long first = Long.parseLong(submitGarbage(server.admin()).id());
        server.kill();

        server = ServerProcess.start(ini, dir.resolve("state"), port, dir.resolve("server.log"));
        long second = Long.parseLong(submitGarbage(server.admin()).id());

        assertThat(second).isEqualTo(first + 1);
    }

    private int portOf(String ini) throws Exception {
        String text = Files.readString(dir.resolve(ini));
        int at = text.indexOf("port = ") + "port = ".length();
        return Integer.parseInt(text.substring(at, text.indexOf('\n', at)).strip());
    }

    private static JobView submitGarbage(DopqSession admin) throws Exception {
        return Uploads.submit(admin, "garbage.zip", "not a zip at all".getBytes(StandardCharsets.UTF_8));
    }
}
