package dev.dopq.server.queue;

import dev.dopq.container.JobSpecParser;
import dev.dopq.container.SpecPolicy;
import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.gpu.DeclaredGpuInventory;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.store.InMemorySettingsStore;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.FixedPenalties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The queue thread dispatching from the index, and the full decision it serves to the API. */
class QueueRunnerTest {
    private static final String SPEC = JobSpecParser.parse(
            "{\"name\": \"job\", \"executor_name\": \"ana\", \"image\": \"img\"}",
            new SpecPolicy(4, 0, false, false, java.util.List.of("img"), false)).toJson();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path work;
    private final Jobs jobs = new Jobs(new InMemoryJobStore());
    private final InMemorySettingsStore settings = new InMemorySettingsStore();
    private final FakeRuntime runtime = new FakeRuntime();
    private final FixedPenalties penalties = FixedPenalties.none().with("bob", 1.0).with("carl", 2.0);
    private final QueueRunner runner = new QueueRunner(jobs, runtime, new DeclaredGpuInventory(List.of("0", "1")),
            penalties, settings, new Launcher(new Launcher.Surroundings(List.of(), null, null, false), "inst"),
            Clock.systemUTC(), new QueueRunner.Settings(Duration.ofSeconds(1), Duration.ofHours(1),
            Duration.ofSeconds(1), false), false, job -> { });

    @AfterEach
    void shutDown() {
        runner.stop(Duration.ofSeconds(5));
    }

    private Job enqueue(String user) {
        return jobs.insert(aJob().user(user).submittedAt(Instant.now()).specJson(SPEC).workDir(work.toString())
                .build(), "test");
    }

    private List<Long> running() {
        return jobs.active().inStates(EnumSet.of(JobState.RUNNING)).stream().map(Job::id).toList();
    }

    @Test
    void the_users_with_the_lowest_penalties_get_the_free_gpus_and_the_rest_is_explained() throws Exception {
        Job carl = enqueue("carl");
        Job ana = enqueue("ana");
        Job bob = enqueue("bob");

        runner.start();
        List<Long> started = Await.until("two jobs running", PATIENCE,
                () -> Optional.of(running()).filter(r -> r.size() == 2));

        assertThat(started).containsExactlyInAnyOrder(ana.id(), bob.id());
        Decision preview = runner.preview();
        assertThat(preview.order()).extracting(Job::id).containsExactly(carl.id());
        assertThat(preview.waiting().get(carl.id())).startsWith("position 1 of 1; needs 1 GPU, 0 free");
    }

    @Test
    void the_queue_hands_out_the_lowest_free_gpu_ids_by_number_not_by_text() throws Exception {
        QueueRunner tenGpus = new QueueRunner(jobs, runtime, new DeclaredGpuInventory(List.of("10", "2", "1")),
                penalties, settings, new Launcher(new Launcher.Surroundings(List.of(), null, null, false), "inst"),
                Clock.systemUTC(), new QueueRunner.Settings(Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(1), false), false, job -> { });
        try {
            Job two = jobs.insert(aJob().user("bob").gpusRequested(2).submittedAt(Instant.now()).specJson(SPEC)
                    .workDir(work.toString()).build(), "test");

            tenGpus.start();
            Job started = Await.until("the two-GPU job running", PATIENCE, () -> jobs.find(two.id())
                    .filter(j -> j.state() == JobState.RUNNING));

            // inventory order would give 10,2 and text order 1,10
            assertThat(started.gpus()).containsExactly("1", "2");
        } finally {
            tenGpus.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void a_locked_queue_is_explained_and_unlocking_it_starts_the_job() throws Exception {
        runner.setLocked(true);
        Job ana = enqueue("ana");
        runner.start();

        assertThat(runner.preview().waiting().get(ana.id())).isEqualTo("queue is locked (position 1 of 1)");
        assertThat(settings.get(QueueRunner.LOCK_KEY)).contains("true");

        runner.setLocked(false);
        assertThat(Await.until("the job running", PATIENCE,
                () -> Optional.of(running()).filter(r -> !r.isEmpty()))).containsExactly(ana.id());
    }

    @Test
    void the_preview_follows_a_change_of_the_queue_at_once() {
        runner.setLocked(true);
        Job ana = enqueue("ana");
        assertThat(runner.preview().order()).extracting(Job::id).containsExactly(ana.id());

        Job bob = enqueue("bob");
        jobs.move(jobs.find(ana.id()).orElseThrow(), JobState.CANCELLED, "ana", b -> b.reason("deleted"));

        assertThat(runner.preview().order()).extracting(Job::id).containsExactly(bob.id());
    }
}
