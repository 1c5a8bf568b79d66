package dev.dopq.server.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one {@link Scheduler#decide scheduling pass}.
 *
 * @param starts  jobs to start now, in order
 * @param order   all queued jobs in start order (ascending penalty, submission time, id)
 * @param waiting job id to a one-line reason, for every queued job that does not start now
 * @param held    GPU id to the id of the job it is held for (GPUs kept free so a big job does not starve)
 */
public record Decision(List<Placement> starts, List<Job> order, Map<Long, String> waiting, Map<String, Long> held) {
    public Decision {
        starts = List.copyOf(starts);
        order = List.copyOf(order);
        waiting = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(waiting));
        held = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(held));
    }

    /** The placement of a job that starts in this decision. */
    public Optional<Placement> placementOf(long jobId) {
        return starts.stream().filter(p -> p.job().id() == jobId).findFirst();
    }

    /** 1-based position of a job in the start order, or 0 when it is not queued. */
    public int positionOf(long jobId) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).id() == jobId) {
                return i + 1;
            }
        }
        return 0;
    }
}
