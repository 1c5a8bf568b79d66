package dev.dopq.container;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to a container we watch.
 *
 * @param kind        what happened
 * @param containerId the container's full id; null for the engine's own {@link Kind#ENGINE_LOST} and
 *                    {@link Kind#ENGINE_BACK}
 * @param exitCode    the exit code for {@link Kind#DIE}, otherwise {@code null}
 * @param labels      the container's labels as the event carries them
 * @param at          when the engine saw it
 */
public record ContainerEvent(Kind kind, String containerId, Integer exitCode, Map<String, String> labels, Instant at) {

    /**
     * The events we subscribe to. The engine sends {@code OOM} before the {@code DIE} of the same container.
     * {@code ENGINE_LOST} (the event stream broke: the engine stopped or is unreachable) and {@code ENGINE_BACK}
     * (it answers again; events missed meanwhile follow) come from the subscription itself, at the time it noticed.
     */
    public enum Kind { START, DIE, OOM, ENGINE_LOST, ENGINE_BACK }

    /** An event about the engine itself, not a container. */
    public static ContainerEvent engine(Kind kind, Instant at) {
        return new ContainerEvent(kind, null, null, Map.of(), at);
    }

    /** Copies the labels. */
    public ContainerEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
