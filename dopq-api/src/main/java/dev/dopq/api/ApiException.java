package dev.dopq.api;

/**
 * Base of every error the API returns. The message is one line a client can print as is.
 * Subclasses carry the kind, which the console client maps to an exit code.
 */
public class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApiException(String message) {
        super(message, null, false, false);
    }

    /** Exit code the console client uses for this kind of error. */
    public int exitCode() {
        return ExitCodes.OTHER;
    }
}
