package dev.dopq.server.store;

import java.time.Instant;
import java.util.List;

/**
 * Notifications waiting to be delivered. A row is added once per job, event, channel and target; it stays until it
 * is delivered or given up, so a restart neither loses nor repeats a notification.
 */
public interface Outbox {
    /** One notification. */
    record Message(long id, long jobId, String event, String channel, String target, String body, int attempts) {
    }

    /** Adds a notification due now; returns false when the same one is already there. */
    boolean add(long jobId, String event, String channel, String target, String body, Instant now);

    /** Whether any notification of this job's {@code event} was ever queued (delivered, given up or waiting). */
    boolean has(long jobId, String event);

    /** Up to {@code limit} undelivered notifications due at {@code now}, oldest first. */
    List<Message> due(Instant now, int limit);

    /** The earliest time an undelivered notification is due, or null when none waits. */
    Instant nextDue();

    void delivered(long id, Instant at);

    /** Records a failed attempt; {@code retryAt} null gives the notification up. */
    void failed(long id, String error, Instant at, Instant retryAt);

    /** Counts: {@code [waiting, delivered, given up]}. */
    long[] counts();
}
