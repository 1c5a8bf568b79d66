package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** A zip dropped on the share runs as a container on the real engine and is seen through the real RMI API. */
class EndToEndIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static TestServer server;
    static DockerClient docker;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0", "[queue]\nremove_containers = no\n");
        admin = server.admin();
        docker = DockerEngine.connect(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            // containers kept (remove_containers = no) pinned their images; remove all this server made
            EngineLeftovers.removeOf(server.instance());
        }
        if (docker != null) {
            docker.close();
        }
    }

    private static List<Container> ourContainers(java.util.Map<String, String> more) {
        java.util.Map<String, String> labels = new java.util.HashMap<>(more);
        labels.put("dopq.instance", server.instance());
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    }

    @Test
    void a_job_exiting_0_succeeds_and_its_container_carried_labels_and_gpus() throws Exception {
        aZip().name("ok").user("ana").command("sh", "-c", "echo hello from dopq").dropInto(server.inbox(), "ok.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("ok"), WAIT).orElseThrow();

        assertThat(job.state()).isEqualTo("SUCCEEDED");
        assertThat(job.exitCode()).isZero();
        assertThat(job.user()).isEqualTo("ana");
        assertThat(job.gpus()).containsExactly("0");
        InspectContainerResponse c = containerOf(job);
        assertThat(c.getConfig().getLabels())
                .containsEntry("dopq.job", job.id())
                .containsEntry("dopq.user", "ana")
                .containsEntry("dopq.gpus", "0");
        assertThat(c.getConfig().getEnv()).contains("NVIDIA_VISIBLE_DEVICES=0");
        assertThat(admin.logs(job.id(), 0, 65536).text()).contains("hello from dopq");
    }

    @Test
    void a_job_exiting_3_fails_with_exit_code_3() throws Exception {
        aZip().name("three").user("bob").command("sh", "-c", "exit 3").dropInto(server.inbox(), "three.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("three"), WAIT).orElseThrow();

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.exitCode()).isEqualTo(3);
        assertThat(job.reason()).isEqualTo("exited with code 3");
    }

    @Test
    void two_one_gpu_jobs_on_one_gpu_never_run_at_the_same_time() throws Exception {
        aZip().name("first").user("ana").command("sleep", "2").dropInto(server.inbox(), "first.zip");
        aZip().name("second").user("bob").command("sleep", "2").dropInto(server.inbox(), "second.zip");

        JobView a = TestServer.awaitHistory(admin, j -> j.name().equals("first"), WAIT).orElseThrow();
        JobView b = TestServer.awaitHistory(admin, j -> j.name().equals("second"), WAIT).orElseThrow();

        assertThat(a.state()).isEqualTo("SUCCEEDED");
        assertThat(b.state()).isEqualTo("SUCCEEDED");
        Instant[] ia = runInterval(containerOf(a));
        Instant[] ib = runInterval(containerOf(b));
        boolean overlap = ia[0].isBefore(ib[1]) && ib[0].isBefore(ia[1]);
        assertThat(overlap).as("container runs %s-%s and %s-%s overlap", ia[0], ia[1], ib[0], ib[1]).isFalse();
    }

    private static InspectContainerResponse containerOf(JobView job) {
        List<Container> found = ourContainers(java.util.Map.of("dopq.job", job.id()));
        assertThat(found).as("containers of job %s", job.id()).hasSize(1);
        return docker.inspectContainerCmd(found.get(0).getId()).exec();
    }

    private static Instant[] runInterval(InspectContainerResponse c) {
        return new Instant[]{Instant.parse(c.getState().getStartedAt()), Instant.parse(c.getState().getFinishedAt())};
    }
}
