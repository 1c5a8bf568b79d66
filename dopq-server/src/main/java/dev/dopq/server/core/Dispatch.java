package dev.dopq.server.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one dispatch from the {@link QueuedJobs index} starts: the same starts and held GPUs as
 * {@link Scheduler#decide} on the same queue, without the order and waiting reasons of every queued job.
 *
 * @param starts     jobs to start now, in start order, with their GPUs
 * @param held       GPU id to the id of the job it is held for
 * @param considered how many queued jobs the walk looked at before it could tell that no further one starts
 */
public record Dispatch(List<Placement> starts, Map<String, Long> held, int considered) {
    public Dispatch {
        starts = List.copyOf(starts);
        held = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(held));
    }

    /** This dispatch as a decision without order or waiting reasons (those come from a full decision). */
    public Decision asDecision() {
        return new Decision(starts, List.of(), Map.of(), held);
    }
}
