package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GPU-hours per user in the last 24 hours, for {@code max_gpu_hours_per_day}: the runs that ended in that window
 * (kept in memory, fed by every run's end and, at start, by the history) plus the running jobs, each counted only
 * for its part inside the window.
 */
public final class RecentGpuUsage implements Jobs.Listener {
    static final Duration WINDOW = Duration.ofHours(24);

    private final Clock clock;
    private final Deque<Run> runs = new ArrayDeque<>();

    private record Run(String user, Instant start, Instant end, double gpus) {
    }

    public RecentGpuUsage(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void changed(Job before, Job after) {
        boolean ended = before != null && before.state() == JobState.RUNNING && after.state() != JobState.RUNNING;
        if (ended && before.startedAt() != null) {
            Instant end = after.finishedAt() != null ? after.finishedAt() : clock.instant();
            add(before.user(), before.startedAt(), end, weight(before));
        }
    }

    /** Takes in a finished job from the history (at start). */
    public void replay(Job finished) {
        if (finished.startedAt() != null && finished.finishedAt() != null) {
            add(finished.user(), finished.startedAt(), finished.finishedAt(), weight(finished));
        }
    }

    /** GPUs held, a sharing job counting its fraction of its GPU. */
    private static double weight(Job job) {
        return job.gpus().isEmpty() ? 0 : job.gpuWeight();
    }

    private synchronized void add(String user, Instant start, Instant end, double gpus) {
        if (gpus > 0 && end.isAfter(start)) {
            runs.addLast(new Run(user, start, end, gpus));
        }
    }

    /** GPU-hours of each user in the 24 hours before {@code now}, with {@code running} counted up to now. */
    public synchronized Map<String, Double> hours(List<Job> running, Instant now) {
        Instant from = now.minus(WINDOW);
        runs.removeIf(r -> !r.end().isAfter(from));
        Map<String, Double> hours = new HashMap<>();
        for (Run r : runs) {
            hours.merge(r.user(), gpuHours(r.start(), r.end(), r.gpus(), from, now), Double::sum);
        }
        for (Job job : running) {
            if (job.startedAt() != null && !job.gpus().isEmpty()) {
                hours.merge(job.user(), gpuHours(job.startedAt(), now, weight(job), from, now), Double::sum);
            }
        }
        return hours;
    }

    private static double gpuHours(Instant start, Instant end, double gpus, Instant from, Instant to) {
        Instant a = start.isBefore(from) ? from : start;
        Instant b = end.isAfter(to) ? to : end;
        return b.isAfter(a) ? gpus * Duration.between(a, b).toMillis() / 3_600_000.0 : 0;
    }
}
