package dev.dopq.server.store;

import dev.dopq.server.core.DopqException;

/** The store could not do what was asked (database error, or a reference to a job that does not exist). */
public class StoreException extends DopqException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
