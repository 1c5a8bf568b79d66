package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.QueueIndex;
import dev.dopq.server.core.QueuedJobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The jobs that are not terminal yet, held in memory so that the queue and the API never read thousands of rows
 * (with their spec) from the database to decide or to count. Loaded once from the store, then kept current by
 * {@link Jobs} after every committed write. The QUEUED ones are also kept in a {@link QueueIndex}, so the queue
 * runner finds the next jobs without sorting the queue.
 * <p>
 * Writes to one job come from several threads (queue, builder, API), and their notifications can arrive out of
 * order; every change carries the job's version, so an older version never replaces a newer one, and a job that
 * ended is remembered (by id and version) long enough that a late notice of an earlier state cannot bring it back.
 */
public final class ActiveJobs {
    private static final int ENDED_REMEMBERED = 10_000;

    /** QUEUED jobs apart from the others, so reading the few RUNNING ones never walks a long queue. */
    private final TreeMap<Long, Job> queued = new TreeMap<>();
    private final TreeMap<Long, Job> others = new TreeMap<>();
    private final QueueIndex index = new QueueIndex();
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
        Job old = queued.containsKey(job.id()) ? queued.get(job.id()) : others.get(job.id());
        if (old != null && old.version() >= job.version()) {
            return;
        }
        if (old != null) {
            counts.merge(old.state(), -1, Integer::sum);
            mapOf(old).remove(old.id());
            index.remove(old.id());
        }
        if (job.state().isTerminal()) {
            ended.put(job.id(), job.version());
        } else {
            mapOf(job).put(job.id(), job);
            counts.merge(job.state(), 1, Integer::sum);
            if (job.state() == JobState.QUEUED) {
                index.put(job);
            }
        }
        changes++;
    }

    private Map<Long, Job> mapOf(Job job) {
        return job.state() == JobState.QUEUED ? queued : others;
    }

    /**
     * Jobs in any of the given (non-terminal) states, by ascending id, as of one moment (a job moving between
     * states is seen once). Cheap without QUEUED; with it, a copy of the queue.
     */
    public synchronized List<Job> inStates(Set<JobState> states) {
        boolean withQueued = states.contains(JobState.QUEUED);
        boolean withOthers = states.stream().anyMatch(s -> s != JobState.QUEUED);
        List<Job> out = new ArrayList<>();
        Iterator<Job> a = withQueued ? queued.values().iterator() : java.util.Collections.emptyIterator();
        Iterator<Job> b = withOthers ? others.values().iterator() : java.util.Collections.emptyIterator();
        Job nextA = a.hasNext() ? a.next() : null;
        Job nextB = nextMatching(b, states);
        while (nextA != null || nextB != null) {
            if (nextB == null || nextA != null && nextA.id() < nextB.id()) {
                out.add(nextA);
                nextA = a.hasNext() ? a.next() : null;
            } else {
                out.add(nextB);
                nextB = nextMatching(b, states);
            }
        }
        return out;
    }

    private static Job nextMatching(Iterator<Job> jobs, Set<JobState> states) {
        while (jobs.hasNext()) {
            Job job = jobs.next();
            if (states.contains(job.state())) {
                return job;
            }
        }
        return null;
    }

    /**
     * Runs {@code reader} on the queued jobs while no change can come in, so what it reads (the next job, the
     * start order) is one consistent state. Keep it short: writers of every job wait meanwhile. The view is valid
     * only inside the call.
     */
    public synchronized <T> T readQueue(Function<? super QueuedJobs, T> reader) {
        return reader.apply(index);
    }

    /**
     * How many of {@code user}'s jobs wait (RECEIVED, BUILDING or QUEUED) that count against a new job
     * {@code jobId} of theirs: every one already accepted (BUILDING, QUEUED) and the RECEIVED ones taken before
     * it. Zips dropped together are so judged in the order they were taken.
     */
    public synchronized int waitingAhead(String user, long jobId) {
        int n = 0;
        for (Job job : queued.values()) {
            if (user.equals(job.user()) && job.id() != jobId) {
                n++;
            }
        }
        for (Job job : others.values()) {
            boolean counts = job.state() == JobState.BUILDING
                    || job.state() == JobState.RECEIVED && job.id() < jobId;
            if (counts && user.equals(job.user()) && job.id() != jobId) {
                n++;
            }
        }
        return n;
    }

    /** Whether a job other than {@code job} that has not ended belongs to {@code job}'s array. */
    public synchronized boolean arrayGoesOn(Job job) {
        if (!job.inArray()) {
            return false;
        }
        for (Job j : queued.values()) {
            if (j.arrayId() == job.arrayId() && j.id() != job.id()) {
                return true;
            }
        }
        for (Job j : others.values()) {
            if (j.arrayId() == job.arrayId() && j.id() != job.id()) {
                return true;
            }
        }
        return false;
    }

    /** The job with this id when it has not ended. */
    public synchronized java.util.Optional<Job> get(long id) {
        Job job = queued.get(id);
        return java.util.Optional.ofNullable(job != null ? job : others.get(id));
    }

    /** The QUEUED jobs that wait for other jobs ({@code after}, {@code after_any}), by id. */
    public synchronized List<Job> queuedWithDependencies() {
        List<Job> out = new ArrayList<>();
        for (Job job : queued.values()) {
            if (job.hasDependencies()) {
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
