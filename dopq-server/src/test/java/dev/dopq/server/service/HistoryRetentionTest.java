package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.store.Database;
import dev.dopq.server.store.JobStore;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** [queue] keep_history (DoPQ's max.history) on the real H2 store and real job folders. */
class HistoryRetentionTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private Database db;
    private JobStore store;
    private Path work;

    @BeforeEach
    void open() throws IOException {
        db = Database.open(dir.resolve("db/dopq"), clock);
        store = db.jobs();
        work = Files.createDirectories(dir.resolve("work"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Job finished(String name, long minute) throws IOException {
        Path folder = Files.createDirectories(work.resolve("jobs").resolve(name));
        Files.writeString(folder.resolve("attempt-1.log"), "output of " + name);
        Files.writeString(folder.resolve("job.zip"), "zip");
        return store.insert(aJob().name(name).state(JobState.SUCCEEDED).startedAt(T0.plusSeconds(minute * 60 - 30))
                .finishedAt(T0.plusSeconds(minute * 60)).workDir(folder.toString()).build(), "test");
    }

    @Test
    void finished_jobs_beyond_the_newest_kept_go_with_their_events_and_folders() throws IOException {
        Job first = finished("first", 1);
        Job second = finished("second", 2);
        Job third = finished("third", 3);
        Job fourth = finished("fourth", 4);
        Job queued = store.insert(aJob().name("waiting").state(JobState.QUEUED).build(), "test");
        clock.set(T0.plus(Duration.ofHours(1)));

        int deleted = new HistoryRetention(store, 2, work, clock, GRACE).sweep();

        assertThat(deleted).isEqualTo(2);
        assertThat(store.find(first.id())).isEmpty();
        assertThat(store.events(second.id())).isEmpty();
        assertThat(Path.of(first.workDir())).doesNotExist();
        assertThat(Path.of(second.workDir())).doesNotExist();
        assertThat(store.find(third.id())).isPresent();
        assertThat(store.find(fourth.id())).isPresent();
        assertThat(Path.of(fourth.workDir()).resolve("attempt-1.log")).hasContent("output of fourth");
        assertThat(store.find(queued.id())).isPresent();
        assertThat(store.history(null, null, null, 10)).extracting(Job::name).containsExactly("fourth", "third");
    }

    @Test
    void a_job_that_ended_within_the_grace_period_is_left_to_the_finish_stage() throws IOException {
        Job old = finished("old", 1);
        Job justEnded = finished("just-ended", 10);
        finished("newest", 11);
        clock.set(T0.plus(Duration.ofMinutes(10)).plusSeconds(30));

        HistoryRetention retention = new HistoryRetention(store, 1, work, clock, GRACE);
        assertThat(retention.sweep()).isEqualTo(1);
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.find(justEnded.id())).as("ended 30 s ago").isPresent();

        clock.advance(Duration.ofMinutes(2));
        assertThat(retention.sweep()).isEqualTo(1);
        assertThat(store.find(justEnded.id())).isEmpty();
    }

    @Test
    void keep_zero_keeps_everything() throws IOException {
        finished("a", 1);
        finished("b", 2);
        clock.set(T0.plus(Duration.ofDays(30)));

        assertThat(new HistoryRetention(store, 0, work, clock, GRACE).sweep()).isZero();
        assertThat(store.history(null, null, null, 10)).hasSize(2);
    }

    @Test
    void a_folder_outside_the_work_folder_is_never_deleted_and_a_link_inside_is_not_followed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(outside.resolve("precious.txt"), "keep me");
        Job stray = store.insert(aJob().name("stray").state(JobState.FAILED).finishedAt(T0)
                .workDir(outside.toString()).build(), "test");
        Job linked = finished("linked", 1);
        Files.createSymbolicLink(Path.of(linked.workDir()).resolve("data"), outside);
        finished("newest", 2);
        clock.set(T0.plus(Duration.ofHours(1)));

        assertThat(new HistoryRetention(store, 1, work, clock, GRACE).sweep()).isEqualTo(2);

        assertThat(store.find(stray.id())).isEmpty();
        assertThat(Path.of(linked.workDir())).doesNotExist();
        assertThat(outside.resolve("precious.txt")).hasContent("keep me");
    }

    @Test
    void the_sweep_runs_on_its_own_thread_when_signalled_until_stopped() throws Exception {
        Job first = finished("first", 1);
        clock.set(T0.plus(Duration.ofHours(1)));
        AtomicInteger sweeps = new AtomicInteger();
        HistoryRetention retention = new HistoryRetention(counting(store, sweeps), 1, work, clock, GRACE);
        retention.start(Duration.ofHours(1)); // the fallback timer never fires within this test
        try {
            await(() -> sweeps.get() >= 1); // the sweep at start: one job, nothing beyond the one kept
            assertThat(store.find(first.id())).isPresent();
            finished("second", 2);

            retention.signal();

            await(() -> store.find(first.id()).isEmpty());
            assertThat(store.find(first.id())).as("swept after the signal").isEmpty();
            assertThat(sweeps.get()).isGreaterThanOrEqualTo(2);
        } finally {
            retention.stop(Duration.ofSeconds(5));
            retention.stop(Duration.ofSeconds(5));
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("dopq-history") && t.isAlive());
    }

    /** The store, counting the sweeps that read it. */
    private static JobStore counting(JobStore store, AtomicInteger sweeps) {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("finishedBeyond")) {
                        sweeps.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
