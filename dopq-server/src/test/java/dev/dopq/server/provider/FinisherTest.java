package dev.dopq.server.provider;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** A job that ended just before a crash still gets its result on the share at the next start. */
class FinisherTest {
    @TempDir
    Path dir;

    @Test
    void a_finished_job_whose_result_never_reached_the_share_is_finished_at_start() throws IOException {
        Jobs jobs = new Jobs(new InMemoryJobStore());
        Path jobsDir = dir.resolve("work/jobs");
        Job ended = endedJob(jobs, jobsDir.resolve("a"), JobState.SUCCEEDED);
        Files.writeString(JobFolder.of(ended.workDir()).attemptLog(1), "trained\n");

        new Finisher(new ShareWriter(dir.resolve("inbox")), null, false).catchUp(jobsDir, jobs);

        Path result = dir.resolve("inbox/results/ana/" + ended.id() + "-train");
        assertThat(result.resolve("status.json")).content().contains("\"SUCCEEDED\"");
        assertThat(result.resolve("output.log")).hasContent("trained\n");
        assertThat(JobFolder.of(ended.workDir()).zip()).doesNotExist();
    }

    @Test
    void a_refused_job_keeps_its_only_copy_of_the_zip_and_running_jobs_are_left_alone() throws IOException {
        Jobs jobs = new Jobs(new InMemoryJobStore());
        Path jobsDir = dir.resolve("work/jobs");
        Job refused = endedJob(jobs, jobsDir.resolve("r"), JobState.REJECTED);
        Job running = endedJob(jobs, jobsDir.resolve("q"), JobState.QUEUED);

        new Finisher(new ShareWriter(dir.resolve("inbox")), null, false).catchUp(jobsDir, jobs);

        assertThat(JobFolder.of(refused.workDir()).zip()).exists();
        assertThat(JobFolder.of(running.workDir()).zip()).exists();
        assertThat(dir.resolve("inbox/results")).doesNotExist();
    }

    private static Job endedJob(Jobs jobs, Path folder, JobState state) throws IOException {
        Files.createDirectories(folder);
        Job job = jobs.store().insert(aJob().name("train").state(state).workDir(folder.toString())
                .startedAt(state == JobState.REJECTED ? null : Instant.parse("2026-01-01T00:00:00Z"))
                .containerId("c1").finishedAt(state.isTerminal() ? Instant.parse("2026-01-01T00:01:00Z") : null)
                .build(), "test");
        Files.writeString(JobFolder.of(job.workDir()).zip(), "zip");
        Files.writeString(JobFolder.of(job.workDir()).idMarker(), Long.toString(job.id()));
        return job;
    }
}
