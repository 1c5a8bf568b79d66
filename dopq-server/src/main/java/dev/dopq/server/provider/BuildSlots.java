package dev.dopq.server.provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.Workers;

/**
 * Build slots shared fairly between users: one user holds at most {@code ceil(slots / 2)} of them at a time (so one
 * user's slow builds never take every slot), and a freed slot goes to the waiting user with the fewest builds
 * running, the earliest waiter first among equals. Each user's builds start in the order they were submitted.
 */
final class BuildSlots {
    private static final Logger LOG = LoggerFactory.getLogger(BuildSlots.class);

    private final Workers pool;
    private final int perUser;
    private final int slots;
    private final int maxWaiting;
    /** Waiting builds per user, users in the order they first waited. */
    private final Map<String, Deque<Runnable>> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private int busy;

    /**
     * @param pool       runs the builds; it must have {@code slots} threads
     * @param maxWaiting builds that may wait for a slot before {@link #hasRoom()} says no
     */
    BuildSlots(Workers pool, int slots, int maxWaiting) {
        this.pool = pool;
        this.slots = slots;
        this.maxWaiting = maxWaiting;
        this.perUser = (slots + 1) / 2;
    }

    /** Queues {@code build} for {@code user}; it starts once a slot is free and the user is below the share. */
    synchronized void submit(String user, Runnable build) {
        waiting.computeIfAbsent(user, u -> new ArrayDeque<>()).addLast(build);
        dispatch();
    }

    /** Whether a build submitted now would wait in line (the pool runs and fewer than the limit wait). */
    synchronized boolean hasRoom() {
        return pool.hasRoom() && waitingCount() < maxWaiting;
    }

    /** Builds waiting for a slot (for tests and status). */
    synchronized int waitingCount() {
        return waiting.values().stream().mapToInt(Deque::size).sum();
    }

    /** Builds of {@code user} holding a slot now. */
    synchronized int runningOf(String user) {
        return running.getOrDefault(user, 0);
    }

    private void dispatch() {
        while (busy < slots) {
            String next = nextUser();
            if (next == null) {
                return;
            }
            Deque<Runnable> queue = waiting.get(next);
            Runnable build = queue.removeFirst();
            if (queue.isEmpty()) {
                waiting.remove(next);
            }
            busy++;
            running.merge(next, 1, Integer::sum);
            try {
                pool.execute(() -> run(next, build));
            } catch (RuntimeException rejected) {
                // the pool is shutting down: the job resumes from its kept zip on the next start
                busy--;
                running.merge(next, -1, Integer::sum);
                LOG.debug("build of {} not started: {}", next, rejected.toString());
                return;
            }
        }
    }

    /** The waiting user below the share with the fewest running builds; null when no one may start. */
    private String nextUser() {
        String best = null;
        int fewest = Integer.MAX_VALUE;
        for (String user : waiting.keySet()) {
            int n = running.getOrDefault(user, 0);
            if (n < perUser && n < fewest) {
                best = user;
                fewest = n;
            }
        }
        return best;
    }

    private void run(String user, Runnable build) {
        try {
            build.run();
        } finally {
            synchronized (this) {
                busy--;
                running.merge(user, -1, Integer::sum);
                dispatch();
            }
        }
    }

    /**
     * Interrupts the running builds and waits for them until {@code deadline}; waiting builds are dropped (their
     * jobs resume from their kept zips on the next start).
     */
    void stop(Deadline deadline) {
        synchronized (this) {
            waiting.clear();
        }
        pool.shutdownNow(deadline);
    }
}
