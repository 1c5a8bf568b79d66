package dev.dopq.server.finish;

import dev.dopq.server.files.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the share gets back: refused zips with their reasons, and results of jobs that ended. */
class ShareWriterTest {
    @TempDir
    Path dir;

    @Test
    void a_refused_zip_lands_in_failed_next_to_its_reason() throws IOException {
        ShareWriter share = new ShareWriter(dir.resolve("inbox"));
        Path zip = Files.writeString(dir.resolve("job.zip"), "zip bytes");

        Path target = share.quarantine(zip, null, "train", "asks for 2 GPUs; this machine has 1");

        assertThat(target).isEqualTo(dir.resolve("inbox/failed/train.zip")).hasContent("zip bytes");
        assertThat(dir.resolve("inbox/failed/train.reason.txt")).content().isEqualToIgnoringNewLines(
                "asks for 2 GPUs; this machine has 1");
        assertThat(zip).doesNotExist();
    }

    @Test
    void a_second_refused_zip_of_the_same_name_never_overwrites_the_first() throws IOException {
        ShareWriter share = new ShareWriter(dir.resolve("inbox"));
        share.quarantine(Files.writeString(dir.resolve("a.zip"), "first"), null, "train", "first reason");

        Path second = share.quarantine(Files.writeString(dir.resolve("b.zip"), "second"), null, "train", "second reason");

        assertThat(dir.resolve("inbox/failed/train.zip")).hasContent("first");
        assertThat(second).isEqualTo(dir.resolve("inbox/failed/train-2.zip")).hasContent("second");
        assertThat(dir.resolve("inbox/failed/train-2.reason.txt")).content().startsWith("second reason");
    }

    @Test
    void a_refused_zip_reaches_a_share_on_another_file_system() throws IOException {
        Path otherFs = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(otherFs) && !Files.getFileStore(otherFs).equals(Files.getFileStore(dir)),
                "needs a second file system");
        Path work = Files.createTempDirectory(otherFs, "dopq-share-test");
        try {
            Path zip = Files.writeString(work.resolve("job.zip"), "zip bytes");

            Path target = new ShareWriter(dir.resolve("inbox")).quarantine(zip, null, "train",
                    "no Dockerfile in the zip");

            assertThat(target).hasContent("zip bytes");
            assertThat(zip).doesNotExist();
            assertThat(namesIn(dir.resolve("inbox/failed"))).containsExactlyInAnyOrder("train.zip",
                    "train.reason.txt");
        } finally {
            Trees.deleteTree(work);
        }
    }

    @Test
    void a_finished_job_leaves_status_json_and_its_output_under_results() throws IOException {
        Path log = Files.writeString(dir.resolve("attempt-1.log"), "epoch 1: loss 0.3\n");
        Job job = Job.builder().id(7).name("train").user("ana").state(JobState.SUCCEEDED).gpusRequested(1)
                .submittedAt(Instant.parse("2026-01-01T00:00:00Z")).finishedAt(Instant.parse("2026-01-01T01:00:00Z"))
                .exitCode(0).after(java.util.List.of(6L)).build();

        new ShareWriter(dir.resolve("inbox")).writeResult(job, log);

        Path result = dir.resolve("inbox/ana/results/7-train");
        JsonNode status = new ObjectMapper().readTree(result.resolve("status.json").toFile());
        assertThat(status.get("id").asText()).isEqualTo("7");
        assertThat(status.get("after").toString()).as("the job it waited for").isEqualTo("[\"6\"]");
        assertThat(status.get("afterAny").toString()).isEqualTo("[]");
        assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.get("finishedAt").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(result.resolve("output.log")).hasContent("epoch 1: loss 0.3");
        assertThat(namesIn(result)).containsExactlyInAnyOrder("status.json", "output.log");
        assertThat(mode(result)).isEqualTo("rwx------");
        assertThat(mode(result.resolve("status.json"))).isEqualTo("rw-------");
        assertThat(mode(result.resolve("output.log"))).isEqualTo("rw-------");
    }

    @Test
    void a_refused_zip_of_a_proven_user_lands_in_that_users_own_failed_folder_readable_by_the_owner_only()
            throws IOException {
        Path zip = Files.writeString(dir.resolve("job.zip"), "zip bytes");

        Path target = new ShareWriter(dir.resolve("inbox")).quarantine(zip, "ana", "train", "no Dockerfile");

        assertThat(target).isEqualTo(dir.resolve("inbox/ana/failed/train.zip")).hasContent("zip bytes");
        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(dir.resolve("inbox/ana/failed/train.reason.txt")).content().startsWith("no Dockerfile");
        assertThat(dir.resolve("inbox/failed")).doesNotExist();
    }

    @Test
    void a_link_planted_at_the_users_results_folder_is_refused_and_nothing_is_written_outside() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(dir.resolve("inbox/ana"));
        Files.createSymbolicLink(dir.resolve("inbox/ana/results"), outside);
        Job job = Job.builder().id(7).name("train").user("ana").state(JobState.SUCCEEDED).gpusRequested(1)
                .submittedAt(Instant.parse("2026-01-01T00:00:00Z")).build();

        new ShareWriter(dir.resolve("inbox")).writeResult(job, Files.writeString(dir.resolve("a.log"), "out"));

        assertThat(outside).isEmptyDirectory();
        assertThat(Files.isSymbolicLink(dir.resolve("inbox/ana/results"))).as("left as planted").isTrue();
    }

    @Test
    void a_users_inbox_folder_is_made_once_and_a_link_in_its_place_is_left_alone() throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(inbox.resolve("bob"), outside);
        ShareWriter share = new ShareWriter(inbox);

        share.ensureUserFolder("ana");
        share.ensureUserFolder("ana");
        share.ensureUserFolder("bob");

        assertThat(inbox.resolve("ana")).isDirectory();
        assertThat(Files.isSymbolicLink(inbox.resolve("bob"))).isTrue();
        assertThat(outside).isEmptyDirectory();
    }

    private static String mode(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void a_retried_job_keeps_every_attempts_log_and_output_log_is_the_last() throws IOException {
        Path jobDir = Files.createDirectories(dir.resolve("work/job"));
        Files.writeString(jobDir.resolve("attempt-1.log"), "first try failed");
        Path last = Files.writeString(jobDir.resolve("attempt-2.log"), "second try worked");
        Job job = Job.builder().id(8).name("flaky").user("ana").state(JobState.SUCCEEDED).attempt(2).maxRetries(1)
                .submittedAt(Instant.parse("2026-01-01T00:00:00Z")).finishedAt(Instant.parse("2026-01-01T01:00:00Z"))
                .exitCode(0).build();

        new ShareWriter(dir.resolve("inbox")).writeResult(job, last);

        Path result = dir.resolve("inbox/ana/results/8-flaky");
        assertThat(result.resolve("attempt-1.log")).hasContent("first try failed");
        assertThat(result.resolve("attempt-2.log")).hasContent("second try worked");
        assertThat(result.resolve("output.log")).hasContent("second try worked");
    }

    private static Stream<String> namesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList().stream();
        }
    }
}
