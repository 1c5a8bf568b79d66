package dev.dopq.server.queue;

import dev.dopq.container.ContainerEvent;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code die} events whose exit can be recorded without an inspect. A container in which the kernel killed a
 * process for memory gets an {@code oom} event before its {@code die}; its shell may still exit 0, so its die event
 * is not kept: the inspect that follows reads the OOM flag, and the job ends FAILED, not SUCCEEDED.
 */
final class DieEvents {
    private final Map<String, ContainerEvent> dies = new ConcurrentHashMap<>();
    private final Set<String> oomKilled = ConcurrentHashMap.newKeySet();

    /** An event from the engine's stream (start, die, oom); others are ignored. */
    void on(ContainerEvent event) {
        String id = event.containerId();
        if (id == null) {
            return;
        }
        switch (event.kind()) {
            case OOM -> oomKilled.add(id);
            case DIE -> {
                if (!oomKilled.remove(id)) {
                    dies.put(id, event);
                }
            }
            default -> {
            }
        }
    }

    /** The die event of the container, to record its exit from, or null when its exit must be inspected. */
    ContainerEvent take(String containerId) {
        return dies.remove(containerId);
    }
}
