package dev.dopq.server.queue;

import dev.dopq.container.ContainerRuntimeException;
import dev.dopq.container.JobSpecParser;
import dev.dopq.container.SpecPolicy;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
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
            new SpecPolicy(4, 0, false, false)).toJson();

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
        stopper.shutdown();
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

    private Job running() {
        return jobs.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(Instant.now()).attempt(1)
                .specJson(SPEC).workDir(work.toString()).build(), "test");
    }

    private void markCancelled(long id) {
        Job current = jobs.find(id).orElseThrow();
        jobs.change(current, "ana", b -> b.reason(Outcomes.CANCEL_MARK + "ana"));
    }
}
