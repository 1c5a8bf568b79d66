package dev.dopq.server.service;

import dev.dopq.server.core.DopqException;

/** DoPQ's user database cannot be imported; the message names the file and says how to fix it. */
public class UserImportException extends DopqException {
    private static final long serialVersionUID = 1L;

    public UserImportException(String message) {
        super(message);
    }
}
