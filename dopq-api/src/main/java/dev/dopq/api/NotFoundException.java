package dev.dopq.api;

/** Thrown when a job, user or file that does not exist. */
public class NotFoundException extends ApiException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.NOT_FOUND;
    }
}
