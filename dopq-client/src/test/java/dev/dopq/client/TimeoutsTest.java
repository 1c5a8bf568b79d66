package dev.dopq.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dopq.api.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server that never answers ends a command with "unreachable" instead of holding it. */
class TimeoutsTest {
    private static final Timeouts SHORT = new Timeouts(Duration.ofMillis(300), Duration.ofMillis(300));

    private static CliRun.Result status(int port) {
        return CliRun.run(new Connection(SHORT), new Environment(Map.of(), Path.of("/nonexistent")),
                "status", "--port", String.valueOf(port));
    }

    @Test
    void a_port_that_accepts_but_never_answers_exits_with_unreachable_and_one_line() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CliRun.Result result = status(silent.getLocalPort());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(result.err()).isEqualTo("dopq: cannot reach the dopq server at 127.0.0.1:"
                    + silent.getLocalPort() + " (it accepted the connection but did not answer in time)\n");
        }
    }

    @Test
    void a_host_that_drops_connection_attempts_exits_with_unreachable_and_one_line() throws IOException {
        // A listener whose accept queue is full drops further connection attempts, as a dead host does.
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fill(full, queued);

            CliRun.Result result = status(full.getLocalPort());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(result.err()).isEqualTo("dopq: cannot reach the dopq server at 127.0.0.1:"
                    + full.getLocalPort() + " (no connection within 300 ms)\n");
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    @Test
    void registry_sockets_give_up_connecting_after_the_connect_timeout() throws IOException {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            fill(full, queued);

            assertThatThrownBy(() -> new BoundedSockets.Registry(SHORT, false)
                    .createSocket("127.0.0.1", full.getLocalPort()))
                    .isInstanceOf(SocketTimeoutException.class).hasMessage("no connection within 300 ms");
        } finally {
            for (Socket s : queued) {
                s.close();
            }
        }
    }

    /** Connects until an attempt is no longer taken into the accept queue. */
    private static void fill(ServerSocket listener, List<Socket> queued) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 200);
                queued.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("the accept queue never filled; cannot imitate a dead host here");
    }
}
