package dev.dopq.container;

import java.time.Instant;
import java.util.Map;

/**
 * A container as the engine reports it now.
 *
 * @param id         full container id
 * @param running    whether it runs now
 * @param exitCode   the exit code once it has ended, {@code null} while running or before its first start
 * @param oomKilled  whether the kernel's OOM killer hit it (its memory limit was reached)
 * @param startedAt  when it started, or {@code null} if it never did
 * @param finishedAt when it ended, or {@code null} if it has not
 * @param labels     its labels
 * @param name       its name without the leading {@code /}
 */
public record ContainerStatus(String id, boolean running, Integer exitCode, boolean oomKilled, Instant startedAt,
                              Instant finishedAt, Map<String, String> labels, String name) {

    /** Copies the labels. */
    public ContainerStatus {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
