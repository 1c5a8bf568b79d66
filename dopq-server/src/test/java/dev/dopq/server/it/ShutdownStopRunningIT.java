package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code dopq shutdown --stop-running}: the stopped jobs end cancelled by the shutdown, not as their own failure. */
class ShutdownStopRunningIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private TestServer server;
    private final java.util.Set<String> instances = new java.util.HashSet<>();

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        for (String instance : instances) {
            EngineLeftovers.removeOf(instance);
        }
    }

    @Test
    void jobs_stopped_by_a_shutdown_end_cancelled_with_the_shutdown_reason_and_are_not_retried() throws Exception {
        server = start();
        DopqSession admin = server.admin();
        aZip().name("long").field("retries", "2").command("sleep", "300").dropInto(server.inbox(), "long.zip");
        JobView running = Await.until("job long to run", WAIT, () -> admin.running().stream()
                .filter(j -> j.name().equals("long") && j.startedAt() != null).findFirst());

        admin.shutdown(true);
        server.awaitStop();
        server = start();

        JobView job = server.admin().job(running.id()).job();
        assertThat(job.state()).isEqualTo("CANCELLED");
        assertThat(job.reason()).isEqualTo("stopped by server shutdown (admin)");
        assertThat(job.attempt()).as("not retried").isEqualTo(1);
        assertThat(job.exitCode()).isNotNull().isNotZero();
        assertThat(server.admin().job(running.id()).events()).anySatisfy(e ->
                assertThat(e.reason()).startsWith("stopping: stopped by server shutdown (admin)"));
    }

    private TestServer start() throws Exception {
        TestServer s = TestServer.start(dir, "0", "[queue]\nstop_grace = 3s\n");
        instances.add(s.instance());
        return s;
    }
}
