package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.JobDirs;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the queue asks of the engine really happens: memory limits, timeouts, cancel, retries with their own
 * logs, no GPUs for CPU-only jobs, and a lock that pauses starting.
 */
class ContainerControlIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static TestServer server;
    static DockerClient docker;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0,1", "[queue]\nstop_grace = 2s\nremove_containers = no\n");
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

    @Test
    void a_job_allocating_past_its_memory_limit_fails_as_out_of_memory() throws Exception {
        aZip().name("greedy").field("required_memory", "\"32m\"")
                .command("sh", "-c", "x=a; while true; do x=$x$x; done").dropInto(server.inbox(), "greedy.zip");

        JobView job = ended("greedy");

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.reason()).startsWith("out of memory (limit");
    }

    @Test
    void a_job_running_past_its_timeout_is_stopped_and_fails_as_timed_out() throws Exception {
        aZip().name("slowpoke").field("timeout", "\"3s\"").command("sleep", "300")
                .dropInto(server.inbox(), "slowpoke.zip");

        JobView job = ended("slowpoke");

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.reason()).isEqualTo("timed out after 3s");
    }

    @Test
    void cancelling_a_running_job_stops_it_and_it_ends_cancelled() throws Exception {
        aZip().name("unwanted").command("sleep", "300").dropInto(server.inbox(), "unwanted.zip");
        JobView running = Await.until("job unwanted to run", WAIT, () -> named(admin.running(), "unwanted"));

        admin.cancel(running.id());

        JobView job = Await.until("job unwanted to end", Duration.ofSeconds(20),
                () -> Optional.of(admin.job(running.id()).job()).filter(j -> !j.state().equals("RUNNING")));
        assertThat(job.state()).isEqualTo("CANCELLED");
        assertThat(job.reason()).isEqualTo("cancelled by admin");
    }

    @Test
    void a_failing_job_with_two_retries_runs_three_times_each_with_its_own_log() throws Exception {
        aZip().name("flaky").field("retries", "2").command("sh", "-c", "echo flaky run; exit 1")
                .dropInto(server.inbox(), "flaky.zip");

        JobView job = ended("flaky");

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.exitCode()).isEqualTo(1);
        assertThat(job.attempt()).isEqualTo(3);
        assertThat(job.reason()).isEqualTo("exited with code 1");
        List<JobEventView> events = admin.job(job.id()).events();
        assertThat(events).filteredOn(e -> "RUNNING".equals(e.to())).hasSize(3);
        assertThat(events).filteredOn(e -> "RUNNING".equals(e.from()) && "QUEUED".equals(e.to()))
                .extracting(JobEventView::reason)
                .containsExactly("attempt 1 exited with code 1; retrying", "attempt 2 exited with code 1; retrying");
        assertThat(ourContainers(Map.of("dopq.job", job.id()))).hasSize(3);
        Path work = JobDirs.of(server.state(), job.id()).orElseThrow();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path log = work.resolve("attempt-" + attempt + ".log");
            assertThat(log).exists();
            assertThat(Files.readString(log)).as("log of attempt %d", attempt).contains("flaky run");
        }
    }

    @Test
    void a_cpu_only_job_sees_no_gpu() throws Exception {
        aZip().name("cpuonly").gpus(0).command("true").dropInto(server.inbox(), "cpuonly.zip");

        JobView job = ended("cpuonly");

        assertThat(job.state()).isEqualTo("SUCCEEDED");
        assertThat(job.gpus()).isEmpty();
        List<Container> containers = ourContainers(Map.of("dopq.job", job.id()));
        assertThat(containers).hasSize(1);
        List<String> env = List.of(docker.inspectContainerCmd(containers.get(0).getId()).exec().getConfig().getEnv());
        assertThat(env).contains("NVIDIA_VISIBLE_DEVICES=void");
    }

    @Test
    void a_job_submitted_while_the_queue_is_locked_waits_until_it_is_unlocked() throws Exception {
        admin.lock();
        JobView queued;
        try {
            aZip().name("patient").command("true").dropInto(server.inbox(), "patient.zip");
            queued = Await.until("job patient to be queued", WAIT, () -> named(admin.queue(), "patient"));
            // a few passes of the queue (woken at least every 2 s) must go by without starting it
            Instant until = Instant.now().plusSeconds(5);
            while (Instant.now().isBefore(until)) {
                JobDetail detail = admin.job(queued.id());
                assertThat(detail.job().state()).isEqualTo("QUEUED");
                assertThat(detail.waiting()).contains("locked");
                Thread.sleep(500);
            }
        } finally {
            admin.unlock();
        }

        JobView job = ended("patient");

        assertThat(job.id()).isEqualTo(queued.id());
        assertThat(job.state()).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_two_gpu_job_holds_the_free_gpu_so_a_later_one_gpu_job_cannot_starve_it() throws Exception {
        aZip().name("hog").user("ana").command("sleep", "12").dropInto(server.inbox(), "hog.zip");
        Await.until("job hog to run", WAIT, () -> named(admin.running(), "hog"));
        aZip().name("wide").user("bob").gpus(2).command("sleep", "1").dropInto(server.inbox(), "wide.zip");
        JobView wide = Await.until("job wide to be queued", WAIT, () -> named(admin.queue(), "wide"));
        // submitted after wide by the same user, so it comes later in the queue order
        aZip().name("narrow").user("bob").command("sleep", "1").dropInto(server.inbox(), "narrow.zip");
        JobView narrow = Await.until("job narrow to be queued", WAIT, () -> named(admin.queue(), "narrow"));
        boolean hogStillRuns = named(admin.running(), "hog").isPresent();
        String wideWaits = admin.job(wide.id()).waiting();
        String narrowWaits = admin.job(narrow.id()).waiting();

        JobView hog = ended("hog");
        ended("wide");
        ended("narrow");

        assertThat(hogStillRuns).as("hog still ran when the others were queued").isTrue();
        assertThat(wideWaits).contains("GPUs 1 held for it");
        assertThat(narrowWaits).contains("GPUs 1 held for job " + wide.id());
        Instant[] h = runInterval(hog.id());
        Instant[] w = runInterval(wide.id());
        Instant[] n = runInterval(narrow.id());
        assertThat(w[0]).as("wide starts once hog has ended").isAfterOrEqualTo(h[1]);
        assertThat(n[0]).as("narrow starts only after wide, which came first").isAfterOrEqualTo(w[0]);
    }

    @Test
    void a_user_who_has_used_less_gpu_time_goes_first_even_when_submitting_later() throws Exception {
        admin.addUser("carol", false);
        admin.addUser("dave", false);
        aZip().name("carol-warmup").user("carol").gpus(2).command("sleep", "3")
                .dropInto(server.inbox(), "carol-warmup.zip");
        ended("carol-warmup");
        admin.lock();
        JobView again;
        JobView fresh;
        List<String> order;
        try {
            aZip().name("carol-again").user("carol").gpus(2).command("sleep", "1")
                    .dropInto(server.inbox(), "carol-again.zip");
            again = Await.until("job carol-again to be queued", WAIT, () -> named(admin.queue(), "carol-again"));
            aZip().name("dave-first").user("dave").gpus(2).command("sleep", "1")
                    .dropInto(server.inbox(), "dave-first.zip");
            fresh = Await.until("job dave-first to be queued", WAIT, () -> named(admin.queue(), "dave-first"));
            order = admin.queue().stream().map(JobView::name).filter(n -> n.startsWith("carol") || n.startsWith("dave"))
                    .toList();
        } finally {
            admin.unlock();
        }
        ended("carol-again");
        ended("dave-first");

        assertThat(order).containsExactly("dave-first", "carol-again");
        assertThat(runInterval(fresh.id())[0]).as("dave's job starts first")
                .isBefore(runInterval(again.id())[0]);
    }

    private static Instant[] runInterval(String jobId) {
        List<Container> found = ourContainers(Map.of("dopq.job", jobId));
        assertThat(found).as("containers of job %s", jobId).hasSize(1);
        var state = docker.inspectContainerCmd(found.get(0).getId()).exec().getState();
        return new Instant[]{Instant.parse(state.getStartedAt()), Instant.parse(state.getFinishedAt())};
    }

    private static JobView ended(String name) throws Exception {
        return TestServer.awaitHistory(admin, j -> j.name().equals(name), WAIT)
                .orElseThrow(() -> new AssertionError("job " + name + " did not end within " + WAIT));
    }

    private static Optional<JobView> named(List<JobView> jobs, String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    private static List<Container> ourContainers(Map<String, String> more) {
        Map<String, String> labels = new java.util.HashMap<>(more);
        labels.put("dopq.instance", server.instance());
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    }
}
