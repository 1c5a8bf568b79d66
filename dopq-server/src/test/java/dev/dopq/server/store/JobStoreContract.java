package dev.dopq.server.store;

import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.IllegalTransitionException;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.RequeueCause;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.dopq.server.core.JobState.CANCELLED;
import static dev.dopq.server.core.JobState.FAILED;
import static dev.dopq.server.core.JobState.QUEUED;
import static dev.dopq.server.core.JobState.RECEIVED;
import static dev.dopq.server.core.JobState.REJECTED;
import static dev.dopq.server.core.JobState.RUNNING;
import static dev.dopq.server.core.JobState.SUCCEEDED;
import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link JobStore} must do; run against each implementation by a subclass. */
abstract class JobStoreContract {
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    protected final MutableClock clock = new MutableClock(T0);
    protected JobStore store;

    /** A new, empty store whose event times come from {@code clock}. */
    protected abstract JobStore newStore(Clock clock);

    @BeforeEach
    void createStore() {
        store = newStore(clock);
    }

    private Job finished(String user, JobState state, Instant finishedAt) {
        return store.insert(aJob().user(user).state(state).startedAt(finishedAt.minusSeconds(60))
                .finishedAt(finishedAt).build(), "test");
    }

    private Instant at(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void an_inserted_job_gets_an_id_and_reads_back_exactly_as_stored() {
        Job job = aJob().name("train").user("ana").gpusRequested(2).gpus(List.of("0", "3")).memoryBytes(1L << 34)
                .timeout(Duration.ofHours(2)).maxRetries(1).attempt(1).exitCode(null).reason("why not")
                .containerId("c1").workDir("/w/1").specJson("{\"name\":\"train\"}").engine("local")
                .startedAt(T0.plusNanos(123_456_789)).version(42).id(99).build();

        Job stored = store.insert(job, "provider");

        assertThat(stored.id()).isPositive();
        assertThat(stored.version()).isZero();
        assertThat(store.find(stored.id())).contains(stored);
        assertThat(stored).isEqualTo(job.toBuilder().id(stored.id()).version(0).build());
    }

    @Test
    void the_requeue_cause_and_the_lost_attempts_are_fields_that_read_back() {
        Job job = store.insert(aJob().attempt(3).lostAttempts(2).requeueCause(RequeueCause.ENGINE_RESTART).build(),
                "queue");

        Job read = store.find(job.id()).orElseThrow();
        assertThat(read.requeueCause()).isEqualTo(RequeueCause.ENGINE_RESTART);
        assertThat(read.lostAttempts()).isEqualTo(2);
        Job cleared = store.update(read.toBuilder().requeueCause(null).build(), "queue");
        assertThat(store.find(job.id()).orElseThrow().requeueCause()).isNull();
        assertThat(cleared.requeueCause()).isNull();
    }

    @Test
    void priority_hold_and_restart_of_are_fields_that_read_back_and_a_release_clears_the_hold() {
        Job job = store.insert(aJob().priority(-7).heldBy("admin").restartOf(41).build(), "api");

        Job read = store.find(job.id()).orElseThrow();
        assertThat(read.priority()).isEqualTo(-7);
        assertThat(read.heldBy()).isEqualTo("admin");
        assertThat(read.restartOf()).isEqualTo(41);
        store.update(read.toBuilder().heldBy(null).priority(12).build(), "api");
        Job released = store.find(job.id()).orElseThrow();
        assertThat(released.held()).isFalse();
        assertThat(released.priority()).isEqualTo(12);
        assertThat(store.find(store.insert(aJob().build(), "api").id()).orElseThrow())
                .satisfies(plain -> assertThat(plain.priority()).isZero())
                .satisfies(plain -> assertThat(plain.heldBy()).isNull())
                .satisfies(plain -> assertThat(plain.restartOf()).isZero());
    }

    @Test
    void a_job_whose_owner_is_not_known_yet_has_no_user_and_counts_for_nobody_when_it_ends() {
        Job job = store.insert(aJob().user(null).state(RECEIVED).build(), "provider");

        assertThat(store.find(job.id()).orElseThrow().ownerKnown()).isFalse();
        store.update(job.toBuilder().state(REJECTED).reason("no container_config.json").build(), "provider");
        assertThat(store.find(job.id()).orElseThrow().user()).isNull();
        assertThat(store.finishedCounts()).isEmpty();
        assertThat(store.history(null, null, null, 10)).extracting(Job::id).containsExactly(job.id());
    }

    @Test
    void a_stop_request_reads_back_as_written_and_makes_a_running_job_stopping() {
        Job job = store.insert(aJob().state(RUNNING).gpus(List.of("0")).startedAt(T0).containerId("c1").build(), "t");

        Job stopping = store.update(job.toBuilder().stopRequestedAt(T0.plusSeconds(5)).killAt(T0.plusSeconds(35))
                .stopReason("cancelled by ana").build(), "ana");

        Job read = store.find(job.id()).orElseThrow();
        assertThat(read).isEqualTo(stopping);
        assertThat(read.stopping()).isTrue();
        assertThat(read.killAt()).isEqualTo(T0.plusSeconds(35));
        assertThat(read.stopReason()).isEqualTo("cancelled by ana");
    }

    @Test
    void an_event_that_is_no_transition_is_kept_in_order_with_the_transitions() {
        Job job = store.insert(aJob().state(QUEUED).build(), "t");
        Job running = store.update(job.toBuilder().state(RUNNING).build(), "queue");

        store.recordEvent(new JobEvent(job.id(), T0, "reconcile", RUNNING, RUNNING, "re-adopted after a restart"));
        store.recordEvent(new JobEvent(12345, T0, "reconcile", RUNNING, RUNNING, "of a job that is gone"));
        store.update(running.toBuilder().state(CANCELLED).build(), "ana");

        assertThat(store.events(job.id())).extracting(JobEvent::reason).element(2)
                .isEqualTo("re-adopted after a restart");
        assertThat(store.events(job.id())).extracting(JobEvent::to).containsExactly(QUEUED, RUNNING, RUNNING,
                CANCELLED);
        assertThat(store.events(12345)).isEmpty();
    }

    @Test
    void ids_of_inserted_jobs_differ() {
        assertThat(store.insert(aJob().build(), "t").id()).isNotEqualTo(store.insert(aJob().build(), "t").id());
    }

    @Test
    void an_unknown_id_finds_nothing() {
        assertThat(store.find(12345)).isEmpty();
    }

    @Test
    void insert_records_a_creation_event_from_no_state() {
        Job job = store.insert(aJob().state(RECEIVED).build(), "provider");

        assertThat(store.events(job.id()))
                .containsExactly(new JobEvent(job.id(), T0, "provider", null, RECEIVED, null));
    }

    @Test
    void an_update_stores_the_change_and_bumps_the_version() {
        Job job = store.insert(aJob().state(QUEUED).build(), "t");

        Job running = store.update(job.toBuilder().state(RUNNING).gpus(List.of("1")).containerId("abc")
                .startedAt(at(1)).build(), "queue");

        assertThat(running.version()).isEqualTo(job.version() + 1);
        assertThat(store.find(job.id())).contains(running);
        assertThat(running.gpus()).containsExactly("1");
        assertThat(running.containerId()).isEqualTo("abc");
    }

    @Test
    void an_update_from_an_old_version_is_refused_as_stale_and_changes_nothing() {
        Job job = store.insert(aJob().state(QUEUED).build(), "t");
        Job cancelled = store.update(job.toBuilder().state(CANCELLED).build(), "ana");

        assertThatThrownBy(() -> store.update(job.toBuilder().state(RUNNING).build(), "queue"))
                .isInstanceOf(StaleJobException.class)
                .satisfies(e -> assertThat(((StaleJobException) e).jobId()).isEqualTo(job.id()));
        assertThat(store.find(job.id())).contains(cancelled);
        assertThat(store.events(job.id())).hasSize(2);
    }

    @Test
    void an_update_of_a_job_that_does_not_exist_is_stale() {
        assertThatThrownBy(() -> store.update(aJob().id(777).build(), "t")).isInstanceOf(StaleJobException.class);
    }

    @Test
    void a_transition_the_state_machine_forbids_is_refused_and_changes_nothing() {
        Job job = store.insert(aJob().state(SUCCEEDED).finishedAt(at(1)).build(), "t");

        assertThatThrownBy(() -> store.update(job.toBuilder().state(RUNNING).build(), "queue"))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(store.find(job.id())).contains(job);
        assertThat(store.events(job.id())).hasSize(1);
    }

    @Test
    void transitions_are_recorded_in_order_with_actor_time_and_reason() {
        Job job = store.insert(aJob().state(RECEIVED).build(), "provider");
        clock.advance(Duration.ofSeconds(10));
        job = store.update(job.toBuilder().state(JobState.BUILDING).build(), "provider");
        clock.advance(Duration.ofSeconds(10));
        store.update(job.toBuilder().state(FAILED).reason("build error: no Dockerfile").build(), "builder");

        assertThat(store.events(job.id())).containsExactly(
                new JobEvent(job.id(), T0, "provider", null, RECEIVED, null),
                new JobEvent(job.id(), T0.plusSeconds(10), "provider", RECEIVED, JobState.BUILDING, null),
                new JobEvent(job.id(), T0.plusSeconds(20), "builder", JobState.BUILDING, FAILED,
                        "build error: no Dockerfile"));
    }

    @Test
    void an_update_that_keeps_the_state_writes_no_event() {
        Job job = store.insert(aJob().state(QUEUED).build(), "t");

        store.update(job.toBuilder().image("other:1").build(), "t");

        assertThat(store.events(job.id())).hasSize(1);
    }

    @Test
    void a_job_reaching_a_terminal_state_without_a_finish_time_gets_the_current_time() {
        Job job = store.insert(aJob().state(RUNNING).build(), "t");
        clock.advance(Duration.ofMinutes(5));

        Job done = store.update(job.toBuilder().state(SUCCEEDED).exitCode(0).build(), "t");

        assertThat(done.finishedAt()).isEqualTo(at(5));
    }

    @Test
    void of_racing_updates_from_the_same_version_exactly_one_wins() throws Exception {
        Job job = store.insert(aJob().state(QUEUED).build(), "t");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Boolean>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String image = "img:" + i;
            racers.add(() -> {
                try {
                    store.update(job.toBuilder().image(image).build(), "t");
                    return true;
                } catch (StaleJobException lost) {
                    return false;
                }
            });
        }
        long winners = 0;
        try {
            for (Future<Boolean> f : pool.invokeAll(racers)) {
                winners += f.get() ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(winners).isEqualTo(1);
        assertThat(store.find(job.id()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void jobs_in_states_come_by_ascending_id() {
        Job q1 = store.insert(aJob().state(QUEUED).build(), "t");
        store.insert(aJob().state(RECEIVED).build(), "t");
        Job r = store.insert(aJob().state(RUNNING).build(), "t");
        Job q2 = store.insert(aJob().state(QUEUED).build(), "t");

        assertThat(store.inStates(EnumSet.of(QUEUED, RUNNING))).containsExactly(q1, r, q2);
        assertThat(store.inStates(List.of())).isEmpty();
    }

    @Test
    void history_holds_terminal_jobs_newest_finish_first_then_highest_id() {
        Job early = finished("ana", SUCCEEDED, at(10));
        Job late = finished("bo", FAILED, at(30));
        Job sameTimeLowId = finished("ana", CANCELLED, at(20));
        Job sameTimeHighId = finished("bo", SUCCEEDED, at(20));
        store.insert(aJob().state(RUNNING).build(), "t");

        assertThat(store.history(null, null, null, 10)).containsExactly(late, sameTimeHighId, sameTimeLowId, early);
    }

    @Test
    void history_pages_follow_each_other_without_gaps_or_repeats_when_jobs_finish_out_of_id_order() {
        List<Job> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(finished("ana", SUCCEEDED, at(100 - (i % 3) * 10 - i)));
        }
        expected.sort(java.util.Comparator.comparing(Job::finishedAt).thenComparingLong(Job::id).reversed());

        List<Job> seen = new ArrayList<>();
        Long cursor = null;
        for (List<Job> page = store.history(null, null, null, 3); !page.isEmpty();
             page = store.history(null, null, cursor, 3)) {
            assertThat(page.size()).isLessThanOrEqualTo(3);
            seen.addAll(page);
            cursor = page.get(page.size() - 1).id();
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void history_can_be_limited_to_one_user_and_to_jobs_finished_since_a_time() {
        finished("ana", SUCCEEDED, at(10));
        Job anaLate = finished("ana", REJECTED, at(30));
        Job boLate = finished("bo", SUCCEEDED, at(40));

        assertThat(store.history("ana", null, null, 10)).extracting(Job::user).containsOnly("ana").hasSize(2);
        assertThat(store.history(null, at(30), null, 10)).containsExactly(boLate, anaLate);
        assertThat(store.history("ana", at(30), null, 10)).containsExactly(anaLate);
        assertThat(store.history(null, null, null, 0)).isEmpty();
    }

    @Test
    void finished_counts_are_per_user_and_ignore_active_jobs() {
        finished("ana", SUCCEEDED, at(1));
        finished("ana", FAILED, at(2));
        finished("bo", CANCELLED, at(3));
        store.insert(aJob().user("cy").state(RUNNING).build(), "t");

        assertThat(store.finishedCounts()).isEqualTo(Map.of("ana", 2, "bo", 1));
    }

    @Test
    void finished_counts_follow_jobs_that_finish_later_and_history_clearing() {
        Job running = store.insert(aJob().user("ana").state(RUNNING).build(), "t");
        finished("bo", SUCCEEDED, at(1));
        clock.set(at(5));
        Job done = store.update(running.toBuilder().state(SUCCEEDED).build(), "t");
        store.update(done.toBuilder().reason("noted").build(), "t");

        assertThat(store.finishedCounts()).isEqualTo(Map.of("ana", 1, "bo", 1));

        store.clearHistory(at(3));

        assertThat(store.finishedCounts()).isEqualTo(Map.of("ana", 1));
    }

    @Test
    void replay_streams_started_terminal_jobs_oldest_finish_first_since_a_time() {
        Job second = finished("ana", SUCCEEDED, at(20));
        Job first = finished("bo", FAILED, at(10));
        Job third = finished("ana", CANCELLED, at(30));
        finished("ana", SUCCEEDED, at(5));
        store.insert(aJob().state(REJECTED).finishedAt(at(15)).build(), "t"); // never started
        store.insert(aJob().state(RUNNING).startedAt(at(1)).build(), "t");

        List<Job> replayed = new ArrayList<>();
        store.replayFinished(at(10), replayed::add);

        assertThat(replayed).containsExactly(first, second, third);
    }

    @Test
    void replay_without_a_start_time_streams_all_started_terminal_jobs() {
        finished("ana", SUCCEEDED, at(20));
        finished("bo", FAILED, at(10));

        List<Job> replayed = new ArrayList<>();
        store.replayFinished(null, replayed::add);

        assertThat(replayed).extracting(Job::finishedAt).containsExactly(at(10), at(20));
    }

    @Test
    void attempts_are_kept_by_number_and_recording_one_again_replaces_it() {
        Job job = store.insert(aJob().state(RUNNING).build(), "t");
        Attempt second = new Attempt(job.id(), 2, "c2", List.of("1"), at(5), at(6), 0, null);
        Attempt firstTry = new Attempt(job.id(), 1, "c1", List.of("0", "1"), at(1), null, null, null);
        Attempt first = new Attempt(job.id(), 1, "c1", List.of("0", "1"), at(1), at(2), 137, "out of memory");

        store.recordAttempt(second);
        store.recordAttempt(firstTry);
        store.recordAttempt(first);

        assertThat(store.attempts(job.id())).containsExactly(first, second);
        assertThat(store.attempts(job.id() + 1)).isEmpty();
    }

    @Test
    void an_attempt_written_with_its_jobs_move_is_stored_with_it_and_a_stale_move_stores_neither() {
        Job job = store.insert(aJob().state(JobState.RUNNING).gpus(List.of("0")).startedAt(at(1)).attempt(1)
                .build(), "t");
        Attempt ended = new Attempt(job.id(), 1, "c1", List.of("0"), at(1), at(2), 0, null);
        Job stale = job.toBuilder().version(job.version() + 5).state(JobState.SUCCEEDED).build();

        assertThatThrownBy(() -> store.update(stale, "queue", ended)).isInstanceOf(StaleJobException.class);
        assertThat(store.attempts(job.id())).isEmpty();

        Job after = store.update(job.toBuilder().state(JobState.SUCCEEDED).exitCode(0).finishedAt(at(2)).build(),
                "queue", ended);
        assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.attempts(job.id())).containsExactly(ended);
        assertThat(store.events(job.id())).extracting(JobEvent::to).endsWith(JobState.SUCCEEDED);
    }

    @Test
    void an_attempt_of_an_unknown_job_is_refused() {
        assertThatThrownBy(() -> store.recordAttempt(new Attempt(404, 1, "c", List.of(), T0, T0, 0, null)))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void clearing_history_before_a_time_removes_older_terminal_jobs_with_their_events_and_attempts() {
        Job old = finished("ana", SUCCEEDED, at(10));
        store.recordAttempt(new Attempt(old.id(), 1, "c", List.of(), at(9), at(10), 0, null));
        Job recent = finished("ana", FAILED, at(30));
        Job active = store.insert(aJob().state(QUEUED).build(), "t");

        assertThat(store.clearHistory(at(20))).isEqualTo(1);

        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.events(old.id())).isEmpty();
        assertThat(store.attempts(old.id())).isEmpty();
        assertThat(store.find(recent.id())).contains(recent);
        assertThat(store.find(active.id())).contains(active);
    }

    @Test
    void clearing_all_history_keeps_only_active_jobs() {
        finished("ana", SUCCEEDED, at(10));
        finished("bo", REJECTED, at(30));
        Job active = store.insert(aJob().state(RUNNING).build(), "t");

        assertThat(store.clearHistory(null)).isEqualTo(2);

        assertThat(store.history(null, null, null, 10)).isEmpty();
        assertThat(store.inStates(EnumSet.allOf(JobState.class))).containsExactly(active);
    }

    @Test
    void the_jobs_beyond_the_newest_kept_come_oldest_first_and_only_when_finished_before_the_cutoff() {
        Job oldest = finished("ana", SUCCEEDED, at(10));
        Job sameTimeLowerId = finished("bo", FAILED, at(20));
        Job sameTimeHigherId = finished("ana", CANCELLED, at(20));
        Job newest = finished("cy", REJECTED, at(40));
        store.insert(aJob().state(RUNNING).build(), "t");

        assertThat(store.finishedBeyond(2, at(100), 10)).containsExactly(oldest, sameTimeLowerId);
        assertThat(store.finishedBeyond(1, at(100), 2)).containsExactly(oldest, sameTimeLowerId);
        assertThat(store.finishedBeyond(1, at(15), 10)).as("finished before the cutoff only").containsExactly(oldest);
        assertThat(store.finishedBeyond(4, at(100), 10)).isEmpty();
        assertThat(store.finishedBeyond(0, at(100), 10)).containsExactly(oldest, sameTimeLowerId, sameTimeHigherId,
                newest);
    }

    @Test
    void deleting_finished_jobs_takes_their_events_and_attempts_and_never_an_active_job() {
        Job done = finished("ana", SUCCEEDED, at(10));
        store.recordAttempt(new Attempt(done.id(), 1, "c", List.of(), at(9), at(10), 0, null));
        Job kept = finished("ana", FAILED, at(20));
        Job active = store.insert(aJob().user("ana").state(RUNNING).build(), "t");

        assertThat(store.deleteFinished(List.of(done.id(), active.id(), 999L))).isEqualTo(1);

        assertThat(store.find(done.id())).isEmpty();
        assertThat(store.events(done.id())).isEmpty();
        assertThat(store.attempts(done.id())).isEmpty();
        assertThat(store.find(active.id())).contains(active);
        assertThat(store.find(kept.id())).contains(kept);
        assertThat(store.finishedCounts()).containsEntry("ana", 1);
    }

    @Test
    void the_jobs_of_an_array_are_found_by_its_id_in_any_state() {
        Job first = store.insert(aJob().state(QUEUED).build(), "test");
        Job member = store.insert(aJob().state(QUEUED).arrayId(first.id()).arrayIndex(1).maxParallel(2).build(),
                "test");
        store.insert(aJob().state(QUEUED).build(), "test");
        Job firstInArray = store.update(first.toBuilder().arrayId(first.id()).build(), "test");

        assertThat(store.arrayMembers(first.id())).containsExactly(firstInArray, member);
        assertThat(store.arrayMembers(first.id()).get(1).maxParallel()).isEqualTo(2);
        assertThat(store.arrayMembers(0)).isEmpty();
    }

    @Test
    void a_job_queued_with_others_links_them_by_place_and_writes_all_of_them() {
        Job old = store.insert(aJob().state(SUCCEEDED).name("old").build(), "test");
        Job first = store.insert(aJob().state(JobState.BUILDING).name("prep").build(), "test");
        List<LinkedJob> others = List.of(
                new LinkedJob(aJob().name("train").after(List.of(old.id())).build(), List.of(0), List.of()),
                new LinkedJob(aJob().name("eval").build(), List.of(1), List.of(0)));

        List<Job> stored = store.updateAndInsert(first.toBuilder().state(QUEUED).build(), others, "provider");

        assertThat(stored).extracting(Job::name).containsExactly("prep", "train", "eval");
        Job train = stored.get(1);
        Job eval = stored.get(2);
        assertThat(stored.get(0).version()).isEqualTo(first.version() + 1);
        assertThat(train.after()).containsExactly(old.id(), first.id());
        assertThat(eval.after()).containsExactly(train.id());
        assertThat(eval.afterAny()).containsExactly(first.id());
        assertThat(store.find(eval.id())).contains(eval);
        assertThat(store.events(first.id())).extracting(JobEvent::to).containsExactly(JobState.BUILDING, QUEUED);
        assertThat(store.events(train.id())).extracting(JobEvent::to).containsExactly(QUEUED);
    }

    @Test
    void a_stale_job_queued_with_others_writes_none_of_them() {
        Job first = store.insert(aJob().state(JobState.BUILDING).name("prep").build(), "test");
        Job deleted = store.update(first.toBuilder().state(CANCELLED).build(), "owner");
        List<Job> before = store.inStates(EnumSet.allOf(JobState.class));

        assertThatThrownBy(() -> store.updateAndInsert(first.toBuilder().state(QUEUED).build(),
                List.of(new LinkedJob(aJob().name("train").build(), List.of(0), List.of())), "provider"))
                .isInstanceOf(StaleJobException.class);

        assertThat(store.inStates(EnumSet.allOf(JobState.class))).containsExactlyElementsOf(before);
        assertThat(store.find(first.id())).contains(deleted);
    }

    @Test
    void a_job_naming_a_place_not_before_its_own_writes_nothing() {
        Job first = store.insert(aJob().state(JobState.BUILDING).name("prep").build(), "test");

        assertThatThrownBy(() -> store.updateAndInsert(first.toBuilder().state(QUEUED).build(), List.of(
                new LinkedJob(aJob().name("train").build(), List.of(0), List.of()),
                new LinkedJob(aJob().name("eval").build(), List.of(2), List.of())), "provider"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("place 2");

        assertThat(store.find(first.id())).contains(first);
        assertThat(store.inStates(EnumSet.allOf(JobState.class))).containsExactly(first);
        assertThat(store.events(first.id())).hasSize(1);
    }

    @Test
    void what_a_sharing_job_asked_and_the_fraction_it_is_charged_are_kept() {
        Job shared = store.insert(aJob().state(QUEUED).gpuMemory(10L << 30).build(), "test");
        Job started = store.update(shared.toBuilder().state(JobState.RUNNING).gpus(java.util.List.of("0"))
                .gpuShare(10.0 / 24).build(), "test");

        assertThat(store.find(shared.id()).orElseThrow().gpuMemory()).isEqualTo(10L << 30);
        assertThat(store.find(started.id())).contains(started);
        assertThat(store.find(started.id()).orElseThrow().gpuShare()).isEqualTo(10.0 / 24);
    }
}
