package dev.dopq.server.core;

import java.time.Instant;
import java.util.List;

/** One run of a job's container: retries make several. */
public record Attempt(long jobId, int number, String containerId, List<String> gpus, Instant startedAt,
                      Instant finishedAt, Integer exitCode, String reason) {
    public Attempt {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
