package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Jobs with {@code gpu_memory} share a GPU while what they asked fits its memory; exclusive jobs never share. */
class SchedulerSharingTest {
    private static final long G = 1024L * 1024 * 1024;
    private static final Map<String, Long> TWO_24G = Map.of("0", 24 * G, "1", 24 * G);
    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private Job sharing(long id, long gb) {
        return aJob().id(id).user("u" + id).gpuMemory(gb * G).submittedAt(clock.instant().minusSeconds(1000 - id))
                .build();
    }

    private Job exclusive(long id, int gpus) {
        return aJob().id(id).user("u" + id).gpusRequested(gpus).submittedAt(clock.instant().minusSeconds(1000 - id))
                .build();
    }

    private Job runningShared(long id, long gb, String gpu, Duration timeout) {
        return aJob().id(id).user("r" + id).gpuMemory(gb * G).state(JobState.RUNNING).gpus(List.of(gpu))
                .startedAt(clock.instant().minus(Duration.ofMinutes(10))).timeout(timeout).build();
    }

    private Job runningWhole(long id, String gpu, Duration timeout) {
        return aJob().id(id).user("r" + id).state(JobState.RUNNING).gpus(List.of(gpu))
                .startedAt(clock.instant().minus(Duration.ofMinutes(10))).timeout(timeout).build();
    }

