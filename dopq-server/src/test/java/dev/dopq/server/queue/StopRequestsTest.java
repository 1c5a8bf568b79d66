package dev.dopq.server.queue;

import dev.dopq.container.ContainerStatus;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dopq.server.util.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class StopRequestsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final Jobs jobs = new Jobs(new InMemoryJobStore(clock));
    private final FakeRuntime runtime = new FakeRuntime();
    private final Stopper stopper = new Stopper(runtime);
    private final StopRequests stops = new StopRequests(jobs, stopper, Duration.ofSeconds(30), clock);

    @AfterEach
    void tearDown() {
        stopper.shutdown(Deadline.after(Duration.ofSeconds(5)));
    }

    @Test
    void a_cancel_marks_the_job_stopping_with_its_kill_deadline_records_an_event_and_stops_with_the_grace() {
        Job job = running();

        Job marked = stops.request(job, "ana", "cancelled by ana", false);
        stopper.awaitIdle(Duration.ofSeconds(5));

        assertThat(marked.stopping()).isTrue();
        assertThat(marked.stopRequestedAt()).isEqualTo(T0);
        assertThat(marked.killAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(marked.stopReason()).isEqualTo("cancelled by ana");
        assertThat(marked.reason()).as("the reason stays free of marks").isNull();
        assertThat(jobs.store().events(job.id())).last().satisfies(e -> {
            assertThat(e.from()).isEqualTo(JobState.RUNNING);
            assertThat(e.to()).isEqualTo(JobState.RUNNING);
            assertThat(e.actor()).isEqualTo("ana");
            assertThat(e.reason()).isEqualTo("stopping: cancelled by ana (kill in 30s)");
        });
        assertThat(runtime.graces).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void a_second_cancel_keeps_the_first_request_and_now_brings_the_kill_forward() {
        Job first = stops.request(running(), "ana", "cancelled by ana", false);
        clock.advance(Duration.ofSeconds(10));

        Job again = stops.request(first, "admin", "cancelled by admin", false);
        Job now = stops.request(again, "admin", "cancelled by admin", true);
        stopper.awaitIdle(Duration.ofSeconds(5));

        assertThat(again).isEqualTo(first);
        assertThat(now.stopReason()).isEqualTo("cancelled by ana");
        assertThat(now.stopRequestedAt()).isEqualTo(T0);
        assertThat(now.killAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(runtime.graces).containsExactlyInAnyOrder(Duration.ofSeconds(30), Duration.ZERO);
    }

    @Test
    void a_shutdown_stop_of_a_job_written_meanwhile_is_retried_on_the_current_row() {
        Job seen = running();
        jobs.change(seen, "queue", b -> b.image("changed meanwhile"));

        stops.requestRetrying(seen, "admin", "stopped by server shutdown (admin)");

        Job after = jobs.find(seen.id()).orElseThrow();
        assertThat(after.stopReason()).isEqualTo("stopped by server shutdown (admin)");
        assertThat(after.image()).isEqualTo("changed meanwhile");
    }

    private Job running() {
        runtime.put(new ContainerStatus("c1", true, null, false, T0, null, Map.of(), "c"));
        return jobs.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(T0).containerId("c1")
                .build(), "test");
    }
}
