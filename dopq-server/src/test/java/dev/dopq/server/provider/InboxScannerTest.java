package dev.dopq.server.provider;

import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** The inbox scanner with a hand-moved clock: what it takes, what it leaves, and when. */
class InboxScannerTest {
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    Path inbox;
    MutableClock clock;
    InboxScanner scanner;
    byte[] zip;

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        clock = MutableClock.at("2026-01-01T00:00:00Z");
        scanner = new InboxScanner(inbox, SETTLE, clock);
        zip = aZip().bytes();
    }

    @Test
    void hidden_part_and_tmp_files_are_never_taken_but_zips_in_subfolders_are() throws IOException {
        write("good.zip");
        write("sub/dir/nested.zip");
        write(".hidden.zip");
        write("upload.zip.part");
        write("upload.tmp");
        write("upload.zip.tmp");
        write("~$office-lock.zip");
        write(".sync/inside-hidden-folder.zip");
        write("notes.txt");

        List<Path> taken = settledAfterWaiting();

        assertThat(taken).containsExactlyInAnyOrder(inbox.resolve("good.zip"), inbox.resolve("sub/dir/nested.zip"));
    }

    @Test
    void the_failed_and_results_folders_of_the_share_are_skipped() throws IOException {
        write("failed/rejected.zip");
        write("results/ana/1-job/output.zip");
        write("fresh.zip");

        List<Path> taken = settledAfterWaiting();

        assertThat(taken).containsExactly(inbox.resolve("fresh.zip"));
    }

    @Test
    void a_complete_zip_is_taken_only_once_it_was_stable_for_the_settle_time() throws IOException {
        write("job.zip");

        assertThat(scanner.settled()).as("first sight").isEmpty();
        clock.advance(SETTLE.minusMillis(1));
        assertThat(scanner.settled()).as("just before settling").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(scanner.settled()).as("settled").containsExactly(inbox.resolve("job.zip"));
    }

    @Test
    void a_new_modification_time_while_settling_restarts_the_wait() throws IOException {
        Path file = write("job.zip");
        scanner.settled();
        clock.advance(SETTLE.minusSeconds(1));
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1000));
        assertThat(scanner.settled()).as("touched just before settling").isEmpty();

        clock.advance(SETTLE.minusMillis(1));
        assertThat(scanner.settled()).as("stable again, but not yet for the settle time").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(scanner.settled()).containsExactly(file);
    }

    @Test
    void a_zip_copied_in_two_halves_with_a_long_pause_is_taken_exactly_once_and_complete() throws IOException {
        Path file = inbox.resolve("slow.zip");
        int half = zip.length / 2;
        Files.write(file, Arrays.copyOfRange(zip, 0, half));
        InMemoryJobStore store = new InMemoryJobStore(clock);
        Intake intake = new Intake(inbox, dir.resolve("work"), new Jobs(store), clock);
        List<Job> jobs = new ArrayList<>();

        scanAndTake(intake, jobs);
        clock.advance(SETTLE.multipliedBy(3));
        scanAndTake(intake, jobs);
        clock.advance(SETTLE.multipliedBy(3));
        scanAndTake(intake, jobs);
        assertThat(jobs).as("half a zip has no central directory, however long it was stable").isEmpty();

        Files.write(file, Arrays.copyOfRange(zip, half, zip.length), StandardOpenOption.APPEND);
        scanAndTake(intake, jobs);
        assertThat(jobs).as("the rest arrived: the settle time starts again").isEmpty();
        clock.advance(SETTLE);
        for (int i = 0; i < 3; i++) {
            scanAndTake(intake, jobs);
            clock.advance(SETTLE);
        }

        assertThat(jobs).hasSize(1);
        assertThat(store.inStates(EnumSet.allOf(JobState.class))).hasSize(1);
        assertThat(file).doesNotExist();
        assertThat(JobFolder.of(jobs.get(0).workDir()).zip()).hasBinaryContent(zip);
        assertThat(intake.recoverOrphans(Set.of())).as("nothing left to recover").isEmpty();
    }

    @Test
    void a_file_that_stays_unchanged_but_unreadable_is_reported_after_a_while_and_never_taken() throws IOException {
        Path broken = inbox.resolve("broken.zip");
        Files.write(broken, Arrays.copyOfRange(zip, 0, 1000));
        scanner.settled();
        clock.advance(SETTLE);
        assertThat(scanner.settled()).isEmpty();
        assertThat(scanner.unreadable()).as("a short pause in a copy is not worth a word").isEmpty();

        clock.advance(SETTLE.multipliedBy(InboxScanner.UNREADABLE_AFTER_SETTLES - 1));
        assertThat(scanner.settled()).isEmpty();
        assertThat(scanner.unreadable()).containsExactly(broken);

        Files.write(broken, Arrays.copyOfRange(zip, 1000, 2000), StandardOpenOption.APPEND);
        scanner.settled();
        assertThat(scanner.unreadable()).as("the copy moves again").isEmpty();
    }

    @Test
    void a_zip_that_disappears_before_it_settles_is_forgotten_and_a_new_one_under_that_name_waits_again()
            throws IOException {
        Path file = write("job.zip");
        scanner.settled();
        Files.delete(file);
        clock.advance(SETTLE);
        assertThat(scanner.settled()).isEmpty();

        write("job.zip");
        assertThat(scanner.settled()).as("a new file is new, whatever its name").isEmpty();
        clock.advance(SETTLE);
        assertThat(scanner.settled()).containsExactly(file);
    }

    @Test
    void the_received_job_of_a_taken_zip_carries_the_zip_name_and_owner() throws IOException {
        Path file = write("sub/my job.zip");
        Intake intake = new Intake(inbox, dir.resolve("work"), new Jobs(new InMemoryJobStore(clock)), clock);
        List<Job> jobs = new ArrayList<>();

        scanAndTake(intake, jobs);
        clock.advance(SETTLE);
        scanAndTake(intake, jobs);

        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.state()).isEqualTo(JobState.RECEIVED);
            assertThat(job.name()).isEqualTo("my job");
        });
        SourceInfo source = SourceInfo.read(JobFolder.of(jobs.get(0).workDir()).source());
        assertThat(source.relativePath()).isEqualTo("sub/my job.zip");
        assertThat(source.owner()).isNotEmpty();
        assertThat(file).doesNotExist();
    }

    /** What the provider does with each scan: take every settled zip, then forget it. */
    private void scanAndTake(Intake intake, List<Job> jobs) throws IOException {
        for (Path ready : scanner.settled()) {
            jobs.add(intake.take(ready));
            scanner.forget(ready);
        }
    }

    private List<Path> settledAfterWaiting() throws IOException {
        scanner.settled();
        clock.advance(SETTLE);
        return scanner.settled();
    }

    private Path write(String relative) throws IOException {
        Path file = inbox.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, zip);
    }
}
