package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;

/**
 * Filters for the finished-jobs history, newest first.
 *
 * @param user     only this user's jobs, or null for all
 * @param since    only jobs finished at or after this, or null
 * @param limit    at most this many (1..1000)
 * @param beforeId page: only jobs with an id lower than this, or null for the newest
 */
public record HistoryQuery(String user, Instant since, int limit, String beforeId) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(null, null, limit, null);
    }
}
