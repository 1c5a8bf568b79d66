package dev.dopq.server.queue;

import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.Workers;
import dev.dopq.server.core.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Container starts in flight, on a small pool of their own: the engine creates and starts several containers at
 * once (as {@code xargs -P4 docker run} does), while the queue thread only commits the GPU allocation. Knows which
 * jobs are starting, so a reconcile never starts one a second time, and which containers are starting, so their
 * exit is recorded only after the start finished (the log follower is attached by then).
 */
final class Starts {
    private static final Logger LOG = LoggerFactory.getLogger(Starts.class);

    private final Workers pool;
    private final Set<Long> jobs = ConcurrentHashMap.newKeySet();
    /** Containers between create and the end of their start; true once their exit was seen meanwhile. */
    private final Map<String, Boolean> containers = new ConcurrentHashMap<>();
    private int inFlight;
    private final Consumer<String> endedAfterStart;

    /**
     * @param threads         how many starts run at once
     * @param endedAfterStart receives a container whose exit was held back while it started, once the start is done
     */
    Starts(int threads, Consumer<String> endedAfterStart) {
        this.pool = new Workers("dopq-start", threads);
        this.endedAfterStart = endedAfterStart;
    }

    /** Threads for {@code gpus} GPUs: one start per GPU at once, at least 2, at most 4. */
    static int threadsFor(int gpus) {
        return Math.max(2, Math.min(4, gpus));
    }

    /** Runs {@code start} for {@code job} on the pool; {@code done} runs after it, also when it failed. */
    void submit(Job job, Consumer<Job> start, Runnable done) {
        jobs.add(job.id());
        changeInFlight(1);
        try {
            pool.execute(() -> {
                try {
                    start.accept(job);
                } catch (RuntimeException e) {
                    LOG.error("starting job {} failed unexpectedly", job.id(), e);
                } finally {
                    jobs.remove(job.id());
                    changeInFlight(-1);
                    done.run();
                }
            });
        } catch (RuntimeException e) {
            jobs.remove(job.id());
            changeInFlight(-1);
            throw e;
        }
    }

    boolean isStarting(long jobId) {
        return jobs.contains(jobId);
    }

    /** The jobs whose start is in flight now (a copy). */
    Set<Long> starting() {
        return Set.copyOf(jobs);
    }

    /** A container of a starting job now exists; its exit waits for {@link #containerDone(String)}. */
    void containerCreated(String containerId) {
        containers.put(containerId, Boolean.FALSE);
    }

    /** The start of a container is over (started or not); hands on an exit that was held back meanwhile. */
    void containerDone(String containerId) {
        if (Boolean.TRUE.equals(containers.remove(containerId))) {
            endedAfterStart.accept(containerId);
        }
    }

    /**
     * Whether the exit of {@code containerId} must wait because its start is not over; it is then handed to the
     * {@code endedAfterStart} consumer when it is.
     */
    boolean holdExit(String containerId) {
        return containers.computeIfPresent(containerId, (k, v) -> Boolean.TRUE) != null;
    }

    private synchronized void changeInFlight(int delta) {
        inFlight += delta;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** Waits until no start is in flight, at most {@code wait}. */
    synchronized void awaitIdle(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            for (long left = wait.toNanos(); inFlight > 0 && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight > 0) {
            LOG.warn("{} container starts still in flight after {}", inFlight, wait);
        }
    }

    /** Lets the starts in flight finish for up to {@code wait}, then interrupts them. */
    void shutdown(Duration wait) {
        pool.shutdown(wait);
    }

    /** Lets the starts in flight finish until {@code deadline}, then interrupts them. */
    void shutdown(Deadline deadline) {
        pool.shutdown(deadline);
    }
}
