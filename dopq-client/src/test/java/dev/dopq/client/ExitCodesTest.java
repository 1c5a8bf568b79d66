package dev.dopq.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dopq.api.ConflictException;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.PermissionDeniedException;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodesTest {

    @Test
    void an_unknown_job_exits_with_not_found_and_one_line_on_stderr() {
        CliRun.Result result = CliRun.run(new FakeSession(), "job", "999");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).isEqualTo("dopq: no job 999\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void deleting_someone_elses_job_exits_with_permission_denied() {
        FakeSession session = new FakeSession()
                .failing("delete", new PermissionDeniedException("job 41 belongs to ana"));

        CliRun.Result result = CliRun.run(session, "delete", "41");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertThat(result.err()).isEqualTo("dopq: job 41: job 41 belongs to ana\n");
    }

    @Test
    void a_request_the_server_finds_malformed_exits_with_usage() {
        FakeSession session = new FakeSession().failing("history", new InvalidRequestException("user name too long"));

        CliRun.Result result = CliRun.run(session, "history", "--user", "x".repeat(80));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("dopq: user name too long\n");
    }

    @Test
    void cancelling_a_job_that_does_not_run_exits_with_conflict() {
        FakeSession session = new FakeSession().failing("cancel", new ConflictException("job 43 is queued, not running"));

        CliRun.Result result = CliRun.run(session, "cancel", "43");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.err()).isEqualTo("dopq: job 43 is queued, not running\n");
    }

    @Test
    void deleting_several_jobs_tries_all_and_exits_with_the_first_failure() {
        FakeSession session = new FakeSession()
                .failing("delete:13", new NotFoundException("no job 13"))
                .failing("delete:14", new ConflictException("job 14 is running; use cancel"));

        CliRun.Result result = CliRun.run(session, "delete", "12", "13", "14", "15");

        assertThat(session.calls).containsExactly("delete:12", "delete:13", "delete:14", "delete:15");
        assertThat(result.out()).isEqualTo("job 12 deleted\njob 15 deleted\n");
        assertThat(result.err()).isEqualTo("dopq: job 13: no job 13\ndopq: job 14: job 14 is running; use cancel\n");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void a_closed_port_exits_with_unreachable() throws IOException {
        int port = closedPort();

        CliRun.Result result = CliRun.run(new Connection(), new Environment(Map.of(), Path.of("/nonexistent")),
                "status", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.err())
                .isEqualTo("dopq: cannot reach the dopq server at 127.0.0.1:" + port + " (connection refused)\n");
    }

    @Test
    void a_registry_without_the_dopq_binding_exits_with_unreachable() throws Exception {
        int port = closedPort();
        Registry registry = LocateRegistry.createRegistry(port);
        try {
            CliRun.Result result = CliRun.run(new Connection(), new Environment(Map.of(), Path.of("/nonexistent")),
                    "queue", "--port", String.valueOf(port));

            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(result.err()).startsWith("dopq: no dopq server is registered at 127.0.0.1:" + port);
        } finally {
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    @Test
    void an_unknown_option_exits_with_usage_and_points_to_help() {
        CliRun.Result result = CliRun.run(new FakeSession(), "queue", "--colour");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("dopq: Unknown option: '--colour' (see 'dopq queue --help')\n");
    }

    @Test
    void an_unknown_command_exits_with_usage() {
        CliRun.Result result = CliRun.run(new FakeSession(), "frobnicate");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("dopq: Unmatched argument at index 0: 'frobnicate'");
    }

    @Test
    void a_missing_job_id_exits_with_usage_before_contacting_the_server() {
        FakeSession session = new FakeSession();

        CliRun.Result result = CliRun.run(session, "logs");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(session.calls).isEmpty();
    }

    @Test
    void no_command_prints_the_usage_and_exits_with_usage() {
        CliRun.Result result = CliRun.run(new FakeSession());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Usage: dopq").contains("Commands:");
    }

    @Test
    void help_of_a_command_exits_ok() {
        CliRun.Result result = CliRun.run(new FakeSession(), "submit", "--help");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("Usage: dopq submit").contains("--gpus=N");
    }

    @Test
    void a_date_that_cannot_be_read_exits_with_usage() {
        CliRun.Result result = CliRun.run(new FakeSession(), "history", "--since", "last tuesday");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("dopq: --since: \"last tuesday\" is not a date");
    }

    @Test
    void a_limit_out_of_range_exits_with_usage() {
        CliRun.Result result = CliRun.run(new FakeSession(), "history", "--limit", "0");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
