package dev.dopq.bench.sched;

import dev.dopq.server.core.Job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The baseline: how DoPQ chose the next job. Every decision recomputes every user's penalty from the whole
 * history and re-sorts the whole queue by it.
 * <p>
 * This is the kind version of "recompute each time": one pass over the history per decision computes all users'
 * penalties at once. DoPQ's {@code calc_penalty} ran once per user, i.e. {@code users} passes; that would make the
 * baseline about {@code users} times slower still.
 */
public final class DopqWayScheduler {
    private static final double LAMBDA_PER_SECOND = Math.log(2) / (24 * 3600.0);

    private final SchedulingWorkload.History history;

    public DopqWayScheduler(SchedulingWorkload.History history) {
        this.history = history;
    }

    /** The queue in start order under the given policy kind; the first entry is the next job. */
    public List<Job> order(List<Job> queued, String kind, Instant now) {
        double[] penalty = "dopq".equals(kind) ? dopqRule() : decayedUsage(now);
        List<Job> sorted = new ArrayList<>(queued);
        sorted.sort(Comparator.<Job>comparingDouble(j -> penalty[index(j.user())])
                .thenComparing(Job::submittedAt).thenComparingLong(Job::id));
        return sorted;
    }

    /** DoPQ's rule: sum of e^-i over the user's positions i in the history, newest first. */
    private double[] dopqRule() {
        double[] penalty = new double[history.userNames().length];
        int n = history.size();
        for (int i = 0; i < n; i++) {
            penalty[history.user()[n - 1 - i]] += Math.exp(-i);
        }
        return penalty;
    }

    /** GPU-seconds decayed by a 24 h half-life, summed over the whole history. */
    private double[] decayedUsage(Instant now) {
        double[] penalty = new double[history.userNames().length];
        long nowSecond = now.getEpochSecond();
        for (int i = 0; i < history.size(); i++) {
            double age = nowSecond - history.finishedAtSecond()[i];
            penalty[history.user()[i]] += history.gpuSeconds()[i] * Math.exp(-LAMBDA_PER_SECOND * age);
        }
        return penalty;
    }

    /** Users are named "user" + index in the workload. */
    private static int index(String user) {
        return Integer.parseInt(user, 4, user.length(), 10);
    }
}
