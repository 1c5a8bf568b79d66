package dev.dopq.server.store;

import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@link JobStore} in memory with the same rules as {@link H2JobStore} (checked by the shared contract test),
 * for fast unit tests of the code that uses a store. Every method is atomic (one lock).
 */
public final class InMemoryJobStore implements JobStore {
    /** History order: newest finish first, then highest id. */
    private static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::finishedAt)
            .thenComparingLong(Job::id).reversed();

    private final Clock clock;
    private final TreeMap<Long, Job> jobs = new TreeMap<>();
    private final Map<Long, List<JobEvent>> events = new HashMap<>();
    private final Map<Long, TreeMap<Integer, Attempt>> attempts = new HashMap<>();
    private long nextId = 1;

    public InMemoryJobStore(Clock clock) {
        this.clock = clock;
    }

    public InMemoryJobStore() {
        this(Clock.systemUTC());
    }

    @Override
    public synchronized Job insert(Job job, String actor) {
        Job stored = JobRules.normalized(job.toBuilder().id(nextId++).version(0).build(), clock);
        jobs.put(stored.id(), stored);
        events.put(stored.id(), new ArrayList<>(List.of(
                new JobEvent(stored.id(), clock.instant(), actor, null, stored.state(), stored.reason()))));
        return stored;
    }

    @Override
    public synchronized Optional<Job> find(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized Job update(Job changed, String actor, Attempt attempt) {
        if (attempt != null && attempt.jobId() != changed.id()) {
            throw new IllegalArgumentException("attempt of job " + attempt.jobId() + " given with job " + changed.id());
        }
        Job next = update(changed, actor); // checks first: a stale update records no attempt
        if (attempt != null) {
            recordAttempt(attempt);
        }
        return next;
    }

    @Override
    public synchronized Job update(Job changed, String actor) {
        Job stored = jobs.get(changed.id());
        if (stored == null || stored.version() != changed.version()) {
            throw new StaleJobException(changed.id(), changed.version());
        }
        Job next = JobRules.normalized(changed.toBuilder().version(changed.version() + 1).build(), clock);
        JobRules.checkTransition(next.id(), stored.state(), next.state());
        jobs.put(next.id(), next);
        if (stored.state() != next.state()) {
            events.get(next.id()).add(new JobEvent(next.id(), clock.instant(), actor, stored.state(), next.state(),
                    next.reason()));
        }
        return next;
    }

    @Override
    public synchronized List<Job> updateAndInsert(Job changed, List<LinkedJob> others, String actor) {
        Map<Long, Job> jobsBefore = new HashMap<>(jobs);
        Map<Long, List<JobEvent>> eventsBefore = new HashMap<>();
        events.forEach((id, list) -> eventsBefore.put(id, new ArrayList<>(list)));
        long nextIdBefore = nextId;
        try {
            List<Job> stored = new ArrayList<>();
            stored.add(update(changed, actor));
            for (LinkedJob other : others) {
                stored.add(insert(other.resolved(stored.stream().map(Job::id).toList()), actor));
            }
            return stored;
        } catch (RuntimeException e) {
            // all or nothing, as one transaction of the database
            jobs.clear();
            jobs.putAll(jobsBefore);
            events.clear();
            events.putAll(eventsBefore);
            nextId = nextIdBefore;
            throw e;
        }
    }

    @Override
    public synchronized List<Job> inStates(Collection<JobState> states) {
        return jobs.values().stream().filter(j -> states.contains(j.state())).toList();
    }

    @Override
    public synchronized List<Job> arrayMembers(long arrayId) {
        return jobs.values().stream().filter(j -> arrayId != 0 && j.arrayId() == arrayId).toList();
    }

    @Override
    public synchronized List<Job> history(String user, Instant since, Long beforeId, int limit) {
        Job cursor = beforeId == null ? null : jobs.get(beforeId);
        return jobs.values().stream()
                .filter(j -> j.state().isTerminal() && j.finishedAt() != null)
                .filter(j -> user == null || user.equals(j.user()))
                .filter(j -> since == null || !j.finishedAt().isBefore(since))
                .filter(j -> beforeId == null || comesAfter(j, cursor, beforeId))
                .sorted(NEWEST_FIRST)
                .limit(Math.max(0, limit))
                .toList();
    }

    private static boolean comesAfter(Job j, Job cursor, long cursorId) {
        if (cursor == null || cursor.finishedAt() == null) {
            return j.id() < cursorId;
        }
        return NEWEST_FIRST.compare(j, cursor) > 0;
    }

    @Override
    public synchronized Map<String, Integer> finishedCounts() {
        return jobs.values().stream().filter(j -> j.state().isTerminal() && j.ownerKnown())
                .collect(Collectors.groupingBy(Job::user, TreeMap::new, Collectors.summingInt(j -> 1)));
    }

    @Override
    public synchronized List<JobEvent> events(long jobId) {
        return List.copyOf(events.getOrDefault(jobId, List.of()));
    }

    @Override
    public synchronized void recordEvent(JobEvent event) {
        List<JobEvent> list = events.get(event.jobId());
        if (list != null) {
            list.add(event);
        }
    }

    @Override
    public void replayFinished(Instant since, Consumer<Job> sink) {
        List<Job> finished;
        synchronized (this) {
            finished = jobs.values().stream()
                    .filter(j -> j.state().isTerminal() && j.startedAt() != null && j.finishedAt() != null)
                    .filter(j -> since == null || !j.finishedAt().isBefore(since))
                    .sorted(NEWEST_FIRST.reversed())
                    .toList();
        }
        finished.forEach(sink);
    }

    @Override
    public void replayFinishedBetween(Instant after, Instant upTo, Consumer<Job> sink) {
        List<Job> finished;
        synchronized (this) {
            finished = jobs.values().stream()
                    .filter(j -> j.state().isTerminal() && j.startedAt() != null && j.finishedAt() != null)
                    .filter(j -> after == null || j.finishedAt().isAfter(after))
                    .filter(j -> upTo == null || !j.finishedAt().isAfter(upTo))
                    .sorted(NEWEST_FIRST.reversed())
                    .toList();
        }
        finished.forEach(sink);
    }

    @Override
    public synchronized void recordAttempt(Attempt attempt) {
        if (!jobs.containsKey(attempt.jobId())) {
            throw new StoreException("cannot record an attempt of job " + attempt.jobId() + ": no such job");
        }
        attempts.computeIfAbsent(attempt.jobId(), id -> new TreeMap<>()).put(attempt.number(), attempt);
    }

    @Override
    public synchronized List<Attempt> attempts(long jobId) {
        return List.copyOf(attempts.getOrDefault(jobId, new TreeMap<>()).values());
    }

    @Override
    public synchronized int clearHistory(Instant before) {
        List<Long> gone = jobs.values().stream()
                .filter(j -> j.state().isTerminal())
                .filter(j -> before == null || j.finishedAt().isBefore(before))
                .map(Job::id)
                .toList();
        gone.forEach(id -> {
            jobs.remove(id);
            events.remove(id);
            attempts.remove(id);
        });
        return gone.size();
    }

    @Override
    public synchronized List<Job> finishedBeyond(int keep, Instant before, int limit) {
        List<Job> beyond = jobs.values().stream()
                .filter(j -> j.state().isTerminal() && j.finishedAt() != null)
                .sorted(NEWEST_FIRST)
                .skip(Math.max(0, keep))
                .filter(j -> j.finishedAt().isBefore(before))
                .collect(Collectors.toCollection(ArrayList::new));
        java.util.Collections.reverse(beyond);
        return beyond.stream().limit(Math.max(0, limit)).toList();
    }

    @Override
    public synchronized int deleteFinished(Collection<Long> ids) {
        int removed = 0;
        for (long id : ids) {
            Job j = jobs.get(id);
            if (j != null && j.state().isTerminal()) {
                jobs.remove(id);
                events.remove(id);
                attempts.remove(id);
                removed++;
            }
        }
        return removed;
    }
}
