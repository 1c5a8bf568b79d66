package dev.dopq.server.provider;

import dev.dopq.server.files.Trees;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.LinkRefusedException;
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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Taking a zip off the share: moved first, recorded second, never lost and never taken twice. */
class IntakeTest {
    @TempDir
    Path dir;
    Path inbox;
    Path work;
    InMemoryJobStore store;
    Intake intake;

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        work = dir.resolve("work");
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        store = new InMemoryJobStore(clock);
        intake = new Intake(inbox, work, new Jobs(store), clock);
    }

    @Test
    void a_link_in_place_of_a_zip_is_refused_and_what_it_points_to_stays_where_it_is() throws IOException {
        Path secret = Files.writeString(dir.resolve("bobs-own.zip"), "bob's zip");
        Path link = Files.createSymbolicLink(Files.createDirectories(inbox.resolve("mallory")).resolve("x.zip"),
                secret);

        assertThatThrownBy(() -> intake.take(link)).isInstanceOf(LinkRefusedException.class);

        assertThat(secret).hasContent("bob's zip");
        assertThat(store.inStates(EnumSet.allOf(JobState.class))).isEmpty();
        try (var folders = Files.list(work.resolve("jobs"))) {
            assertThat(folders).as("no job folder stays behind").isEmpty();
        }
    }

    @Test
    void a_taken_zip_leaves_the_inbox_for_its_own_job_folder_and_a_received_job() throws IOException {
        Path zip = Files.writeString(inbox.resolve("train.zip"), "zip bytes");

        Job job = intake.take(zip);

        assertThat(zip).doesNotExist();
        assertThat(job.state()).isEqualTo(JobState.RECEIVED);
        assertThat(job.name()).isEqualTo("train");
        JobFolder folder = JobFolder.of(job.workDir());
        assertThat(folder.zip()).hasContent("zip bytes");
        assertThat(folder.idMarker()).hasContent(Long.toString(job.id()));
        assertThat(folder.dir().getParent()).isEqualTo(work.resolve("jobs"));
    }

    @Test
    void a_zip_that_vanished_before_it_was_taken_leaves_neither_a_job_nor_a_folder() throws IOException {
        Path gone = inbox.resolve("gone.zip");

        assertThatThrownBy(() -> intake.take(gone)).isInstanceOf(NoSuchFileException.class);

        assertThat(allJobs()).isEmpty();
        assertThat(jobFolders()).isEmpty();
    }

    @Test
    void a_zip_moved_in_before_a_crash_but_never_recorded_is_recovered_once() throws IOException {
        Job job = intake.take(Files.writeString(inbox.resolve("train.zip"), "zip bytes"));
        JobFolder crashed = JobFolder.of(job.workDir());
        Files.delete(crashed.idMarker()); // as if the server died between the move and the insert
        InMemoryJobStore afterRestart = new InMemoryJobStore();
        Intake restarted = new Intake(inbox, work, new Jobs(afterRestart), MutableClock.at("2026-01-01T00:01:00Z"));

        assertThat(restarted.recoverOrphans(Set.of())).singleElement()
                .satisfies(j -> assertThat(j.name()).isEqualTo("train"));
        assertThat(restarted.recoverOrphans(Set.of())).as("a second start finds nothing new").isEmpty();
        assertThat(afterRestart.inStates(EnumSet.allOf(JobState.class))).hasSize(1);
    }

    @Test
    void a_copy_across_file_systems_cut_short_after_the_copy_is_finished_on_restart_and_taken_once()
            throws IOException {
        Job job = intake.take(Files.writeString(inbox.resolve("train.zip"), "zip bytes"));
        JobFolder crashed = crashBeforeRecording(job);
        Path original = Files.writeString(inbox.resolve("train.zip"), "zip bytes"); // the delete never happened
        Files.writeString(crashed.moving(), original.toAbsolutePath().toString());

        List<Job> recovered = restartedIntake().recoverOrphans(Set.of());

        assertThat(recovered).hasSize(1);
        assertThat(original).as("the interrupted move is finished").doesNotExist();
        assertThat(crashed.moving()).doesNotExist();
        assertThat(crashed.zip()).hasContent("zip bytes");
    }

    @Test
    void a_new_zip_under_the_same_name_is_not_mistaken_for_the_original_of_a_cut_short_move() throws IOException {
        Job job = intake.take(Files.writeString(inbox.resolve("train.zip"), "zip bytes"));
        JobFolder crashed = crashBeforeRecording(job);
        Path newer = Files.writeString(inbox.resolve("train.zip"), "a newer zip");
        Files.writeString(crashed.moving(), newer.toAbsolutePath().toString());

        assertThat(restartedIntake().recoverOrphans(Set.of())).hasSize(1);

        assertThat(newer).hasContent("a newer zip");
    }

    @Test
    void a_take_cut_short_before_the_zip_arrived_leaves_the_zip_in_the_inbox_and_no_folder() throws IOException {
        Path zip = Files.writeString(inbox.resolve("train.zip"), "zip bytes");
        JobFolder half = new JobFolder(Files.createDirectories(work.resolve("jobs/interrupted")));
        Files.writeString(half.moving(), zip.toAbsolutePath().toString());
        Files.writeString(half.dir().resolve("job.zip.part"), "zip by");

        assertThat(restartedIntake().recoverOrphans(Set.of())).isEmpty();

        assertThat(half.dir()).doesNotExist();
        assertThat(zip).hasContent("zip bytes");
    }

    @Test
    void a_zip_on_another_file_system_is_copied_in_and_only_then_removed() throws IOException {
        Path otherFs = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(otherFs) && !Files.getFileStore(otherFs).equals(Files.getFileStore(dir)),
                "needs a second file system");
        Path share = Files.createTempDirectory(otherFs, "dopq-inbox-test");
        try {
            Intake fromShare = new Intake(share, work, new Jobs(store), MutableClock.at("2026-01-01T00:00:00Z"));
            Path zip = Files.writeString(share.resolve("train.zip"), "zip bytes");

            Job job = fromShare.take(zip);

            assertThat(zip).doesNotExist();
            assertThat(JobFolder.of(job.workDir()).zip()).hasContent("zip bytes");
            try (Stream<Path> files = Files.list(JobFolder.of(job.workDir()).dir())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("job.zip", "job.id", "source.properties");
            }
        } finally {
            Trees.deleteTree(share);
        }
    }

    /** As if the server died after the zip arrived in its folder but before the job row was written. */
    private static JobFolder crashBeforeRecording(Job job) throws IOException {
        JobFolder folder = JobFolder.of(job.workDir());
        Files.delete(folder.idMarker());
        return folder;
    }

    private Intake restartedIntake() {
        return new Intake(inbox, work, new Jobs(new InMemoryJobStore()), MutableClock.at("2026-01-01T00:01:00Z"));
    }

    private List<Job> allJobs() {
        return store.inStates(EnumSet.allOf(JobState.class));
    }

    private List<Path> jobFolders() throws IOException {
        Path jobs = work.resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(jobs)) {
            return dirs.toList();
        }
    }
}
