package dev.dopq.server.metrics;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts and times what happens to jobs, told by every committed transition. Only updates in-memory counters on
 * the committing thread, never IO. Users are labels (a lab has tens); job ids never are.
 */
final class JobCounters implements Jobs.Listener {
    /** Queue waits and run times of jobs lasting minutes to days: 10 s ... 1 week. */
    static final double[] LONG_BUCKETS = {10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400,
            172800, 345600, 604800};
    /** Image builds: 1 s ... 2 h. */
    static final double[] BUILD_BUCKETS = {1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600, 7200};

    private final Clock clock;
    private final Counter submitted;
    private final Counter finished;
    private final Counter gpuSeconds;
    private final Histogram wait;
    private final Histogram run;
    private final Histogram build;
    private final Map<Long, Instant> buildingSince = new ConcurrentHashMap<>();
    private final Map<Long, Instant> queuedSince = new ConcurrentHashMap<>();

    JobCounters(PrometheusRegistry registry, Clock clock) {
        this.clock = clock;
        submitted = Counter.builder().name("dopq_jobs_submitted_total")
                .help("Jobs taken in (from the share or the API), by user").labelNames("user").register(registry);
        finished = Counter.builder().name("dopq_jobs_finished_total")
                .help("Jobs that reached a terminal state, by user and outcome (SUCCEEDED, FAILED, CANCELLED,"
                        + " REJECTED)").labelNames("user", "outcome").register(registry);
        gpuSeconds = Counter.builder().name("dopq_user_gpu_seconds_total")
                .help("GPU-seconds of finished attempts (GPUs held x run time), by user").labelNames("user")
                .register(registry);
        wait = Histogram.builder().name("dopq_job_wait_seconds")
                .help("Time from entering the queue to starting, by user").labelNames("user")
                .classicUpperBounds(LONG_BUCKETS).classicOnly().register(registry);
        run = Histogram.builder().name("dopq_job_run_seconds")
                .help("Run time of an attempt, from container start to its end, by user and outcome")
                .labelNames("user", "outcome").classicUpperBounds(LONG_BUCKETS).classicOnly().register(registry);
        build = Histogram.builder().name("dopq_image_build_seconds")
                .help("Time from the start of preparation (extract, build or load) to the job being queued")
                .classicUpperBounds(BUILD_BUCKETS).classicOnly().register(registry);
    }

    @Override
    public void changed(Job before, Job after) {
        JobState from = before == null ? null : before.state();
        JobState to = after.state();
        if (from == to) {
            return;
        }
        Instant now = clock.instant();
        if (from == null) {
            submitted.labelValues(label(after.user())).inc();
        }
        if (to == JobState.BUILDING) {
            buildingSince.put(after.id(), now);
        }
        if (to == JobState.QUEUED) {
            Instant since = buildingSince.remove(after.id());
            if (since != null) {
                build.observe(seconds(since, now));
            }
            queuedSince.put(after.id(), now);
        }
        if (to == JobState.RUNNING) {
            Instant since = queuedSince.remove(after.id());
            Instant started = after.startedAt() == null ? now : after.startedAt();
            wait.labelValues(after.user()).observe(seconds(since == null ? after.submittedAt() : since, started));
        }
        if (from == JobState.RUNNING) {
            ranUntil(before, after, now);
        }
        if (to.isTerminal()) {
            finished.labelValues(label(after.user()), to.name()).inc();
            buildingSince.remove(after.id());
            queuedSince.remove(after.id());
        }
    }

    /** An attempt ended (the job finished, or failed and was queued again for a retry). */
    private void ranUntil(Job before, Job after, Instant now) {
        if (before.startedAt() == null) {
            return;
        }
        Instant end = after.finishedAt() != null ? after.finishedAt() : now;
        double secs = seconds(before.startedAt(), end);
        run.labelValues(after.user(), after.state().isTerminal() ? after.state().name() : "RETRIED").observe(secs);
        int gpus = before.gpus().size();
        if (gpus > 0) {
            gpuSeconds.labelValues(after.user()).inc(secs * gpus);
        }
    }

    private static double seconds(Instant from, Instant to) {
        if (from == null || to == null) {
            return 0;
        }
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }

    /** RECEIVED jobs have no user (NULL) until their config is read; their user label is "-". */
    static String label(String user) {
        return user == null || user.isEmpty() ? "-" : user;
    }
}
