package dev.dopq.server.finish;

import dev.dopq.server.files.JobFolder;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.util.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The finish stage: off the committing thread, and caught up at start for what a crash left undone. */
class FinisherTest {
    @TempDir
    Path dir;

    @Test
    void a_finished_job_whose_result_never_reached_the_share_is_finished_at_start() throws IOException {
        Jobs jobs = new Jobs(new InMemoryJobStore());
        Path jobsDir = dir.resolve("work/jobs");
        Job ended = endedJob(jobs, jobsDir.resolve("a"), JobState.SUCCEEDED);
        Files.writeString(JobFolder.of(ended.workDir()).attemptLog(1), "trained\n");

        new Finisher(new ShareWriter(dir.resolve("inbox")), null, false, Runnable::run).catchUp(jobsDir, jobs);

        Path result = dir.resolve("inbox/ana/results/" + ended.id() + "-train");
        assertThat(result.resolve("status.json")).content().contains("\"SUCCEEDED\"");
        assertThat(result.resolve("output.log")).hasContent("trained\n");
        assertThat(JobFolder.of(ended.workDir()).zip()).doesNotExist();
    }

    @Test
    void a_refused_job_whose_zip_never_reached_failed_gets_it_there_at_start_and_queued_jobs_are_left_alone()
            throws IOException {
        Jobs jobs = new Jobs(new InMemoryJobStore());
        Path jobsDir = dir.resolve("work/jobs");
        Job refused = endedJob(jobs, jobsDir.resolve("r"), JobState.REJECTED);
        Job queued = endedJob(jobs, jobsDir.resolve("q"), JobState.QUEUED);

        new Finisher(new ShareWriter(dir.resolve("inbox")), null, false, Runnable::run).catchUp(jobsDir, jobs);

        assertThat(JobFolder.of(refused.workDir()).zip()).doesNotExist();
        assertThat(dir.resolve("inbox/failed/train.zip")).hasContent("zip");
        assertThat(dir.resolve("inbox/failed/train.reason.txt")).content().startsWith("refused for a test");
        assertThat(JobFolder.of(queued.workDir()).zip()).exists();
        assertThat(dir.resolve("inbox/ana/results")).doesNotExist();
    }

    @Test
    void a_refused_job_keeps_its_only_copy_of_the_zip_when_the_share_cannot_take_it() throws IOException {
        Jobs jobs = new Jobs(new InMemoryJobStore());
        Path jobsDir = dir.resolve("work/jobs");
        Job refused = endedJob(jobs, jobsDir.resolve("r"), JobState.REJECTED);
        Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(dir.resolve("inbox/failed"), "a file where the failed/ folder should be");

        new Finisher(new ShareWriter(dir.resolve("inbox")), null, false, Runnable::run).catchUp(jobsDir, jobs);

        assertThat(JobFolder.of(refused.workDir()).zip()).hasContent("zip");
    }

    @Test
    void the_thread_that_commits_an_end_never_waits_for_a_slow_share() throws Exception {
        Jobs jobs = new Jobs(new InMemoryJobStore());
        CountDownLatch shareBlocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ShareWriter slowShare = new ShareWriter(dir.resolve("inbox")) {
            @Override
            public void writeResult(Job job, Path outputLog) {
                shareBlocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.writeResult(job, outputLog);
            }
        };
        Workers stage = new Workers("dopq-finish-test", 1);
        jobs.addListener(new Finisher(slowShare, null, false, stage));
        Job running = endedJob(jobs, dir.resolve("work/jobs/s"), JobState.RUNNING);

        Job ended = jobs.move(running, JobState.SUCCEEDED, "test", b -> b.exitCode(0));

        assertThat(ended.state()).as("the transition committed while the share is still blocked")
                .isEqualTo(JobState.SUCCEEDED);
        assertThat(shareBlocked.await(10, TimeUnit.SECONDS)).as("the finish stage reached the share").isTrue();
        Path status = dir.resolve("inbox/ana/results/" + ended.id() + "-train/status.json");
        assertThat(status).as("not written while the share blocks").doesNotExist();
        release.countDown();
        stage.shutdown(Duration.ofSeconds(10));
        assertThat(status).content().contains("\"SUCCEEDED\"");
        assertThat(JobFolder.of(ended.workDir()).zip()).doesNotExist();
    }

    private static Job endedJob(Jobs jobs, Path folder, JobState state) throws IOException {
        Files.createDirectories(folder);
        Job job = jobs.store().insert(aJob().name("train").state(state).workDir(folder.toString())
                .reason(state == JobState.REJECTED ? "refused for a test" : null)
                .startedAt(state == JobState.REJECTED ? null : Instant.parse("2026-01-01T00:00:00Z"))
                .containerId("c1").finishedAt(state.isTerminal() ? Instant.parse("2026-01-01T00:01:00Z") : null)
                .build(), "test");
        Files.writeString(JobFolder.of(job.workDir()).zip(), "zip");
        Files.writeString(JobFolder.of(job.workDir()).idMarker(), Long.toString(job.id()));
        return job;
    }
}
