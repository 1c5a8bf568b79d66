package dev.dopq.server;

import dev.dopq.server.core.DopqException;

/** The server cannot start for a reason the admin can fix; its message is the one line they are shown. */
public final class StartupException extends DopqException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
