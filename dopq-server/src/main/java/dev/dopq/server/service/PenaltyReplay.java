package dev.dopq.server.service;

import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.store.JobStore;
import dev.dopq.server.store.PenaltySnapshots;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Rebuilds the penalties at start from the saved snapshot plus the jobs that ended after it, and keeps the snapshot
 * current (periodically and at a clean stop), so a start with a long history replays minutes of it, not all of it.
 * <p>
 * The snapshot is taken of a shadow policy that sees the history exactly as a full replay does (oldest finish first,
 * then id), never of the live policy (which hears ends in the order they are committed): so a start from the
 * snapshot gives the penalties a full replay gives. The shadow covers the history up to {@link #SETTLED} ago; a
 * job recorded later as ended before that (an exit recorded after a crash), a deletion of finished jobs, or a
 * changed penalty configuration makes the next save (or start) replay everything once.
 */
public final class PenaltyReplay {
    /** How far behind now the snapshot stays, so ordinary exits (recorded seconds after the fact) never break it. */
    static final Duration SETTLED = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(PenaltyReplay.class);

    private final JobStore jobs;
    private final PenaltySnapshots snapshots;
    private final Supplier<PenaltyPolicy> policies;
    private final Clock clock;
    /** The history as a full replay sees it, up to {@link #covered}; null when it must be rebuilt. */
    private PenaltyPolicy shadow;
    private Instant covered;
    private WorkerLoop loop;
    private boolean stopped;
    /** Set by {@link #stop}: a rebuild of the whole history under way gives up (the next start replays instead). */
    private volatile boolean abandonRebuild;

    /** Thrown out of a rebuild's replay when the server stops meanwhile. */
    private static final class RebuildAbandoned extends RuntimeException {
        RebuildAbandoned() {
            super("the server stops", null, false, false);
        }
    }

    /** @param policies makes a fresh policy as configured (each call a new one) */
    public PenaltyReplay(JobStore jobs, PenaltySnapshots snapshots, Supplier<PenaltyPolicy> policies, Clock clock) {
        this.jobs = jobs;
        this.snapshots = snapshots;
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * Brings {@code live} (fresh, no finished jobs yet) to what a full replay of the finished history gives: the
     * saved snapshot if it was taken under the same penalty configuration, then every job that ended after it.
     */
    public synchronized void restore(PenaltyPolicy live) {
        Instant started = clock.instant();
        PenaltyPolicy fresh = policies.get();
        Optional<PenaltySnapshots.Saved> saved = snapshots.load();
        Instant from = null;
        String how;
        if (saved.isPresent() && saved.get().penalties().policy().equals(fresh.description())) {
            fresh.restore(saved.get().penalties());
            from = saved.get().coveredUpTo();
            how = "the snapshot of " + saved.get().takenAt() + " and the jobs that ended after " + from;
        } else {
            how = saved.isPresent() ? "the whole history (the snapshot was taken under \""
                    + saved.get().penalties().policy() + "\", the configuration is now \"" + fresh.description()
                    + "\")" : "the whole history (no snapshot)";
        }
        Instant horizon = later(clock.instant().minus(SETTLED), from);
        snapshots.cover(horizon);
        int[] replayed = {0};
        jobs.replayFinishedBetween(from, horizon, j -> {
            fresh.onFinished(j, j.finishedAt());
            replayed[0]++;
        });
        shadow = fresh;
        covered = horizon;
        live.restore(fresh.snapshot());
        jobs.replayFinishedBetween(horizon, null, j -> {
            live.onFinished(j, j.finishedAt());
            replayed[0]++;
        });
        LOG.info("penalties rebuilt from {}: {} finished jobs replayed in {} ms", how, replayed[0],
                Duration.between(started, clock.instant()).toMillis());
    }

    /**
     * Moves the snapshot up to {@link #SETTLED} ago and saves it. When a write broke the cover since the last save,
     * the shadow is rebuilt from the whole history first, unless {@code rebuild} is false (at stop: the next start
     * replays instead). Returns whether a snapshot was saved.
     */
    public synchronized boolean save(boolean rebuild) {
        Instant horizon = later(clock.instant().minus(SETTLED), covered);
        boolean held = snapshots.cover(horizon);
        if (!held || shadow == null) {
            if (!rebuild && shadow == null && held) {
                return false; // never restored: nothing to save
            }
            if (!rebuild) {
                shadow = null;
                LOG.info("penalty snapshot not saved: finished jobs were deleted or recorded late since the last one;"
                        + " the next start replays the whole history");
                return false;
            }
            LOG.info("penalty snapshot: rebuilding from the whole history (finished jobs were deleted or recorded"
                    + " late since the last one)");
            return rebuild(horizon);
        }
        jobs.replayFinishedBetween(covered, horizon, j -> shadow.onFinished(j, j.finishedAt()));
        covered = horizon;
        boolean saved = snapshots.save(new PenaltySnapshots.Saved(shadow.snapshot(), horizon, clock.instant()));
        LOG.debug("penalty snapshot up to {} {}", horizon, saved ? "saved" : "not saved: the history changed meanwhile");
        return saved;
    }

    /** Replays the whole history up to {@code horizon} into a new shadow and saves it, unless the server stops. */
    private boolean rebuild(Instant horizon) {
        PenaltyPolicy fresh = policies.get();
        shadow = null;
        covered = null;
        try {
            jobs.replayFinishedBetween(null, horizon, j -> {
                if (abandonRebuild) {
                    throw new RebuildAbandoned();
                }
                fresh.onFinished(j, j.finishedAt());
            });
        } catch (RebuildAbandoned e) {
            LOG.info("penalty snapshot: rebuild given up as the server stops; the next start replays the history");
            return false;
        }
        shadow = fresh;
        covered = horizon;
        return snapshots.save(new PenaltySnapshots.Saved(shadow.snapshot(), horizon, clock.instant()));
    }

    /** Saves now and then every {@code period} on the thread {@code dopq-penalty-snapshot}. */
    public synchronized void start(Duration period) {
        if (loop != null) {
            return;
        }
        loop = new WorkerLoop("dopq-penalty-snapshot", period, () -> save(true));
        loop.start();
    }

    /** Stops the periodic saves and saves once more, unless the history changed under the snapshot. Idempotent. */
    public void stop(Deadline deadline) {
        WorkerLoop l;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            l = loop;
            loop = null;
        }
        abandonRebuild = true;
        if (l != null) {
            l.stop(deadline);
        }
        try {
            save(false);
        } catch (RuntimeException e) {
            LOG.warn("penalty snapshot not saved at stop (the next start replays from the last one): {}", e.toString());
        }
    }

    private static Instant later(Instant a, Instant b) {
        return b != null && b.isAfter(a) ? b : a;
    }
}
