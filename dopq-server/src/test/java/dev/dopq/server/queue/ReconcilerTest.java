package dev.dopq.server.queue;

import dev.dopq.container.ContainerEvent;
import dev.dopq.container.ContainerStatus;
import dev.dopq.container.RunLostException;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** What a restarted server does with RUNNING jobs, given what the engine reports. */
class ReconcilerTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant ENDED = Instant.parse("2026-01-01T10:05:00Z");

    @TempDir
    Path work;
    private final Jobs jobs = new Jobs(new InMemoryJobStore());
    private final FakeRuntime runtime = new FakeRuntime();
    private final Launcher launcher = new Launcher(new Launcher.Surroundings(List.of(), null, null, false), "inst");
    private final List<Long> launched = new ArrayList<>();
    private final List<Long> stopped = new ArrayList<>();
    private final ContainerWatch watch = new ContainerWatch(runtime);
    private final Set<Long> starting = new HashSet<>();
    private final Reconciler reconciler = new Reconciler(jobs, runtime, watch,
            new ExitRecorder(jobs, runtime, watch, Clock.systemUTC(), false, j -> { }),
            j -> launched.add(j.id()), j -> stopped.add(j.id()), false, launcher, () -> Set.copyOf(starting),
            Clock.systemUTC());

    @Test
    void a_cancel_written_before_a_crash_stops_the_container_that_still_runs() {
        Job job = running("cancelled by ana", "c1");
        runtime.put(container(job, "c1", true, null));

        reconciler.reconcile(true);

        assertThat(stopped).containsExactly(job.id());
        assertThat(state(job)).isEqualTo(JobState.RUNNING);
    }

    @Test
    void a_cancelled_job_whose_container_never_started_ends_cancelled_without_running() {
        Job job = running("cancelled by ana", "c1");
        runtime.put(new ContainerStatus("c1", false, null, false, null, null, labels(job), launcher.containerName(job)));

        reconciler.reconcile(true);

        assertThat(runtime.started).isEmpty();
        assertThat(state(job)).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.find(job.id()).orElseThrow().reason()).isEqualTo("cancelled by ana");
    }

    @Test
    void a_running_container_without_a_cancel_is_adopted_and_left_running() {
        Job job = running(null, "c1");
        runtime.put(container(job, "c1", true, null));

        reconciler.reconcile(true);
        reconciler.reconcile(false);

        assertThat(stopped).isEmpty();
        assertThat(launched).isEmpty();
        assertThat(state(job)).isEqualTo(JobState.RUNNING);
        assertThat(jobs.store().events(job.id())).filteredOn(e -> e.reason() != null
                        && e.reason().startsWith("re-adopted after a server restart"))
                .singleElement().satisfies(e -> {
                    assertThat(e.from()).isEqualTo(JobState.RUNNING);
                    assertThat(e.to()).isEqualTo(JobState.RUNNING);
                });
    }

    @Test
    void a_container_that_exited_while_the_server_was_down_gives_the_job_its_exit_code() {
        Job job = running(null, "c1");
        runtime.put(container(job, "c1", false, 7));

        reconciler.reconcile(true);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.exitCode()).isEqualTo(7);
        assertThat(jobs.store().attempts(job.id())).hasSize(1);
    }

    @Test
    void a_job_that_crashed_before_its_container_was_recorded_adopts_the_container_by_name() {
        Job job = running(null, null);
        runtime.put(container(job, "c1", true, null));

        reconciler.reconcile(true);

        assertThat(launched).isEmpty();
        assertThat(jobs.find(job.id()).orElseThrow().containerId()).isEqualTo("c1");
    }

    @Test
    void a_job_that_crashed_before_its_container_was_created_gets_one_launch() {
        Job job = running(null, null);

        reconciler.reconcile(true);

        assertThat(launched).containsExactly(job.id());
    }

    @Test
    void a_job_whose_start_is_in_flight_is_neither_launched_again_nor_its_created_container_started() {
        Job withoutContainer = running(null, null);
        Job created = running(null, "c1");
        runtime.put(new ContainerStatus("c1", false, null, false, null, null, labels(created),
                launcher.containerName(created)));
        starting.add(withoutContainer.id());
        starting.add(created.id());

        reconciler.reconcile(false);

        assertThat(launched).isEmpty();
        assertThat(runtime.started).isEmpty();
        assertThat(state(created)).isEqualTo(JobState.RUNNING);
    }

    @Test
    void a_job_whose_start_ends_while_the_containers_are_listed_is_left_to_its_starter() {
        Job job = running(null, null);
        starting.add(job.id());
        // the start ends (container created and started) after the reconcile took its snapshot
        runtime.onList = () -> starting.remove(job.id());

        reconciler.reconcile(false);

        assertThat(launched).isEmpty();
    }

    @Test
    void containers_a_crash_left_behind_an_ended_job_are_removed_at_start_and_then_its_image() {
        List<Long> imagesRemoved = new ArrayList<>();
        Reconciler removing = new Reconciler(jobs, runtime, watch,
                new ExitRecorder(jobs, runtime, watch, Clock.systemUTC(), true, j -> imagesRemoved.add(j.id())),
                j -> launched.add(j.id()), j -> stopped.add(j.id()), true, launcher, Set::of, Clock.systemUTC());
        Job ended = jobs.insert(aJob().state(JobState.FAILED).attempt(2).exitCode(3).finishedAt(ENDED)
                .workDir(work.toString()).build(), "test");
        runtime.put(new ContainerStatus("c1", false, 3, false, STARTED, ENDED, labels(ended), "attempt-1"));
        runtime.put(new ContainerStatus("c2", false, 3, false, STARTED, ENDED, labels(ended), "attempt-2"));

        removing.reconcile(true);

        assertThat(runtime.removed).containsExactlyInAnyOrder("c1", "c2");
        assertThat(imagesRemoved).containsExactly(ended.id());
    }

    @Test
    void a_run_lost_with_its_node_goes_back_to_the_queue_recorded_with_the_node_and_without_using_a_retry() {
        Job job = running(null, "42");
        runtime.lost.put("42", new RunLostException("42", "n1", "node n1 failed (Slurm: NODE_FAIL)"));

        reconciler.reconcile(false);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempt()).isEqualTo(2);
        assertThat(after.maxRetries()).isEqualTo(job.maxRetries());
        assertThat(after.lostAttempts()).isEqualTo(1);
        assertThat(after.requeueCause()).isEqualTo(dev.dopq.server.core.RequeueCause.NODE_LOST);
        assertThat(after.attempt() - after.lostAttempts()).isEqualTo(job.attempt());
        assertThat(after.gpus()).isEmpty();
        assertThat(after.containerId()).isNull();
        assertThat(after.reason()).isEqualTo("attempt 1 lost on node n1: node n1 failed (Slurm: NODE_FAIL);"
                + " re-queued without using a retry");
        assertThat(jobs.store().attempts(job.id())).singleElement().satisfies(a -> {
            assertThat(a.containerId()).isEqualTo("42");
            assertThat(a.reason()).contains("lost on node n1");
        });
    }

    @Test
    void a_lost_run_of_a_job_someone_cancelled_ends_it_cancelled() {
        Job job = running("cancelled by ana", "42");
        runtime.lost.put("42", new RunLostException("42", "n1", "node n1 failed (Slurm: NODE_FAIL)"));

        reconciler.reconcile(false);

        assertThat(state(job)).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.find(job.id()).orElseThrow().reason()).isEqualTo("cancelled by ana");
    }

    @Test
    void a_run_that_reports_its_node_puts_the_node_and_its_real_gpus_on_the_job() {
        Job job = running(null, "42");
        Map<String, String> labels = new java.util.HashMap<>(labels(job));
        labels.put(Launcher.LABEL_NODE, "n2");
        labels.put(Launcher.LABEL_GPUS, "n2:1");
        runtime.put(new ContainerStatus("42", true, null, false, STARTED, null, labels, launcher.containerName(job)));

        reconciler.reconcile(false);

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.RUNNING);
        assertThat(after.engine()).isEqualTo("n2");
        assertThat(after.gpus()).containsExactly("n2:1");
    }

    @Test
    void a_die_event_with_exit_code_0_records_success_at_the_events_time_without_an_inspect() {
        Job job = running(null, "c1");
        runtime.put(container(job, "c1", false, 0));
        Instant died = ENDED.plusMillis(250);

        reconciler.containerDied("c1", new ContainerEvent(ContainerEvent.Kind.DIE, "c1", 0, labels(job), died));

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(after.exitCode()).isZero();
        assertThat(after.finishedAt()).isEqualTo(died);
        assertThat(jobs.store().attempts(job.id())).singleElement()
                .satisfies(a -> assertThat(a.finishedAt()).isEqualTo(died));
        assertThat(runtime.inspected).isEmpty();
    }

    @Test
    void a_die_event_with_another_exit_code_or_none_is_inspected_for_the_oom_flag_and_the_engines_finish_time() {
        Job oom = running(null, "c1");
        runtime.put(new ContainerStatus("c1", false, 137, true, STARTED, ENDED, labels(oom), "n1"));
        Job noEvent = running(null, "c2");
        runtime.put(container(noEvent, "c2", false, 0));

        reconciler.containerDied("c1", new ContainerEvent(ContainerEvent.Kind.DIE, "c1", 137, labels(oom), ENDED));
        reconciler.containerDied("c2", null);

        assertThat(runtime.inspected).containsExactly("c1", "c2");
        Job killed = jobs.find(oom.id()).orElseThrow();
        assertThat(killed.state()).isEqualTo(JobState.FAILED);
        assertThat(killed.reason()).containsIgnoringCase("memory");
        assertThat(state(noEvent)).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void a_die_event_with_exit_code_0_of_a_job_with_a_memory_limit_is_inspected_for_an_oom_kill_the_shell_outlived() {
        Job limited = jobs.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(STARTED).attempt(1)
                .memoryBytes(32L << 20).containerId("c1").build(), "t");
        runtime.put(new ContainerStatus("c1", false, 0, true, STARTED, ENDED, labels(limited), "n1"));

        reconciler.containerDied("c1", new ContainerEvent(ContainerEvent.Kind.DIE, "c1", 0, labels(limited), ENDED));

        assertThat(runtime.inspected).containsExactly("c1");
        Job after = jobs.find(limited.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.exitCode()).isEqualTo(137);
    }

    @Test
    void a_die_event_of_a_container_of_another_server_changes_nothing() {
        Job job = running(null, "c1");
        Map<String, String> foreign = Map.of(Launcher.LABEL_JOB, Long.toString(job.id()), Launcher.LABEL_INSTANCE,
                "other");

        reconciler.containerDied("c1", new ContainerEvent(ContainerEvent.Kind.DIE, "c1", 0, foreign, ENDED));

        assertThat(state(job)).isEqualTo(JobState.RUNNING);
    }

    private Job running(String stopReason, String containerId) {
        return jobs.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(STARTED).attempt(1)
                .stopRequestedAt(stopReason == null ? null : STARTED)
                .killAt(stopReason == null ? null : STARTED.plusSeconds(30)).stopReason(stopReason)
                .containerId(containerId).workDir(work.toString()).build(), "test");
    }

    private ContainerStatus container(Job job, String id, boolean running, Integer exitCode) {
        return new ContainerStatus(id, running, exitCode, false, STARTED, running ? null : ENDED, labels(job),
                launcher.containerName(job));
    }

    private Map<String, String> labels(Job job) {
        return Map.of(Launcher.LABEL_JOB, Long.toString(job.id()), Launcher.LABEL_INSTANCE, "inst");
    }

    private JobState state(Job job) {
        return jobs.find(job.id()).orElseThrow().state();
    }
}
