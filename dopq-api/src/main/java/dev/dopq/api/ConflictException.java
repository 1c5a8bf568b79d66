package dev.dopq.api;

/** Thrown when the request does not fit the current state (e.g. deleting a job that already runs). */
public class ConflictException extends ApiException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.CONFLICT;
    }
}
