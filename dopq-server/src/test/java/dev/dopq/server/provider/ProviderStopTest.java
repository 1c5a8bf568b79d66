package dev.dopq.server.provider;

import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.core.Job;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.Moves;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.ServerStoppingException;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.store.InMemoryUserStore;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.FakeImages;
import dev.dopq.server.testutil.MutableClock;
import dev.dopq.server.util.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Uploads around a stop: refused whole before intake closes, or recorded whole before it does; never half. */
class ProviderStopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private InMemoryJobStore store;
    private Provider provider;
    private final CountDownLatch moveEntered = new CountDownLatch(1);
    private final CountDownLatch moveMayGoOn = new CountDownLatch(1);
    private volatile boolean holdMoves;

    @BeforeEach
    void setUp() throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        store = new InMemoryJobStore(clock);
        Jobs jobs = new Jobs(store);
        Accounts accounts = new Accounts(new InMemoryUserStore(), clock);
        accounts.bootstrap(List.of("ana"), List.of(), dir.resolve("admin.token"));
        JobPreparer preparer = new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()), new FakeImages(),
                accounts, () -> new SpecPolicy(1, 8L << 30, false, false), DopqConfig.Provider.Identity.FOLDER, "inbox",
                "test");
        Intake intake = new Intake(inbox, dir.resolve("work"), jobs, clock, this::move);
        provider = new Provider(new InboxScanner(inbox, Duration.ZERO, clock), intake, preparer, jobs, inbox,
                new DiskRoom(dir.resolve("work"), 0, d -> 1L << 40), Duration.ofMinutes(1), 1);
    }

    @AfterEach
    void tearDown() {
        moveMayGoOn.countDown();
        provider.stop(WAIT);
    }

    private void move(Path from, Path to) throws IOException {
        if (holdMoves) {
            moveEntered.countDown();
            try {
                moveMayGoOn.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Moves.move(from, to);
    }

    private Path anUpload() throws IOException {
        return aZip().name("late").user("ana").writeInto(Files.createDirectories(dir.resolve("uploads")), "late.zip");
    }

    @Test
    void an_upload_that_arrives_once_the_stop_began_is_refused_and_nothing_is_recorded() throws IOException {
        Path upload = anUpload();
        provider.stop(WAIT);

        assertThatThrownBy(() -> provider.takeUpload(upload, "late.zip", "ana"))
                .isInstanceOf(ServerStoppingException.class)
                .hasMessage("the server is shutting down; submit again once it is back");
        assertThat(store.inStates(java.util.EnumSet.allOf(dev.dopq.server.core.JobState.class))).isEmpty();
        assertThat(upload).exists();
    }

    @Test
    void an_upload_being_recorded_when_the_stop_begins_is_recorded_whole_before_intake_closes() throws Exception {
        Path upload = anUpload();
        holdMoves = true;
        CompletableFuture<Job> taken = new CompletableFuture<>();
        Workers.start("test-upload", true, () -> {
            try {
                taken.complete(provider.takeUpload(upload, "late.zip", "ana"));
            } catch (Exception | AssertionError e) {
                taken.completeExceptionally(e);
            }
        });
        assertThat(moveEntered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread stopper = Workers.start("test-stop", true, () -> {
            provider.stop(WAIT);
            stopped.complete(null);
        });
        // the stop waits for the upload that is being recorded: it blocks on the intake gate
        Await.until("the stop to wait for the upload", WAIT, () -> Optional.of(stopper.getState())
                .filter(s -> s == Thread.State.WAITING));
        assertThat(stopped).isNotDone();
        moveMayGoOn.countDown();

        Job job = taken.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(store.find(job.id())).isPresent();
        assertThat(JobFolder.of(job.workDir()).zip()).exists();
        assertThat(upload).doesNotExist();
    }
}
