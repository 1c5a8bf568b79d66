package dev.dopq.server.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The queued jobs that are not held, in start order {@code (priority descending, penalty, submittedAt, id)}, one at
 * a time: a heap over the heads of the users' lists (each in {@code (priority descending, submittedAt, id)} order),
 * so taking the first k jobs costs O(users + k log users) instead of sorting the whole queue.
 * Penalties are looked up once, when the order is created, like {@link Scheduler#decide} does per decision.
 */
public final class QueueOrder implements Iterator<Job> {
    private final Map<String, Double> penalties = new HashMap<>();
    private final PriorityQueue<Cursor> heads;

    /** One user's remaining jobs; {@code head} is the next of them in the order. */
    private record Cursor(double penalty, Job head, Iterator<Job> rest) {
    }

    QueueOrder(Map<String, NavigableSet<Job>> byUser, PenaltyPolicy policy, Instant now) {
        heads = new PriorityQueue<>(Math.max(1, byUser.size()), Comparator.comparingInt((Cursor c) -> -c.head()
                .priority()).thenComparingDouble(Cursor::penalty).thenComparing(Cursor::head, QueueIndex.USER_ORDER));
        for (Map.Entry<String, NavigableSet<Job>> e : byUser.entrySet()) {
            double penalty = policy.penalty(e.getKey(), now);
            penalties.put(e.getKey(), penalty);
            Iterator<Job> jobs = e.getValue().iterator();
            heads.add(new Cursor(penalty, jobs.next(), jobs));
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public Job next() {
        Cursor first = heads.poll();
        if (first == null) {
            throw new NoSuchElementException("no more queued jobs");
        }
        if (first.rest().hasNext()) {
            heads.add(new Cursor(first.penalty(), first.rest().next(), first.rest()));
        }
        return first.head();
    }

    /** The penalty this order uses for {@code user} (0 for a user without queued jobs). */
    public double penalty(String user) {
        return penalties.getOrDefault(user, 0.0);
    }

    /** This order as a comparator, for placing jobs of the same queue that were not walked. */
    public Comparator<Job> comparator() {
        return QueueIndex.startOrder(j -> penalty(j.user()));
    }
}
