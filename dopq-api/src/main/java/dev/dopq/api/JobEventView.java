package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;

/** One recorded state transition of a job. */
public record JobEventView(Instant at, String actor, String from, String to, String reason)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
