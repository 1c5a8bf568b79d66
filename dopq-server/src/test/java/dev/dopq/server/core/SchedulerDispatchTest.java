package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerDispatchTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private static QueueIndex indexOf(List<Job> queued) {
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);
        return index;
    }

    @Test
    void with_one_free_gpu_the_dispatch_looks_only_at_the_job_that_takes_it() {
        List<Job> queued = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            queued.add(aJob().id(i).user("u" + i % 7).submittedAt(NOW.minusSeconds(1000 - i)).build());
        }

        Dispatch d = scheduler.dispatch(indexOf(queued), List.of(), List.of("0"), FixedPenalties.none(), NOW);

        assertThat(d.starts()).extracting(p -> p.job().id()).containsExactly(1L);
        assertThat(d.considered()).isEqualTo(1);
    }

    @Test
    void a_held_job_that_no_later_job_can_backfill_ends_the_walk() {
        Job big = aJob().id(1).user("ana").gpusRequested(2).submittedAt(NOW.minusSeconds(99)).build();
        List<Job> queued = new ArrayList<>(List.of(big));
        for (int i = 2; i <= 300; i++) {
            queued.add(aJob().id(i).user("bob").submittedAt(NOW.minusSeconds(99 - i / 10)).build());
        }
        Job running = aJob().id(900).user("carl").state(JobState.RUNNING).gpus(List.of("0"))
                .startedAt(NOW.minusSeconds(60)).timeout(Duration.ofHours(1)).build();

        Dispatch d = scheduler.dispatch(indexOf(queued), List.of(running), List.of("1"), FixedPenalties.none(), NOW);

        assertThat(d.starts()).isEmpty();
        assertThat(d.held()).containsEntry("1", 1L);
        assertThat(d.considered()).isEqualTo(1);
    }

    @Test
    void cpu_only_jobs_far_down_the_queue_start_even_when_the_walk_stopped_early() {
        List<Job> queued = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            queued.add(aJob().id(i).user("ana").gpusRequested(i % 25 == 0 ? 0 : 1)
                    .submittedAt(NOW.minusSeconds(100 - i)).build());
        }

        Dispatch d = scheduler.dispatch(indexOf(queued), List.of(), List.of("0"), FixedPenalties.none(), NOW);

        assertThat(d.starts()).extracting(p -> p.job().id()).containsExactly(1L, 25L, 50L);
    }

    @Test
    void on_random_queues_the_dispatch_starts_and_holds_exactly_what_the_full_decision_does() {
        Random random = new Random(3);
        int emptyQueues = 0;
        int longQueues = 0;
        int quotaWaits = 0;
        int parallelWaits = 0;
        int sharedStarts = 0;
        int sharedJoins = 0;
        int sharingWaits = 0;
        long g = 1024L * 1024 * 1024;
        long[] asks = {2 * g, 6 * g, 10 * g, 16 * g, 30 * g};
        long[] sizes = {0, 8 * g, 24 * g, 24 * g, 40 * g}; // 0: declared without memory
        for (int round = 0; round < 400; round++) {
            FixedPenalties penalties = FixedPenalties.none();
            for (int u = 0; u < 5; u++) {
                penalties = penalties.with("u" + u, random.nextInt(3));
            }
            List<Job> queued = new ArrayList<>();
            int size = random.nextInt(40);
            emptyQueues += size == 0 ? 1 : 0;
            longQueues += size >= 30 ? 1 : 0;
            for (int i = 0; i < size; i++) {
                int array = random.nextInt(4); // 0: none; arrays 1..3 bound to 1..3 parallel runs
                boolean shares = random.nextInt(3) == 0;
                queued.add(aJob().id(i + 1L).user("u" + random.nextInt(5))
                        .gpuMemory(shares ? asks[random.nextInt(asks.length)] : 0)
                        .submittedAt(NOW.minusSeconds(random.nextInt(20))).gpusRequested(shares ? 1 : random.nextInt(5))
                        .timeout(random.nextBoolean() ? null : Duration.ofMinutes(10L * random.nextInt(12)))
                        .arrayId(array == 0 ? 0 : 1000 + array).maxParallel(array)
                        .build());
            }
            List<String> all = List.of("0", "1", "2", "3");
            List<Job> running = new ArrayList<>();
            List<String> free = new ArrayList<>();
            Map<String, Long> memory = new HashMap<>();
            for (String gpu : all) {
                long bytes = sizes[random.nextInt(sizes.length)];
                if (bytes > 0) {
                    memory.put(gpu, bytes);
                }
                int kind = random.nextInt(5);
                if (kind == 4) {
                    // a GPU shared by one to three jobs (sometimes more than fits: a foreign process grew)
                    for (int k = random.nextInt(3); k >= 0; k--) {
                        running.add(aJob().id(100 + running.size()).user("u" + random.nextInt(5))
                                .gpuMemory(asks[random.nextInt(3)]).state(JobState.RUNNING).gpus(List.of(gpu))
                                .startedAt(NOW.minusSeconds(60L * random.nextInt(100)))
                                .timeout(random.nextBoolean() ? null : Duration.ofMinutes(30L * random.nextInt(6)))
                                .build());
                    }
                } else if (kind == 0) {
                    free.add(gpu);
                } else if (kind < 3) {
                    int array = random.nextInt(4);
                    running.add(aJob().id(100 + running.size()).user("u" + random.nextInt(5))
                            .arrayId(array == 0 ? 0 : 1000 + array).maxParallel(array)
                            .state(JobState.RUNNING).gpus(List.of(gpu))
                            .startedAt(NOW.minusSeconds(60L * random.nextInt(100)))
                            .timeout(kind == 1 ? null : Duration.ofMinutes(30L * random.nextInt(6))).build());
                }
            }

            QuotaState quotas = round % 2 == 0 ? QuotaState.NONE : randomQuotas(random);

            Decision full = scheduler.decide(queued, running, free, memory, penalties, quotas, NOW, false);
            Dispatch d = scheduler.dispatch(indexOf(queued), running, free, memory, penalties, quotas, NOW);

            assertThat(d.starts()).as("round %d", round).isEqualTo(full.starts());
            assertThat(d.held()).as("round %d", round).isEqualTo(full.held());
            quotaWaits += (int) full.waiting().values().stream().filter(r -> r.contains("quota:")).count();
            parallelWaits += (int) full.waiting().values().stream().filter(r -> r.contains("max_parallel")).count();
            sharedStarts += (int) full.starts().stream().filter(p -> p.job().sharesGpu()).count();
            sharedJoins += (int) full.starts().stream().filter(p -> p.job().sharesGpu()
                    && running.stream().anyMatch(r -> r.sharesGpu() && r.gpus().equals(p.gpus()))).count();
            sharingWaits += (int) full.waiting().values().stream().filter(r -> r.contains("of GPU memory")).count();
        }
        // the worlds cover the range: empty queues and long ones
        assertThat(emptyQueues).isPositive();
        assertThat(longQueues).isGreaterThan(50);
        assertThat(quotaWaits).as("jobs held back by a quota in the random worlds").isGreaterThan(50);
        assertThat(parallelWaits).as("array jobs held back by max_parallel in the random worlds").isGreaterThan(50);
        assertThat(sharedStarts).as("sharing jobs started in the random worlds").isGreaterThan(50);
        assertThat(sharedJoins).as("sharing jobs that joined a GPU already shared").isGreaterThan(20);
        assertThat(sharingWaits).as("sharing jobs waiting for GPU memory").isGreaterThan(50);
    }

    /** GPU caps (default and per user, sometimes none) and daily GPU-hours, some of them used up. */
    private static QuotaState randomQuotas(Random random) {
        Integer defaultMax = random.nextInt(3) == 0 ? null : random.nextInt(4);
        Map<String, Quotas.Limits> perUser = new HashMap<>();
        Map<String, Double> hours = new HashMap<>();
        for (int u = 0; u < 5; u++) {
            if (random.nextInt(3) == 0) {
                perUser.put("u" + u, new Quotas.Limits(random.nextInt(5), null,
                        random.nextBoolean() ? null : 8.0));
            }
            hours.put("u" + u, random.nextDouble() * 12);
        }
        return new QuotaState(new Quotas(new Quotas.Limits(defaultMax, null, null), perUser), hours);
    }
}
