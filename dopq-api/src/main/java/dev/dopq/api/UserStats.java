package dev.dopq.api;

import java.io.Serializable;

/**
 * Fair-share figures of one user.
 *
 * @param user     user name
 * @param penalty  current penalty; lower runs first
 * @param running  RUNNING jobs
 * @param queued   QUEUED jobs
 * @param finished jobs in a terminal state
 */
public record UserStats(String user, double penalty, int running, int queued, int finished)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
