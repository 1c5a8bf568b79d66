package dev.dopq.server.service;

import dev.dopq.server.core.DopqException;

/** An ended job cannot run again as it was (its image is gone, or its spec no longer passes); nothing was recorded. */
public final class RestartRefusedException extends DopqException {
    private static final long serialVersionUID = 1L;

    public RestartRefusedException(String message) {
        super(message);
    }
}
