package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;

/** A known user. {@code fromConfig} users come from config.ini and have no token until one is made. */
public record UserInfo(String name, boolean admin, boolean hasToken, boolean fromConfig, Instant createdAt)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
