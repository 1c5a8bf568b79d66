package dev.dopq.server.core;

/** A job was asked to move to a state its current state does not lead to. */
public class IllegalTransitionException extends DopqException {
    private static final long serialVersionUID = 1L;
    private final long jobId;
    private final JobState from;
    private final JobState to;

    public IllegalTransitionException(long jobId, JobState from, JobState to) {
        super("job " + jobId + " cannot go from " + from + " to " + to);
        this.jobId = jobId;
        this.from = from;
        this.to = to;
    }

    public long jobId() {
        return jobId;
    }

    public JobState from() {
        return from;
    }

    public JobState to() {
        return to;
    }
}
