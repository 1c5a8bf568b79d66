package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The QUEUED jobs kept indexed between decisions: per user a FIFO in {@code (submittedAt, unknown last, id)}
 * order. The next job is the best head among the users (O(users), one penalty lookup each) and the start order
 * is a merge of the FIFOs ({@link QueueOrder}), so a decision never sorts or even visits the whole queue.
 * <p>
 * Not thread-safe: the owner changes it and reads it under one lock. Pure: no I/O, time comes in as arguments.
 */
public final class QueueIndex implements QueuedJobs {
    /** Order of one user's jobs; with the penalty in front it is {@link Scheduler#decide}'s order. */
    static final Comparator<Job> FIFO = Comparator.comparing(Job::submittedAt,
            Comparator.nullsLast(Comparator.naturalOrder())).thenComparingLong(Job::id);

    private final Map<Long, Job> byId = new TreeMap<>();
    private final Map<String, NavigableSet<Job>> byUser = new HashMap<>();
    private final Map<Long, Job> cpuOnly = new HashMap<>();
    private final GpuDemand demand = new GpuDemand();

    /**
     * Adds a QUEUED job, or replaces the queued job with the same id (its user, submission time or request may
     * have changed).
     *
     * @throws IllegalArgumentException when the job is not QUEUED
     */
    public void put(Job job) {
        Objects.requireNonNull(job, "job");
        if (job.state() != JobState.QUEUED) {
            throw new IllegalArgumentException("job " + job.id() + " is " + job.state() + ", not QUEUED");
        }
        remove(job.id());
        byId.put(job.id(), job);
        byUser.computeIfAbsent(job.user(), u -> new TreeSet<>(FIFO)).add(job);
        if (job.cpuOnly()) {
            cpuOnly.put(job.id(), job);
        }
        demand.add(job);
    }

    /** Removes the job with this id; nothing happens when it is not queued here. */
    public void remove(long jobId) {
        Job old = byId.remove(jobId);
        if (old == null) {
            return;
        }
        NavigableSet<Job> fifo = byUser.get(old.user());
        fifo.remove(old);
        if (fifo.isEmpty()) {
            byUser.remove(old.user());
        }
        cpuOnly.remove(jobId);
        demand.remove(old);
    }

    @Override
    public int size() {
        return byId.size();
    }

    @Override
    public List<Job> jobs() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public List<Job> cpuOnly() {
        return new ArrayList<>(cpuOnly.values());
    }

    @Override
    public Optional<Job> next(PenaltyPolicy penalties, Instant now) {
        Objects.requireNonNull(now, "now");
        Job best = null;
        double bestPenalty = 0;
        for (Map.Entry<String, NavigableSet<Job>> e : byUser.entrySet()) {
            double penalty = penalties.penalty(e.getKey(), now);
            Job head = e.getValue().first();
            int byPenalty = Double.compare(penalty, bestPenalty);
            if (best == null || byPenalty < 0 || byPenalty == 0 && FIFO.compare(head, best) < 0) {
                best = head;
                bestPenalty = penalty;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public QueueOrder order(PenaltyPolicy penalties, Instant now) {
        Objects.requireNonNull(now, "now");
        return new QueueOrder(byUser, penalties, now);
    }

    @Override
    public boolean anyAsking(int maxGpus, Collection<Job> except) {
        return demand.anyAsking(maxGpus, except);
    }

    @Override
    public boolean anyTimedAsking(int maxGpus, Duration maxTimeout, Collection<Job> except) {
        return demand.anyTimedAsking(maxGpus, maxTimeout, except);
    }

    @Override
    public boolean anySharing(long maxBytes, Collection<Job> except) {
        return demand.anySharing(maxBytes, except);
    }
}
