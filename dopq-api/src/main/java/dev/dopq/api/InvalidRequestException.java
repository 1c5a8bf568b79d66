package dev.dopq.api;

/** Thrown when arguments the server refuses (too long, malformed, out of range). */
public class InvalidRequestException extends ApiException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.USAGE;
    }
}
