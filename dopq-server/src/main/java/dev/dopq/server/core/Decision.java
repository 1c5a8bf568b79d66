package dev.dopq.server.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one {@link Scheduler#decide scheduling pass}.
 *
 * @param starts  jobs to start now, in order
 * @param order   all queued jobs in start order (descending priority, ascending penalty, submission time, id)
 * @param waiting job id to a one-line reason, for every queued job that does not start now
 * @param held    GPU id to the id of the job it is held for (GPUs kept free so a big job does not starve)
 * @param kinds   job id to the kind of its waiting reason, for the same jobs as {@code waiting}
 */
public record Decision(List<Placement> starts, List<Job> order, Map<Long, String> waiting, Map<String, Long> held,
                       Map<Long, WaitKind> kinds) {
    public Decision {
        starts = List.copyOf(starts);
        order = List.copyOf(order);
        waiting = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(waiting));
        held = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(held));
        kinds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
    }

    /** A decision without reasons' kinds (nothing waits, or only the starts matter). */
    public Decision(List<Placement> starts, List<Job> order, Map<Long, String> waiting, Map<String, Long> held) {
        this(starts, order, waiting, held, Map.of());
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
