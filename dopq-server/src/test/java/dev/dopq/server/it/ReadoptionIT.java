package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.ServerProcess;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** After a kill -9 and a restart, a job whose container kept running is re-adopted: one log line, one job event. */
class ReadoptionIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private ServerProcess server;
    private final Set<String> instances = new HashSet<>();

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
    void a_job_running_across_a_kill_9_is_re_adopted_once_with_a_log_line_and_an_event() throws Exception {
        int port = TestServer.freePort();
        Path ini = dir.resolve("config.ini");
        Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(ini, "[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = 0\n\n"
                + "[api]\nhost = 127.0.0.1\nport = " + port + "\n\n[provider]\nsettle = 1s\nrescan = 1s\n\n"
                + "[users]\nvalid_executors = ana\n\n[queue]\nstop_grace = 2s\nreconcile = 1s\n",
                StandardCharsets.UTF_8);
        // kept after the run (the temporary folder is not) to see what the servers did
        Path log = Path.of("target", "ReadoptionIT.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        server = ServerProcess.start(ini, dir.resolve("state"), port, log);
        // identity = folder: the zip goes into its user's folder, which the server made at start
        aZip().name("survivor").user("ana").command("sleep", "600").writeInto(dir.resolve("inbox/ana"), "survivor.zip");
        JobView running = Await.until("job survivor to run", WAIT, () -> server.admin().running().stream()
                .filter(j -> j.name().equals("survivor")).findFirst());
        awaitRunningContainer(running.id());

        server.kill();
        server = ServerProcess.start(ini, dir.resolve("state"), port, log);
        // every reconcile of this server's life, the stop's last one included, is over when it has stopped
        server.shutdown(true);
        server = ServerProcess.start(ini, dir.resolve("state"), port, log);
        List<JobEventView> events = server.admin().job(running.id()).events();
        server.shutdown(false);
        String output = Files.readString(log);

        assertThat(events).filteredOn(e -> e.reason() != null && e.reason().startsWith("re-adopted"))
                .singleElement().satisfies(e -> {
                    assertThat(e.from()).isEqualTo("RUNNING");
                    assertThat(e.to()).isEqualTo("RUNNING");
                    assertThat(e.actor()).isEqualTo("reconcile");
                });
        assertThat(output.lines().filter(l -> l.contains("job " + running.id() + " (ana) re-adopted"))).hasSize(1);
    }

    /** Waits until the job's container runs, and remembers the server instance that made it (for clean-up). */
    private void awaitRunningContainer(String jobId) throws Exception {
        try (DockerClient docker = DockerEngine.connect(null)) {
            Container c = Await.until("the container of job " + jobId + " to run", WAIT, () -> docker
                    .listContainersCmd().withLabelFilter(Map.of("dopq.job", jobId)).exec().stream()
                    .filter(x -> "running".equals(x.getState())).findFirst());
            instances.add(c.getLabels().get("dopq.instance"));
        }
    }
}
