package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntimeException;
import dev.dopq.container.EngineUnavailableException;
import dev.dopq.container.JobSpecParser;
import dev.dopq.container.SpecPolicy;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.RequeueCause;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.util.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** Starting a RUNNING job's container while the job row may change under it. */
class ContainerStarterTest {
    private static final String SPEC = JobSpecParser.parse(
            "{\"name\": \"job\", \"executor_name\": \"ana\", \"image\": \"img\"}",
            new SpecPolicy(4, 0, false, false, java.util.List.of("img"), false)).toJson();

    @TempDir
    Path work;
    private final Jobs jobs = new Jobs(new InMemoryJobStore());
    private final FakeRuntime runtime = new FakeRuntime();
    private final Stopper stopper = new Stopper(runtime);
    private final ContainerStarter starter = new ContainerStarter(jobs, runtime,
            new Launcher(new Launcher.Surroundings(List.of(), null, null, false), "inst"),
            new ContainerWatch(runtime), stopper, Duration.ofSeconds(1), Clock.systemUTC());

    @AfterEach
    void shutDown() {
        stopper.shutdown(Deadline.after(Duration.ofSeconds(5)));
    }

    @Test
    void a_started_container_is_recorded_on_the_job() {
        Job job = running();

        starter.launch(job);

        assertThat(runtime.started).containsExactly("c1");
        assertThat(jobs.find(job.id()).orElseThrow().containerId()).isEqualTo("c1");
    }

    @Test
    void a_cancel_marked_while_the_container_is_created_ends_the_job_cancelled_without_starting_it() {
        Job job = running();
        runtime.onCreate = () -> markCancelled(job.id());

        starter.launch(job);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.CANCELLED);
        assertThat(after.reason()).isEqualTo("cancelled by ana");
        assertThat(runtime.started).isEmpty();
        assertThat(runtime.removed).containsExactly("c1");
    }

    @Test
    void a_cancel_marked_just_before_the_start_stops_the_container_right_after_it() {
        Job job = running();
        runtime.onStart = () -> markCancelled(job.id());

        starter.launch(job);
        stopper.awaitIdle(Duration.ofSeconds(10));

        assertThat(runtime.stopped).containsExactly("c1");
    }

    @Test
    void a_container_the_engine_refuses_to_start_fails_the_job_with_the_engines_reason_and_is_removed() {
        Job job = running();
        runtime.onStart = () -> {
            throw new ContainerRuntimeException("cannot start container c1: no space left on device", null);
        };

        starter.launch(job);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.reason())
                .isEqualTo("could not start the container: cannot start container c1: no space left on device", null);
        assertThat(runtime.removed).containsExactly("c1");
    }

    @Test
    void a_start_the_engine_could_not_answer_re_queues_the_job_as_the_same_attempt_and_removes_its_container() {
        Job job = running();
        runtime.onStart = () -> {
            throw new EngineUnavailableException("cannot start container c1: the engine did not answer (Broken pipe)",
                    null);
        };

        starter.launch(job);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempt()).isEqualTo(1);
        assertThat(after.gpus()).isEmpty();
        assertThat(after.containerId()).isNull();
        assertThat(after.requeueCause()).isEqualTo(RequeueCause.ENGINE_UNAVAILABLE);
        assertThat(after.reason()).endsWith("cannot start container c1: the engine did not answer (Broken pipe)");
        assertThat(jobs.store().attempts(job.id())).isEmpty();
        assertThat(runtime.removed).containsExactly("c1");
    }

    @Test
    void a_create_the_engine_could_not_answer_re_queues_the_job_even_when_the_clean_up_fails_too() {
        Job job = running();
        runtime.onCreate = () -> {
            throw new EngineUnavailableException("cannot create container x: the engine did not answer", null);
        };
        runtime.onRemove = () -> {
            throw new EngineUnavailableException("cannot remove container x: the engine did not answer", null);
        };

        starter.launch(job);

        assertThat(jobs.find(job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void a_job_re_queued_for_the_engine_first_clears_a_container_the_engine_may_have_kept_under_its_name() {
        Job job = running();

        starter.launch(job, true);

        assertThat(runtime.removed).containsExactly("dopq-inst-" + job.id() + "-1");
        assertThat(runtime.started).containsExactly("c1");
    }

    @Test
    void a_cancel_marked_before_an_engine_failure_ends_the_job_cancelled_not_queued() {
        Job job = running();
        runtime.onStart = () -> {
            markCancelled(job.id());
            throw new EngineUnavailableException("cannot start container c1: the engine did not answer", null);
        };

        starter.launch(job);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.CANCELLED);
        assertThat(after.reason()).isEqualTo("cancelled by ana");
    }

    @Test
    void an_engine_that_stays_unavailable_for_one_job_start_after_start_ends_it_failed() {
        runtime.onStart = () -> {
            throw new EngineUnavailableException("cannot start container: libnetwork: endpoint exists", null);
        };
        Job job = running();
        for (int i = 0; i < ContainerStarter.MAX_ENGINE_FAILURES; i++) {
            starter.launch(job);
            Job queued = jobs.find(job.id()).orElseThrow();
            assertThat(queued.state()).isEqualTo(JobState.QUEUED);
            job = jobs.move(queued, JobState.RUNNING, "test", b -> b.gpus(List.of("0")).startedAt(Instant.now()));
        }

        starter.launch(job);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.reason()).isEqualTo("could not start the container: "
                + "cannot start container: libnetwork: endpoint exists");
    }

    private Job running() {
        return jobs.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(Instant.now()).attempt(1)
                .specJson(SPEC).workDir(work.toString()).build(), "test");
    }

    private void markCancelled(long id) {
        Job current = jobs.find(id).orElseThrow();
        jobs.change(current, "ana", b -> b.stopRequestedAt(Instant.now()).killAt(Instant.now().plusSeconds(30))
                .stopReason("cancelled by ana"));
    }
}
