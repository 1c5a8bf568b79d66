package dev.dopq.server.queue;

import dev.dopq.container.ContainerStatus;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** How the end of a container becomes the job's outcome. */
class ExitRecorderTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant ENDED = Instant.parse("2026-01-01T10:05:00Z");

    @TempDir
    Path work;
    private final Jobs jobs = new Jobs(new InMemoryJobStore());
    private final FakeRuntime runtime = new FakeRuntime();
    private final ExitRecorder exits = new ExitRecorder(jobs, runtime, new ContainerWatch(runtime),
            Clock.systemUTC(), false, j -> { });

    @Test
    void a_cancel_marked_while_the_exit_is_recorded_still_ends_the_job_cancelled() {
        Job seen = running(0);
        // the cancel lands between the queue reading the job and writing its outcome
        jobs.change(seen, "ana", b -> b.stopRequestedAt(Instant.now()).killAt(Instant.now().plusSeconds(30))
                .stopReason("cancelled by ana"));

        boolean changed = exits.containerEnded(seen, exited(143));

        Job after = jobs.find(seen.id()).orElseThrow();
        assertThat(changed).isTrue();
        assertThat(after.state()).isEqualTo(JobState.CANCELLED);
        assertThat(after.reason()).isEqualTo("cancelled by ana");
    }

    @Test
    void the_same_exit_reported_twice_ends_the_job_once() {
        Job job = running(0);

        boolean first = exits.containerEnded(job, exited(3));
        boolean second = exits.containerEnded(jobs.find(job.id()).orElseThrow(), exited(3));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(jobs.store().events(job.id())).filteredOn(e -> e.to() == JobState.FAILED).hasSize(1);
        assertThat(jobs.store().attempts(job.id())).hasSize(1);
    }

    @Test
    void a_failed_attempt_with_retries_left_is_queued_again_as_the_next_attempt() {
        Job job = running(1);

        exits.containerEnded(job, exited(3));

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempt()).isEqualTo(2);
        assertThat(after.gpus()).isEmpty();
        assertThat(after.containerId()).isNull();
        assertThat(jobs.store().attempts(job.id())).singleElement()
                .satisfies(a -> assertThat(a.exitCode()).isEqualTo(3));
    }

    @Test
    void a_stopping_job_whose_container_vanished_ends_cancelled_not_retried() {
        Job job = running(2);
        Job stopping = jobs.change(job, "ana", b -> b.stopRequestedAt(STARTED.plusSeconds(5))
                .killAt(STARTED.plusSeconds(35)).stopReason("cancelled by ana"));

        exits.containerGone(stopping, "disappeared while the job ran");

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.CANCELLED);
        assertThat(after.reason()).isEqualTo("cancelled by ana");
        assertThat(after.attempt()).isEqualTo(1);
    }

    @Test
    void a_sigterm_exit_nobody_asked_for_waits_a_few_seconds_for_an_engine_stop_to_show_then_is_recorded() {
        dev.dopq.server.testutil.MutableClock clock = new dev.dopq.server.testutil.MutableClock(ENDED.plusSeconds(1));
        ExitRecorder recorder = new ExitRecorder(jobs, runtime, new ContainerWatch(runtime), clock, false, j -> { });
        Job job = running(0);

        assertThat(recorder.containerEnded(job, exited(143))).as("too early to tell").isFalse();
        assertThat(jobs.find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        clock.advance(EngineOutages.SLACK);
        assertThat(recorder.containerEnded(job, exited(143))).isTrue();
        assertThat(jobs.find(job.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    private Job running(int retries) {
        return jobs.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(STARTED).attempt(1)
                .maxRetries(retries).containerId("c1").workDir(work.toString()).build(), "test");
    }

    private static ContainerStatus exited(int code) {
        return new ContainerStatus("c1", false, code, false, STARTED, ENDED, Map.of(), "c");
    }
}
