package dev.dopq.container;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to a container we watch.
 *
 * @param kind        what happened
 * @param containerId the container's full id
 * @param exitCode    the exit code for {@link Kind#DIE}, otherwise {@code null}
 * @param labels      the container's labels as the event carries them
 * @param at          when the engine saw it
 */
public record ContainerEvent(Kind kind, String containerId, Integer exitCode, Map<String, String> labels, Instant at) {

    /** The events we subscribe to. The engine sends {@code OOM} before the {@code DIE} of the same container. */
    public enum Kind { START, DIE, OOM }

    /** Copies the labels. */
    public ContainerEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
