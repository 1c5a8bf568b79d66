package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.store.Database;
import dev.dopq.server.store.JobStore;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The start-up penalty rebuild from the saved snapshot, on the real H2 store. */
class PenaltyReplayTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final Random random = new Random(7);
    private Database db;
    /** The lower bounds the replays under test asked the store for (null: the whole history). */
    private final List<Instant> replayedAfter = new ArrayList<>();
    /** The server of the moment (the last one started). */
    private PenaltyReplay running;
    private Supplier<PenaltyPolicy> policies = () -> PenaltyPolicy.usage(Duration.ofHours(6), 0.25);

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db/dopq"), clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"usage", "dopq"})
    void a_start_from_the_snapshot_gives_the_full_replays_penalties(String name) {
        policies = () -> PenaltyPolicy.named(name, Duration.ofHours(6), 0.25);
        finishSome(1 + random.nextInt(60));
        startedPenalties();
        for (int round = 0; round < 8; round++) {
            clock.advance(Duration.ofMinutes(3 + random.nextInt(30)));
            finishSome(1 + random.nextInt(60));
            running.save(true);
            clock.advance(Duration.ofMinutes(3 + random.nextInt(30)));
            finishSome(random.nextInt(40));
            clock.advance(Duration.ofSeconds(random.nextInt(600)));
            if (random.nextBoolean()) {
                running.stop(dev.dopq.server.util.Deadline.after(Duration.ofSeconds(5))); // a clean stop saves
            }

            replayedAfter.clear();
            assertThat(startedPenalties()).as("round %d", round).isEqualTo(fullReplay());
            assertThat(replayedAfter.get(0)).as("the start replays from the snapshot").isNotNull();
        }
    }

    @Test
    void after_kill_9_a_start_replays_from_the_last_periodic_snapshot() {
        finishSome(50);
        startedPenalties();
        running.save(true);
        Instant covered = db.penaltySnapshots().load().orElseThrow().coveredUpTo();
        clock.advance(Duration.ofMinutes(20));
        finishSome(30); // the server is killed here: no save at stop

        replayedAfter.clear();
        assertThat(startedPenalties()).isEqualTo(fullReplay());
        assertThat(replayedAfter.get(0)).isEqualTo(covered);
    }

    @Test
    void an_exit_recorded_late_with_an_earlier_finish_drops_the_snapshot_and_the_next_save_rebuilds() {
        Job ran = db.jobs().insert(aJob().user("ana").state(JobState.RUNNING).gpus(List.of("0"))
                .startedAt(T0).build(), "test");
        finishSome(40);
        clock.advance(Duration.ofHours(1));
        startedPenalties();
        assertThat(running.save(true)).isTrue();

        // recorded now, but the container ended before the snapshot's instant (say, found ended after a crash)
        db.jobs().update(ran.toBuilder().state(JobState.SUCCEEDED).finishedAt(T0.plusSeconds(600)).build(), "test");

        assertThat(db.penaltySnapshots().load()).isEmpty();
        PenaltyReplay before = running;
        replayedAfter.clear();
        assertThat(before.save(true)).as("the next save rebuilds the shadow").isTrue();
        assertThat(replayedAfter.get(0)).as("rebuilt from the whole history").isNull();
        replayedAfter.clear();
        assertThat(startedPenalties()).isEqualTo(fullReplay());
        assertThat(replayedAfter.get(0)).isNotNull();
    }

    @Test
    void clearing_the_history_drops_the_snapshot_and_a_save_at_stop_does_not_bring_it_back() {
        finishSome(40);
        clock.advance(Duration.ofHours(1));
        startedPenalties();
        running.save(true);

        db.jobs().clearHistory(T0.plus(Duration.ofMinutes(30)));

        assertThat(db.penaltySnapshots().load()).isEmpty();
        assertThat(running.save(false)).isFalse();
        assertThat(db.penaltySnapshots().load()).isEmpty();
        replayedAfter.clear();
        assertThat(startedPenalties()).isEqualTo(fullReplay());
        assertThat(replayedAfter.get(0)).isNull();
    }

    @Test
    void a_keep_history_sweep_drops_the_snapshot() {
        finishSome(40);
        clock.advance(Duration.ofHours(1));
        startedPenalties();
        running.save(true);

        int deleted = new HistoryRetention(db.jobs(), 10, dir.resolve("work"), clock, Duration.ZERO).sweep();

        assertThat(deleted).isEqualTo(30);
        assertThat(db.penaltySnapshots().load()).isEmpty();
        assertThat(running.save(true)).as("rebuilt after the sweep").isTrue();
        replayedAfter.clear();
        assertThat(startedPenalties()).isEqualTo(fullReplay());
        assertThat(replayedAfter.get(0)).isNotNull();
    }

    @Test
    void a_changed_penalty_configuration_replays_the_whole_history() {
        finishSome(40);
        clock.advance(Duration.ofHours(1));
        startedPenalties();
        running.save(true);

        policies = () -> PenaltyPolicy.usage(Duration.ofHours(24), 0.25);
        replayedAfter.clear();
        assertThat(startedPenalties()).isEqualTo(fullReplay());
        assertThat(replayedAfter.get(0)).isNull();

        policies = () -> PenaltyPolicy.dopq();
        replayedAfter.clear();
        assertThat(startedPenalties()).isEqualTo(fullReplay());
        assertThat(replayedAfter.get(0)).isNull();
    }

    /**
     * Penalties as a server computes them at start: the database is closed and opened again (a stop or a kill -9)
     * and a new server restores its penalties; {@link #running} is that server from then on.
     */
    private java.util.Map<String, Double> startedPenalties() {
        db.close();
        db = Database.open(dir.resolve("db/dopq"), clock);
        PenaltyPolicy live = policies.get();
        running = replay();
        running.restore(live);
        return live.penalties(clock.instant());
    }

    private java.util.Map<String, Double> fullReplay() {
        PenaltyPolicy full = policies.get();
        db.jobs().replayFinishedBetween(null, null, j -> full.onFinished(j, j.finishedAt()));
        return full.penalties(clock.instant());
    }

    private PenaltyReplay replay() {
        return new PenaltyReplay(recording(db.jobs()), db.penaltySnapshots(), policies, clock);
    }

    /** Finished jobs of random users and lengths, ending at random moments of the last minute. */
    private void finishSome(int count) {
        for (int i = 0; i < count; i++) {
            Instant end = clock.instant().minusMillis(random.nextInt(60_000));
            int gpus = random.nextInt(3);
            db.jobs().insert(aJob().user("u" + random.nextInt(6)).state(JobState.SUCCEEDED).gpusRequested(gpus)
                    .gpus(gpus == 0 ? List.of() : List.of("0", "1").subList(0, gpus))
                    .startedAt(end.minusSeconds(random.nextInt(7200))).finishedAt(end).build(), "test");
        }
    }

    private JobStore recording(JobStore store) {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("replayFinishedBetween") && replayedAfter.isEmpty()) {
                        replayedAfter.add((Instant) args[0]);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
