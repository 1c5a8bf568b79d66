package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The QUEUED jobs, read-only, indexed for scheduling: per user a FIFO, so the next job and the start order are
 * found without sorting the whole queue. {@link QueueIndex} is the implementation; holders hand this view out
 * while they keep the index from changing.
 */
public interface QueuedJobs {

    /** Number of queued jobs. */
    int size();

    /** All queued jobs, by ascending id (a copy). */
    List<Job> jobs();

    /** The queued CPU-only jobs, in no particular order (a copy). */
    List<Job> cpuOnly();

    /**
     * The head of the start order, i.e. {@code Scheduler.decide(...).order().get(0)}: one penalty lookup per user
     * with queued jobs, no sorting.
     */
    Optional<Job> next(PenaltyPolicy penalties, Instant now);

    /**
     * The queued jobs in start order {@code (penalty, submittedAt, id)}, produced lazily: each user's penalty is
     * looked up once when the order is created, each further job costs O(log users). Valid only while the index
     * does not change.
     */
    QueueOrder order(PenaltyPolicy penalties, Instant now);

    /** Whether a queued GPU job, other than those in {@code except}, asks at most {@code maxGpus} GPUs. */
    boolean anyAsking(int maxGpus, Collection<Job> except);

    /**
     * Whether a queued GPU job, other than those in {@code except}, asks at most {@code maxGpus} GPUs and declares
     * a timeout of at most {@code maxTimeout}.
     */
    boolean anyTimedAsking(int maxGpus, Duration maxTimeout, Collection<Job> except);

    /** Whether a queued job that shares a GPU, other than those in {@code except}, asks at most {@code maxBytes}. */
    boolean anySharing(long maxBytes, Collection<Job> except);
}
