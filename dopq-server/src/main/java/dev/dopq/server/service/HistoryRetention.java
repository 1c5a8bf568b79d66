package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.files.Trees;
import dev.dopq.server.store.JobStore;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the history to {@code [queue] keep_history} finished jobs (DoPQ's {@code max.history}): a sweep, woken
 * when a job ends and at least once a period, deletes older finished jobs, their events and attempts, and their job folders (zip remains, build and output
 * logs). Jobs that ended less than a grace period ago are left to the finish stage, which may still be copying
 * their results to the share. Folders are deleted before rows, so a crash in between leaves rows that the next
 * sweep deletes, never folders nobody points to.
 */
public final class HistoryRetention {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);
    private static final int BATCH = 500;

    private final JobStore store;
    private final int keep;
    private final Path workRoot;
    private final Clock clock;
    private final Duration grace;
    private volatile WorkerLoop loop;

    /**
     * @param keep     finished jobs kept (0 = all; the sweep then does nothing)
     * @param workRoot the server's work folder; only job folders inside it are deleted
     * @param grace    how long after its end a job is left alone
     */
    public HistoryRetention(JobStore store, int keep, Path workRoot, Clock clock, Duration grace) {
        this.store = store;
        this.keep = keep;
        this.workRoot = workRoot.toAbsolutePath().normalize();
        this.clock = clock;
        this.grace = grace;
    }

    /** One pass: deletes every finished job beyond the newest {@code keep}. Returns how many were deleted. */
    public int sweep() {
        if (keep <= 0) {
            return 0;
        }
        Instant before = clock.instant().minus(grace);
        int deleted = 0;
        List<Job> batch;
        do {
            batch = store.finishedBeyond(keep, before, BATCH);
            List<Long> ids = new ArrayList<>();
            for (Job job : batch) {
                if (deleteFolder(job)) {
                    ids.add(job.id());
                }
            }
            deleted += store.deleteFinished(ids);
            if (ids.size() < batch.size()) {
                break; // a folder that cannot be deleted now is retried on the next sweep
            }
        } while (batch.size() == BATCH);
        if (deleted > 0) {
            LOG.info("history kept to the newest {} finished jobs: deleted {} older ones with their events and"
                    + " job folders", keep, deleted);
        }
        return deleted;
    }

    /**
     * Sweeps now, then whenever {@link #signal()} is called and at least every {@code period}, on the thread
     * {@code dopq-history}, until {@link #stop(Duration)}. Does nothing when every job is kept.
     */
    public synchronized void start(Duration period) {
        if (keep <= 0 || loop != null) {
            return;
        }
        loop = new WorkerLoop("dopq-history", period, this::sweep);
        loop.start();
        LOG.info("the history keeps the newest {} finished jobs", keep);
    }

    /** A job ended: the history may have grown past what is kept. */
    public void signal() {
        WorkerLoop l = loop;
        if (l != null) {
            l.signal();
        }
    }

    /** Stops the sweeping thread, letting a sweep under way finish for up to {@code wait}. Idempotent. */
    public synchronized void stop(Duration wait) {
        if (loop != null) {
            loop.stop(wait);
        }
    }

    /** Deletes the job's folder if it is inside the work root; links inside are removed, never followed. */
    private boolean deleteFolder(Job job) {
        if (job.workDir() == null) {
            return true;
        }
        Path dir = Path.of(job.workDir()).toAbsolutePath().normalize();
        if (!dir.startsWith(workRoot) || dir.equals(workRoot)) {
            LOG.warn("job {}: its folder {} is outside the work folder {}; leaving it", job.id(), dir, workRoot);
            return true;
        }
        try {
            Trees.deleteTree(dir);
            return true;
        } catch (IOException e) {
            LOG.warn("job {}: could not delete its folder {}: {}", job.id(), dir, e.toString());
            return false;
        }
    }
}
