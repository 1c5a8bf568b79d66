package dev.dopq.server.provider;

import dev.dopq.server.files.Moves;
import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.core.JobState;
import dev.dopq.server.config.DopqConfig.Provider.Identity;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.store.InMemoryUserStore;
import dev.dopq.server.testutil.FakeImages;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** Intake when the work dir is short of space: zips wait in the inbox with a reason and are taken once it returns. */
class ProviderDiskTest {
    private static final long MIN_FREE = 16L << 20;

    @TempDir
    Path dir;
    Path inbox;
    Path work;
    InMemoryJobStore store;
    final AtomicLong free = new AtomicLong(1L << 40);
    final AtomicBoolean diskFullWhileCopying = new AtomicBoolean();
    Provider provider;

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        work = dir.resolve("work");
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        store = new InMemoryJobStore(clock);
        Jobs jobs = new Jobs(store);
        Accounts accounts = new Accounts(new InMemoryUserStore(), clock);
        accounts.bootstrap(List.of("ana"), List.of(), dir.resolve("admin.token"));
        JobPreparer preparer = new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()),
                new FakeImages(), accounts, () -> new SpecPolicy(1, 8L << 30, false, false), Identity.FOLDER, "inbox",
                "test");
        Intake intake = new Intake(inbox, work, jobs, clock, this::moveOrFillTheDisk);
        provider = new Provider(new InboxScanner(inbox, Duration.ZERO, clock), intake, preparer, jobs, inbox,
                new DiskRoom(work, MIN_FREE, d -> free.get()), Duration.ofMinutes(1), 1);
    }

    @AfterEach
    void tearDown() {
        provider.stop(Duration.ofSeconds(10));
    }

    /** A copy that runs out of disk halfway leaves its partial file, as a real one does. */
    private void moveOrFillTheDisk(Path from, Path to) throws IOException {
        if (diskFullWhileCopying.get()) {
            Files.write(to.resolveSibling(to.getFileName() + ".part"), new byte[1000]);
            throw new FileSystemException(from.toString(), to.toString(), "No space left on device");
        }
        Moves.move(from, to);
    }

    @Test
    void a_zip_larger_than_the_space_above_min_free_waits_in_the_inbox_with_its_name_size_and_the_space_left()
            throws IOException {
        Path zip = aZip().name("big").user("mallory").writeInto(inbox, "big.zip");
        free.set(MIN_FREE + Files.size(zip) - 1);

        settleAndScan();

        assertThat(zip).exists();
        assertThat(takenJobs()).isZero();
        assertThat(jobFolders()).isEmpty();
        assertThat(provider.intakeProblem()).startsWith("big.zip (" + (Files.size(zip) >> 20) + " MiB) waits")
                .contains((free.get() >> 20) + " MiB free").contains("16 MiB must stay free (min_free)");
    }

    @Test
    void a_waiting_zip_is_taken_by_itself_once_there_is_room_and_the_reason_goes_away() throws IOException {
        Path zip = aZip().name("big").user("mallory").writeInto(inbox, "big.zip");
        free.set(MIN_FREE);
        settleAndScan();

        free.set(MIN_FREE + Files.size(zip));
        provider.scanOnce();

        assertThat(zip).doesNotExist();
        assertThat(takenJobs()).isOne();
        assertThat(provider.intakeProblem()).isNull();
    }

    @Test
    void smaller_zips_that_fit_are_taken_while_a_larger_one_waits() throws IOException {
        Path small = aZip().name("small").user("mallory").writeInto(inbox, "small.zip");
        Path big = aZip().name("big").user("mallory").command("x".repeat(200_000)).writeInto(inbox, "big.zip");
        free.set(MIN_FREE + Files.size(small) + 1);

        settleAndScan();

        assertThat(small).doesNotExist();
        assertThat(big).exists();
        assertThat(takenJobs()).isOne();
        assertThat(provider.intakeProblem()).startsWith("big.zip");
    }

    @Test
    void a_take_that_runs_out_of_disk_pauses_intake_for_that_zip_and_leaves_no_partial_copy() throws IOException {
        Path zip = aZip().name("big").user("mallory").writeInto(inbox, "big.zip");
        diskFullWhileCopying.set(true);

        settleAndScan();

        assertThat(zip).exists();
        assertThat(takenJobs()).isZero();
        assertThat(jobFolders()).as("neither a job folder nor a partial copy stays").isEmpty();
        assertThat(provider.intakeProblem()).startsWith("big.zip").contains("taken once there is room");

        diskFullWhileCopying.set(false);
        provider.scanOnce();

        assertThat(zip).doesNotExist();
        assertThat(takenJobs()).isOne();
        assertThat(provider.intakeProblem()).isNull();
    }

    @Test
    void below_min_free_no_zip_is_taken_and_the_reason_counts_the_waiting_zips() throws IOException {
        aZip().name("a").user("mallory").writeInto(inbox, "a.zip");
        aZip().name("b").user("mallory").writeInto(inbox, "b.zip");
        free.set(MIN_FREE - 1);

        settleAndScan();

        assertThat(takenJobs()).isZero();
        assertThat(provider.intakeProblem()).contains("below min_free").contains("2 zip(s) wait in the inbox");
    }

    @Test
    void only_a_full_disk_or_quota_counts_as_no_space() {
        assertThat(DiskRoom.isNoSpace(new FileSystemException("a", "b", "No space left on device"))).isTrue();
        assertThat(DiskRoom.isNoSpace(new IOException("copy failed", new IOException("Disk quota exceeded"))))
                .isTrue();
        assertThat(DiskRoom.isNoSpace(new FileSystemException("a", "b", "Permission denied"))).isFalse();
    }

    /** The first scan sees a zip, the second (settle 0) finds it unchanged and acts. */
    @Test
    void a_file_that_is_not_a_zip_goes_to_failed_with_a_reason_once_it_has_settled() throws IOException {
        Path notZip = Files.writeString(inbox.resolve("notes.zip"), "not a zip\n");

        settleAndScan();

        assertThat(notZip).doesNotExist();
        assertThat(inbox.resolve("failed/notes.zip")).hasContent("not a zip");
        assertThat(inbox.resolve("failed/notes.reason.txt"))
                .hasContent("not a zip file (no central directory after 0 s)");
        assertThat(takenJobs()).isZero();
        assertThat(provider.intakeProblem()).isNull();
    }

    @Test
    void a_file_that_is_not_a_zip_in_a_user_folder_goes_to_that_users_failed_folder_owner_only() throws IOException {
        Path notZip = Files.writeString(Files.createDirectories(inbox.resolve("ana")).resolve("notes.zip"),
                "not a zip\n");

        settleAndScan();

        assertThat(notZip).doesNotExist();
        assertThat(inbox.resolve("ana/failed/notes.zip")).hasContent("not a zip");
        assertThat(inbox.resolve("ana/failed/notes.reason.txt"))
                .hasContent("not a zip file (no central directory after 0 s)");
        assertThat(Files.getPosixFilePermissions(inbox.resolve("ana/failed/notes.reason.txt")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(inbox.resolve("failed")).doesNotExist();
        assertThat(takenJobs()).isZero();
    }

    private void settleAndScan() throws IOException {
        provider.scanOnce();
        provider.scanOnce();
    }

    private long takenJobs() {
        return store.inStates(EnumSet.allOf(JobState.class)).size();
    }

    private List<Path> jobFolders() throws IOException {
        if (!Files.isDirectory(work.resolve("jobs"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work.resolve("jobs"))) {
            return s.toList();
        }
    }
}
