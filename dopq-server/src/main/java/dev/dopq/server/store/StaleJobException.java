package dev.dopq.server.store;

import dev.dopq.server.core.DopqException;

/** An optimistic update lost: the job was changed by someone else since it was read. */
public class StaleJobException extends DopqException {
    private static final long serialVersionUID = 1L;
    private final long jobId;

    public StaleJobException(long jobId, long expectedVersion) {
        super("job " + jobId + " was changed concurrently (expected version " + expectedVersion + ")");
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}
