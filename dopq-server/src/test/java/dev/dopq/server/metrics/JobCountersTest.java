package dev.dopq.server.metrics;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.testutil.MutableClock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class JobCountersTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final DopqMetrics metrics = new DopqMetrics(clock, "1.2.3");
    private final Jobs.Listener listener = metrics.jobListener();

    private String text() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Moves a job through the given states, advancing the clock by {@code step} before each transition. */
    private Job walk(Job job, Duration step, JobState... states) {
        listener.changed(null, job);
        Job current = job;
        for (JobState s : states) {
            clock.advance(step);
            Job.Builder next = current.toBuilder().state(s);
            if (s == JobState.RUNNING) {
                next.startedAt(clock.instant()).gpus(List.of("0", "1"));
            }
            if (s.isTerminal()) {
                next.finishedAt(clock.instant());
            }
            Job after = next.build();
            listener.changed(current, after);
            current = after;
        }
        return current;
    }

    @Test
    void a_job_that_runs_counts_as_submitted_and_finished_and_is_timed_in_the_histograms() throws IOException {
        walk(aJob().id(1).user("ana").state(JobState.RECEIVED).submittedAt(clock.instant()).build(),
                Duration.ofMinutes(10), JobState.BUILDING, JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED);

        String text = text();
        assertThat(text).contains("dopq_jobs_submitted_total{user=\"ana\"} 1.0");
        assertThat(text).contains("dopq_jobs_finished_total{outcome=\"SUCCEEDED\",user=\"ana\"} 1.0");
        // queued at +20m, started at +30m: 600 s wait, within the 900 s bucket, not the 300 s one
        assertThat(text).contains("dopq_job_wait_seconds_bucket{user=\"ana\",le=\"300.0\"} 0");
        assertThat(text).contains("dopq_job_wait_seconds_bucket{user=\"ana\",le=\"900.0\"} 1");
        assertThat(text).contains("dopq_job_wait_seconds_sum{user=\"ana\"} 600.0");
        assertThat(text).contains("dopq_job_run_seconds_sum{outcome=\"SUCCEEDED\",user=\"ana\"} 600.0");
        assertThat(text).contains("dopq_image_build_seconds_sum 600.0");
        // two GPUs for 600 s
        assertThat(text).contains("dopq_user_gpu_seconds_total{user=\"ana\"} 1200.0");
    }

    @Test
    void histogram_buckets_reach_from_seconds_to_a_week() throws IOException {
        walk(aJob().id(2).user("bob").state(JobState.QUEUED).submittedAt(clock.instant()).build(),
                Duration.ofDays(3), JobState.RUNNING, JobState.FAILED);

        String text = text();
        assertThat(text).contains("dopq_job_wait_seconds_bucket{user=\"bob\",le=\"172800.0\"} 0");
        assertThat(text).contains("dopq_job_wait_seconds_bucket{user=\"bob\",le=\"345600.0\"} 1");
        assertThat(text).contains("dopq_job_wait_seconds_bucket{user=\"bob\",le=\"604800.0\"} 1");
        assertThat(text).contains("dopq_jobs_finished_total{outcome=\"FAILED\",user=\"bob\"} 1.0");
    }

    @Test
    void a_rejected_zip_counts_as_finished_rejected_without_any_run_time() throws IOException {
        walk(aJob().id(3).user("ana").state(JobState.RECEIVED).build(), Duration.ofSeconds(1), JobState.REJECTED);

        String text = text();
        assertThat(text).contains("dopq_jobs_finished_total{outcome=\"REJECTED\",user=\"ana\"} 1.0");
        assertThat(text).doesNotContain("dopq_job_run_seconds_count{outcome=\"REJECTED\"");
    }

    @Test
    void no_metric_carries_a_job_label_and_build_info_carries_the_version() throws IOException {
        walk(aJob().id(4).user("ana").state(JobState.QUEUED).build(), Duration.ofSeconds(5), JobState.RUNNING,
                JobState.SUCCEEDED);

        String text = text();
        assertThat(text).doesNotContain("job=\"");
        assertThat(text).contains("dopq_build_info{java=\"" + System.getProperty("java.version")
                + "\",version=\"1.2.3\"} 1");
        assertThat(metrics.names()).contains("jvm_memory_used_bytes", "dopq_jobs_finished_total",
                "dopq_job_wait_seconds_bucket");
    }
}
