package dev.dopq.server.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A policy restored from a snapshot and fed the rest of the history equals one fed the whole history. */
class PenaltySnapshotTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"usage", "dopq"})
    void a_snapshot_plus_the_rest_of_the_history_gives_the_full_replays_penalties(String name) {
        Random random = new Random(20261130L + name.hashCode());
        for (int round = 0; round < 200; round++) {
            List<Job> history = randomHistory(random, 1 + random.nextInt(300), 1 + random.nextInt(12));
            int cut = random.nextInt(history.size() + 1);
            Instant now = history.get(history.size() - 1).finishedAt().plusSeconds(random.nextInt(100_000));

            PenaltyPolicy full = policy(name);
            history.forEach(j -> full.onFinished(j, j.finishedAt()));

            PenaltyPolicy before = policy(name);
            history.subList(0, cut).forEach(j -> before.onFinished(j, j.finishedAt()));
            PenaltyPolicy restored = policy(name);
            restored.restore(before.snapshot());
            history.subList(cut, history.size()).forEach(j -> restored.onFinished(j, j.finishedAt()));

            assertThat(restored.penalties(now)).as("round %d, cut %d of %d", round, cut, history.size())
                    .isEqualTo(full.penalties(now));
            assertThat(restored.snapshot()).isEqualTo(full.snapshot());
        }
    }

    @Test
    void restoring_keeps_the_running_jobs() {
        PenaltyPolicy saved = policy("usage");
        saved.onFinished(ran(1, "ana", T0, 3600), T0.plusSeconds(3600));
        PenaltyPolicy live = policy("usage");
        Job running = aJob().id(2).user("bob").gpus(List.of("0")).startedAt(T0).state(JobState.RUNNING).build();
        live.onStarted(running, T0);
        PenaltyPolicy onlyRunning = policy("usage");
        onlyRunning.onStarted(running, T0);

        live.restore(saved.snapshot());

        Instant now = T0.plusSeconds(7200);
        assertThat(live.penalty("ana", now)).isEqualTo(saved.penalty("ana", now)).isPositive();
        assertThat(live.penalty("bob", now)).isEqualTo(onlyRunning.penalty("bob", now)).isPositive();
    }

    @Test
    void a_snapshot_of_other_parameters_is_refused() {
        PenaltyPolicy day = PenaltyPolicy.usage(Duration.ofHours(24), 0.5);
        PenaltyPolicy hour = PenaltyPolicy.usage(Duration.ofHours(1), 0.5);

        assertThat(day.description()).isNotEqualTo(hour.description())
                .isNotEqualTo(PenaltyPolicy.usage(Duration.ofHours(24), 0.25).description());
        assertThatThrownBy(() -> hour.restore(day.snapshot())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half_life=86400.0");
        assertThatThrownBy(() -> PenaltyPolicy.dopq().restore(day.snapshot()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static PenaltyPolicy policy(String name) {
        return PenaltyPolicy.named(name, Duration.ofHours(6), 0.25);
    }

    /** Finished jobs in full-replay order (finish, then id); finishes may tie, CPU-only and multi-GPU jobs mixed. */
    static List<Job> randomHistory(Random random, int size, int users) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long start = random.nextInt(30 * 24 * 3600);
            long length = random.nextInt(4) == 0 ? 0 : random.nextInt(48 * 3600);
            Instant finish = T0.plusSeconds(start + length).plusNanos(random.nextInt(3) * 1_000_000L);
            int gpus = random.nextInt(4);
            List<String> ids = new ArrayList<>();
            for (int g = 0; g < gpus; g++) {
                ids.add(String.valueOf(g));
            }
            jobs.add(aJob().id(i + 1).user("u" + random.nextInt(users)).state(JobState.SUCCEEDED)
                    .gpusRequested(gpus).gpus(ids).startedAt(T0.plusSeconds(start)).finishedAt(finish).build());
        }
        jobs.sort(Comparator.comparing(Job::finishedAt).thenComparingLong(Job::id));
        return jobs;
    }

    private static Job ran(long id, String user, Instant start, long seconds) {
        return aJob().id(id).user(user).gpus(List.of("0")).startedAt(start).state(JobState.SUCCEEDED)
                .finishedAt(start.plusSeconds(seconds)).build();
    }
}