    /** The full decision, checked against a dispatch from the index (same starts, same held GPUs). */
    private Decision decide(List<Job> queued, List<Job> running, List<String> free, Map<String, Long> memory) {
        Decision d = scheduler.decide(queued, running, free, memory, FixedPenalties.none(), QuotaState.NONE,
                clock.instant(), false);
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);
        Dispatch dispatch = scheduler.dispatch(index, running, free, memory, FixedPenalties.none(), QuotaState.NONE,
                clock.instant());
        assertThat(dispatch.starts()).as("dispatch starts").isEqualTo(d.starts());
        assertThat(dispatch.held()).as("dispatch holds").isEqualTo(d.held());
        return d;
    }

    private static List<String> placed(Decision d) {
        return d.starts().stream().map(p -> p.job().id() + "@" + String.join(",", p.gpus())).toList();
    }

    @Test
    void four_jobs_asking_10g_run_two_per_24g_gpu() {
        Decision d = decide(List.of(sharing(1, 10), sharing(2, 10), sharing(3, 10), sharing(4, 10)), List.of(),
                List.of("0", "1"), TWO_24G);

        assertThat(placed(d)).containsExactly("1@0", "2@0", "3@1", "4@1");
        assertThat(d.starts()).allSatisfy(p -> assertThat(p.gpuShare()).isCloseTo(10.0 / 24, within(1e-9)));
    }

    @Test
    void a_sharing_job_goes_onto_the_shared_gpu_with_the_least_room_that_is_enough() {
        List<Job> running = List.of(runningShared(10, 4, "0", null), runningShared(11, 16, "1", null));
        Map<String, Long> memory = Map.of("0", 24 * G, "1", 24 * G, "2", 24 * G);

        Decision small = decide(List.of(sharing(1, 6)), running, List.of("2"), memory);
        Decision large = decide(List.of(sharing(1, 12)), running, List.of("2"), memory);

        assertThat(placed(small)).as("8g left on GPU 1 is the best fit").containsExactly("1@1");
        assertThat(placed(large)).as("only GPU 0 has 20g left").containsExactly("1@0");
    }

    @Test
    void a_sharing_job_takes_the_smallest_free_gpu_that_is_big_enough_when_no_shared_one_has_room() {
        Map<String, Long> memory = Map.of("0", 80 * G, "1", 24 * G, "2", 8 * G);

        Decision d = decide(List.of(sharing(1, 10)), List.of(), List.of("0", "1", "2"), memory);

        assertThat(placed(d)).containsExactly("1@1");
    }

    @Test
    void sharing_jobs_wait_once_what_they_ask_no_longer_fits_the_gpu() {
        List<Job> running = List.of(runningShared(10, 10, "0", null), runningShared(11, 10, "0", null));

        Decision d = decide(List.of(sharing(1, 3), sharing(2, 10)), running, List.of(), Map.of("0", 24 * G));

        assertThat(placed(d)).as("3g still fits next to 20g, 10g does not").containsExactly("1@0");
        assertThat(d.waiting().get(2L)).contains("needs 10 GiB of GPU memory, at most 1 GiB free on a GPU");
    }

    @Test
    void a_sharing_job_that_does_not_fit_keeps_smaller_ones_behind_it_off_its_gpu() {
        List<Job> running = List.of(runningShared(10, 10, "0", null), runningShared(11, 10, "0", null));

        Decision d = decide(List.of(sharing(1, 10), sharing(2, 3)), running, List.of(), Map.of("0", 24 * G));

        assertThat(d.starts()).as("3g would fit, but would push the 10g job back").isEmpty();
    }

    @Test
    void an_exclusive_job_never_goes_onto_a_gpu_that_holds_a_sharing_job() {
        List<Job> running = List.of(runningShared(10, 4, "0", null));

        Decision noneFree = decide(List.of(exclusive(1, 1)), running, List.of(), TWO_24G);
        Decision oneFree = decide(List.of(exclusive(1, 1)), running, List.of("1"), TWO_24G);

        assertThat(noneFree.starts()).isEmpty();
        assertThat(noneFree.waiting().get(1L)).contains("needs 1 GPU, 0 free");
        assertThat(placed(oneFree)).containsExactly("1@1");
    }

    @Test
    void a_sharing_job_never_goes_onto_a_gpu_an_exclusive_job_holds() {
        Decision d = decide(List.of(sharing(1, 4)), List.of(runningWhole(10, "0", null)), List.of(),
                Map.of("0", 24 * G));

        assertThat(d.starts()).isEmpty();
        assertThat(d.waiting().get(1L)).contains("needs 4 GiB of GPU memory, none free on a GPU");
    }

    @Test
    void a_job_asking_more_memory_than_any_gpu_has_or_gpus_without_memory_never_start_and_hold_nothing() {
        Decision tooBig = decide(List.of(sharing(1, 30), exclusive(2, 1)), List.of(), List.of("0", "1"), TWO_24G);
        Decision undeclared = decide(List.of(sharing(1, 4), exclusive(2, 1)), List.of(), List.of("0", "1"),
                Map.of());

        assertThat(tooBig.waiting().get(1L))
                .contains("needs 30 GiB of GPU memory but this machine has at most 24 GiB on a GPU");
        assertThat(undeclared.waiting().get(1L)).contains("no GPU with a known memory")
                .contains("[gpu] devices = 0:24g");
        assertThat(placed(tooBig)).containsExactly("2@0");
        assertThat(placed(undeclared)).containsExactly("2@0");
        assertThat(tooBig.held()).isEmpty();
    }

    @Test
    void an_exclusive_job_waiting_for_a_whole_gpu_is_not_starved_by_sharing_jobs_behind_it() {
        List<Job> running = List.of(runningShared(10, 10, "0", null), runningShared(11, 10, "1", null));
        List<Job> queued = List.of(exclusive(1, 1), sharing(2, 10), sharing(3, 10));

        Decision d = decide(queued, running, List.of(), TWO_24G);

        assertThat(d.starts()).as("both GPUs have room, but joining either would push the exclusive job back")
                .isEmpty();
        assertThat(d.waiting().get(1L)).contains("start time unknown: job 10 runs without timeout");
    }

    @Test
    void sharing_jobs_that_end_before_a_shared_gpu_frees_up_may_join_it() {
        // GPU 0 is whole again at the latest 50 minutes from now (its jobs ran 10 of their 60 minutes)
        List<Job> running = List.of(runningShared(10, 10, "0", Duration.ofMinutes(60)),
                runningShared(11, 4, "0", Duration.ofMinutes(30)));
        Job quick = sharing(2, 4).toBuilder().timeout(Duration.ofMinutes(40)).build();
        Job slow = sharing(3, 4).toBuilder().timeout(Duration.ofMinutes(90)).build();

        Decision d = decide(List.of(exclusive(1, 1), slow, quick), running, List.of(), Map.of("0", 24 * G));

        assertThat(placed(d)).containsExactly("2@0");
        assertThat(d.waiting().get(1L)).contains("enough GPUs free by 2026-01-01T12:50:00Z at the latest");
    }

    @Test
    void an_exclusive_job_starts_on_the_gpu_its_sharing_jobs_left_while_the_other_stays_shared() {
        List<Job> running = List.of(runningShared(10, 10, "1", null), runningShared(11, 10, "1", null));

        Decision d = decide(List.of(exclusive(1, 1), sharing(2, 4)), running, List.of("0"), TWO_24G);

        assertThat(placed(d)).containsExactly("1@0", "2@1");
    }

    @Test
    void a_held_sharing_job_leaves_gpus_too_small_for_it_to_others() {
        Map<String, Long> memory = Map.of("0", 24 * G, "1", 8 * G);
        List<Job> running = List.of(runningShared(10, 20, "0", null));

        Decision d = decide(List.of(sharing(1, 12), exclusive(2, 1)), running, List.of("1"), memory);

        assertThat(placed(d)).as("GPU 1 (8g) could never take the 12g job").containsExactly("2@1");
        assertThat(d.held()).isEmpty();
    }

    @Test
    void a_held_sharing_job_keeps_later_sharing_jobs_off_the_gpu_it_waits_for_unless_they_end_in_time() {
        List<Job> running = List.of(runningShared(10, 20, "0", Duration.ofMinutes(40)));
        Job quick = sharing(2, 2).toBuilder().timeout(Duration.ofMinutes(20)).build();
        Job untimed = sharing(3, 2);

        Decision d = decide(List.of(sharing(1, 12), untimed, quick), running, List.of(), Map.of("0", 24 * G));

        assertThat(placed(d)).containsExactly("2@0");
    }

    @Test
    void fair_share_charges_a_sharing_job_its_fraction_of_the_gpu() {
        PenaltyPolicy policy = PenaltyPolicy.usage(Duration.ofDays(365), 0.1);
        Instant start = clock.instant();
        Job quarter = aJob().id(1).user("ana").gpuMemory(6 * G).gpus(List.of("0")).gpuShare(0.25)
                .state(JobState.RUNNING).startedAt(start).build();
        Job whole = aJob().id(2).user("bob").gpus(List.of("1")).state(JobState.RUNNING).startedAt(start).build();

        policy.onStarted(quarter, start);
        policy.onStarted(whole, start);
        Instant later = start.plus(Duration.ofHours(1));

        assertThat(policy.penalty("ana", later)).isCloseTo(policy.penalty("bob", later) / 4, within(1e-6));
    }

    @Test
    void on_the_index_a_sharing_job_far_down_the_queue_finds_room_when_no_gpu_is_free() {
        List<Job> queued = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            queued.add(exclusive(i, 3).toBuilder().user("ana").build()); // more GPUs than there are: hold nothing
        }
        queued.add(sharing(21, 4));
        List<Job> running = List.of(runningShared(100, 10, "0", null));

        Decision d = decide(queued, running, List.of(), Map.of("0", 24 * G));

        assertThat(placed(d)).as("no whole GPU is free, yet the small job finds room").containsExactly("21@0");
    }
}
