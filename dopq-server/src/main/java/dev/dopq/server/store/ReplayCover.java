package dev.dopq.server.store;

import dev.dopq.server.core.Job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The cover of {@link PenaltySnapshots}, shared by the job store (which breaks it) and the snapshot store (which
 * moves it and saves under it).
 * <p>
 * Writes that may break the cover hold the read lock from their check to their commit; moving the cover and saving
 * take the write lock. So a write is either committed before the cover moves (and a replay read afterwards sees it)
 * or checked against the moved cover; and a save either sees the break or is committed before the breaking write
 * deletes the snapshot row.
 */
final class ReplayCover {
    static final String DROP = "DELETE FROM penalty_snapshot";

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Until the first cover, every ended job and every deletion breaks it. */
    private Instant coveredUpTo = Instant.MAX;
    private boolean broken;

    /** Runs a write that may break the cover (call {@link #ended} or {@link #deleted} inside it). */
    <T> T whileWriting(Supplier<T> write) {
        lock.readLock().lock();
        try {
            return write.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Inside {@link #whileWriting}: {@code job} has just ended in this transaction. */
    void ended(Connection c, Job job) throws SQLException {
        if (job.startedAt() == null || job.finishedAt() == null) {
            return; // never ran: not part of the replay
        }
        boolean breaks;
        synchronized (this) {
            breaks = !job.finishedAt().isAfter(coveredUpTo);
            broken |= breaks;
        }
        if (breaks) {
            drop(c);
        }
    }

    /** Inside {@link #whileWriting}: finished jobs were deleted in this transaction. */
    void deleted(Connection c) throws SQLException {
        synchronized (this) {
            broken = true;
        }
        drop(c);
    }

    private static void drop(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate(DROP);
        }
    }

    /** Moves the cover; returns whether the previous one held. */
    boolean cover(Instant upTo) {
        lock.writeLock().lock();
        try {
            synchronized (this) {
                boolean held = !broken;
                coveredUpTo = upTo;
                broken = false;
                return held;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code save} with no breaking write under way, unless the cover is broken; returns whether it ran. */
    boolean saveIfHeld(Supplier<Boolean> save) {
        lock.writeLock().lock();
        try {
            synchronized (this) {
                if (broken) {
                    return false;
                }
            }
            return save.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
