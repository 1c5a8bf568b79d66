package dev.dopq.server.core;

/** Base of the server's own unchecked exceptions; converted to API exceptions at the RMI boundary. */
public class DopqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DopqException(String message) {
        super(message);
    }

    public DopqException(String message, Throwable cause) {
        super(message, cause);
    }
}
