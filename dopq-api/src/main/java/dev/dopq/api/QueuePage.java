package dev.dopq.api;

import java.io.Serializable;
import java.util.List;

/**
 * One page of the queue ({@link DopqSession#queue(QueueQuery)}).
 *
 * @param total    queued jobs in the whole queue
 * @param matching queued jobs that match the query's user filter ({@code total} without one)
 * @param offset   the query's offset
 * @param jobs     at most the query's limit of matching jobs, in start order
 */
public record QueuePage(int total, int matching, int offset, List<QueueEntry> jobs) implements Serializable {
    private static final long serialVersionUID = 1L;

    public QueuePage {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    /** Matching jobs after this page. */
    public int remaining() {
        return Math.max(0, matching - offset - jobs.size());
    }
}
