package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;

/**
 * A known user. {@code fromConfig} users come from config.ini and have no token until one is made; {@code email}
 * is null when unknown (users imported from DoPQ's user database keep theirs).
 */
public record UserInfo(String name, boolean admin, boolean hasToken, boolean fromConfig, Instant createdAt,
                       String email) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A user without a known e-mail. */
    public UserInfo(String name, boolean admin, boolean hasToken, boolean fromConfig, Instant createdAt) {
        this(name, admin, hasToken, fromConfig, createdAt, null);
    }
}
