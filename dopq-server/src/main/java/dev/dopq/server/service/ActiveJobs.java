package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The jobs that are not terminal yet, held in memory so that the queue and the API never read thousands of rows
 * (with their spec) from the database to decide or to count. Loaded once from the store, then kept current by
 * {@link Jobs} after every committed write.
 * <p>
 * Writes to one job come from several threads (queue, builder, API), and their notifications can arrive out of
 * order; every change carries the job's version, so an older version never replaces a newer one, and a job that
 * ended is remembered (by id and version) long enough that a late notice of an earlier state cannot bring it back.
 */
public final class ActiveJobs {
    private static final int ENDED_REMEMBERED = 10_000;

    private final ConcurrentSkipListMap<Long, Job> active = new ConcurrentSkipListMap<>();
    private final Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
    private final Map<Long, Long> ended = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    };
    private long changes;

    public ActiveJobs(Collection<Job> initial) {
        initial.forEach(this::apply);
    }

    /** Takes in the committed state of a job; ignored when an equal or newer version is already known. */
    public synchronized void apply(Job job) {
        Long endedVersion = ended.get(job.id());
        if (endedVersion != null && endedVersion >= job.version()) {
            return;
        }
        Job old = active.get(job.id());
        if (old != null && old.version() >= job.version()) {
            return;
        }
        if (old != null) {
            counts.merge(old.state(), -1, Integer::sum);
        }
        if (job.state().isTerminal()) {
            active.remove(job.id());
            ended.put(job.id(), job.version());
        } else {
            active.put(job.id(), job);
            counts.merge(job.state(), 1, Integer::sum);
        }
        changes++;
    }

    /** Jobs in any of the given (non-terminal) states, by ascending id. */
    public List<Job> inStates(Set<JobState> states) {
        List<Job> out = new ArrayList<>();
        for (Job job : active.values()) {
            if (states.contains(job.state())) {
                out.add(job);
            }
        }
        return out;
    }

    /** How many jobs are in {@code state} (0 for terminal states). */
    public synchronized int count(JobState state) {
        return counts.getOrDefault(state, 0);
    }

    /** Grows with every change taken in; equal values mean nothing changed in between. */
    public synchronized long changes() {
        return changes;
    }
}
