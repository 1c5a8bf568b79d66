package dev.dopq.server.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When the engine was gone (its event stream broke until it answered again), and whether it keeps containers
 * running across its own restart (live-restore). Without live-restore a restarting engine stops every container
 * itself: an attempt that ended by SIGTERM or SIGKILL inside such a window was killed by the engine, not by its job,
 * and is a lost attempt. Thread-safe: the event stream writes, the exit workers read.
 */
final class EngineOutages {
    /** Clock skew between the engine's FinishedAt and our notice of the stream breaking. */
    static final Duration SLACK = Duration.ofSeconds(5);
    private static final int KEPT = 16;
    /** 128 + SIGTERM, 128 + SIGKILL: what a stop by the engine leaves. */
    private static final int SIGTERM_EXIT = 143;
    private static final int SIGKILL_EXIT = 137;

    private record Window(Instant lost, Instant back) {
    }

    private final Deque<Window> windows = new ArrayDeque<>();
    private Instant openSince;
    private volatile Boolean liveRestore;

    synchronized void lost(Instant at) {
        if (openSince == null) {
            openSince = at;
        }
    }

    synchronized void back(Instant at) {
        if (openSince != null) {
            windows.addLast(new Window(openSince, at));
            openSince = null;
            while (windows.size() > KEPT) {
                windows.removeFirst();
            }
        }
    }

    /** What the engine said of live-restore; null while unknown (it did not answer yet). */
    Boolean liveRestore() {
        return liveRestore;
    }

    void liveRestore(Boolean on) {
        liveRestore = on;
    }

    /**
     * Whether an attempt that ended with {@code exitCode} at {@code finishedAt} was killed by the engine's own stop:
     * live-restore is not known to be on, the exit is a SIGTERM/SIGKILL one, and it ended while the engine was gone
     * ({@code now} closes a window still open).
     */
    synchronized boolean killedByEngine(Integer exitCode, Instant finishedAt, Instant now) {
        if (Boolean.TRUE.equals(liveRestore) || exitCode == null || finishedAt == null
                || (exitCode != SIGTERM_EXIT && exitCode != SIGKILL_EXIT)) {
            return false;
        }
        if (openSince != null && within(finishedAt, openSince, now)) {
            return true;
        }
        return windows.stream().anyMatch(w -> within(finishedAt, w.lost(), w.back()));
    }

    /**
     * Whether an exit that looks like the engine's own stop ({@code exitCode} 143 or 137, live-restore not known to
     * be on, no outage known around it) came too recently to tell: a stopping engine sends SIGTERM to its containers
     * before its event stream breaks, so their exits arrive first. Such an exit is recorded once {@link #SLACK} has
     * passed (by the next reconcile), when an outage that caused it is known.
     */
    synchronized boolean tooEarlyToTell(Integer exitCode, Instant finishedAt, Instant now) {
        if (Boolean.TRUE.equals(liveRestore) || exitCode == null || finishedAt == null
                || (exitCode != SIGTERM_EXIT && exitCode != SIGKILL_EXIT)) {
            return false;
        }
        if (killedByEngine(exitCode, finishedAt, now)) {
            return false;
        }
        return now.isBefore(finishedAt.plus(SLACK));
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from.minus(SLACK)) && !t.isAfter(to.plus(SLACK));
    }
}
