package dev.dopq.server.service;

import dev.dopq.server.core.DopqException;

/** Work offered while the server stops (or while it is too busy to take it): nothing was recorded; offer it again. */
public final class ServerStoppingException extends DopqException {
    private static final long serialVersionUID = 1L;

    public ServerStoppingException(String message) {
        super(message);
    }
}
