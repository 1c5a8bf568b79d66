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

        Path target = share.quarantine(zip, "train", "asks for 2 GPUs; this machine has 1");

        assertThat(target).isEqualTo(dir.resolve("inbox/failed/train.zip")).hasContent("zip bytes");
        assertThat(dir.resolve("inbox/failed/train.reason.txt")).content().isEqualToIgnoringNewLines(
                "asks for 2 GPUs; this machine has 1");
        assertThat(zip).doesNotExist();
    }

    @Test
    void a_second_refused_zip_of_the_same_name_never_overwrites_the_first() throws IOException {
        ShareWriter share = new ShareWriter(dir.resolve("inbox"));
        share.quarantine(Files.writeString(dir.resolve("a.zip"), "first"), "train", "first reason");

        Path second = share.quarantine(Files.writeString(dir.resolve("b.zip"), "second"), "train", "second reason");

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

            Path target = new ShareWriter(dir.resolve("inbox")).quarantine(zip, "train", "no Dockerfile in the zip");

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
                .exitCode(0).build();

        new ShareWriter(dir.resolve("inbox")).writeResult(job, log);

        Path result = dir.resolve("inbox/results/ana/7-train");
        JsonNode status = new ObjectMapper().readTree(result.resolve("status.json").toFile());
        assertThat(status.get("id").asText()).isEqualTo("7");
        assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.get("finishedAt").asText()).isEqualTo("2026-01-01T01:00:00Z");
        assertThat(result.resolve("output.log")).hasContent("epoch 1: loss 0.3");
        assertThat(namesIn(result)).containsExactlyInAnyOrder("status.json", "output.log");
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

        Path result = dir.resolve("inbox/results/ana/8-flaky");
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
