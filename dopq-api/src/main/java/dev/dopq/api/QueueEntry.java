package dev.dopq.api;

import java.io.Serializable;

/**
 * A queued job with its place in the start order.
 *
 * @param position 1-based position in the whole queue (1 starts next)
 * @param job      the job
 */
public record QueueEntry(int position, JobView job) implements Serializable {
    private static final long serialVersionUID = 1L;
}
