package dev.dopq.container;

import com.github.dockerjava.api.model.Event;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Reads docker-java's events into ours. */
final class DockerEvents {

    /** Attributes the engine adds to container events beside the container's labels. */
    private static final Set<String> NOT_LABELS = Set.of("image", "name", "exitCode", "signal");

    private DockerEvents() {
    }

    /** The event, or {@code null} when it is not a start, die or oom of a container. */
    static ContainerEvent toContainerEvent(Event e) {
        ContainerEvent.Kind kind = kind(e.getAction() != null ? e.getAction() : e.getStatus());
        if (kind == null || e.getId() == null) {
            return null;
        }
        Map<String, String> attributes = e.getActor() == null || e.getActor().getAttributes() == null
                ? Map.of() : e.getActor().getAttributes();
        Map<String, String> labels = new HashMap<>(attributes);
        labels.keySet().removeAll(NOT_LABELS);
        Integer exitCode = kind == ContainerEvent.Kind.DIE ? exitCode(attributes.get("exitCode")) : null;
        return new ContainerEvent(kind, e.getId(), exitCode, labels, at(e));
    }

    private static ContainerEvent.Kind kind(String action) {
        if (action == null) {
            return null;
        }
        return switch (action) {
            case "start" -> ContainerEvent.Kind.START;
            case "die" -> ContainerEvent.Kind.DIE;
            case "oom" -> ContainerEvent.Kind.OOM;
            default -> null;
        };
    }

    private static Integer exitCode(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant at(Event e) {
        if (e.getTimeNano() != null) {
            return Instant.ofEpochSecond(0, e.getTimeNano());
        }
        return e.getTime() == null ? null : Instant.ofEpochSecond(e.getTime());
    }
}
