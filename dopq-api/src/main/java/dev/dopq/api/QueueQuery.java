package dev.dopq.api;

import java.io.Serializable;

/**
 * One page of the queue, in start order. Pages are by position: the queue changes as jobs start and arrive, so
 * consecutive pages may overlap or skip a job; {@link QueueEntry#position()} always tells where a job stands.
 *
 * @param user   only this user's jobs (positions stay those in the whole queue), or null for all
 * @param offset skip this many (matching) jobs, 0 for the head of the queue
 * @param limit  at most this many (1..{@value ApiLimits#MAX_QUEUE_LIMIT})
 */
public record QueueQuery(String user, int offset, int limit) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The first {@code limit} jobs of the whole queue. */
    public static QueueQuery head(int limit) {
        return new QueueQuery(null, 0, limit);
    }
}
