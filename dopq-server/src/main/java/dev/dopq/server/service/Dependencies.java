package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.store.StaleJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs that wait for other jobs: {@code after} (the other job must succeed) and {@code after_any} (it must end).
 * Resolves the references of a new job, tells the queue which queued jobs are still blocked and why, and ends a
 * job whose {@code after} dependency failed, was cancelled or was rejected: CANCELLED, "dependency N failed".
 */
public final class Dependencies {
    private static final Logger LOG = LoggerFactory.getLogger(Dependencies.class);
    private static final String ACTOR = "queue";
    private static final int NAME_LOOKBACK = 1000;

    private final Jobs jobs;
    private final Clock clock;
    /** Terminal states never change: kept once read. */
    private final Map<Long, JobState> ended = new ConcurrentHashMap<>();

    public Dependencies(Jobs jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * The ids of {@code refs} (job ids, or names of {@code user}'s jobs: the newest one with that name).
     *
     * @throws IllegalArgumentException with a one-line reason when one names no job of the user
     */
    public List<Long> resolve(String user, List<String> refs, String field) {
        List<Long> ids = new ArrayList<>();
        for (String ref : refs) {
            Optional<Job> job = ref.matches("[0-9]{1,18}") ? jobs.find(Long.parseLong(ref)) : byName(user, ref);
            if (job.isEmpty() || !user.equals(job.get().user())) {
                throw new IllegalArgumentException(field + ": unknown dependency \"" + ref + "\": no job of " + user
                        + " has that id or name");
            }
            if (!ids.contains(job.get().id())) {
                ids.add(job.get().id());
            }
        }
        return ids;
    }

    private Optional<Job> byName(String user, String name) {
        Job newest = null;
        for (Job job : jobs.active().inStates(java.util.EnumSet.complementOf(
                java.util.EnumSet.copyOf(JobState.terminal())))) {
            if (user.equals(job.user()) && job.name().equals(name) && (newest == null || job.id() > newest.id())) {
                newest = job;
            }
        }
        if (newest != null) {
            return Optional.of(newest);
        }
        return jobs.store().history(user, null, null, NAME_LOOKBACK).stream()
                .filter(j -> j.name().equals(name)).max(java.util.Comparator.comparingLong(Job::id));
    }

    /**
     * For the queue: each queued job that still waits for another, with the reason ("waits for job 12 to
     * succeed (it is RUNNING)"). Jobs whose {@code after} dependency ended without success are cancelled here.
     */
    public Map<Long, String> blocked() {
        Map<Long, String> blocked = new LinkedHashMap<>();
        Map<Long, JobState> seen = new HashMap<>();
        for (Job job : jobs.active().queuedWithDependencies()) {
            String reason = null;
            for (long dep : job.after()) {
                JobState state = seen.computeIfAbsent(dep, this::stateOf);
                if (state.isTerminal() && state != JobState.SUCCEEDED) {
                    cancel(job, dep, state);
                    reason = null;
                    break;
                }
                if (!state.isTerminal() && reason == null) {
                    reason = "waits for job " + dep + " to succeed (it is " + state.name().toLowerCase(Locale.ROOT)
                            + ")";
                }
            }
            for (long dep : job.afterAny()) {
                JobState state = seen.computeIfAbsent(dep, this::stateOf);
                if (!state.isTerminal() && reason == null) {
                    reason = "waits for job " + dep + " to end (it is " + state.name().toLowerCase(Locale.ROOT) + ")";
                }
            }
            if (reason != null) {
                blocked.put(job.id(), reason);
            }
        }
        return blocked;
    }

    private JobState stateOf(long id) {
        JobState known = ended.get(id);
        if (known != null) {
            return known;
        }
        Optional<Job> active = jobs.active().get(id);
        if (active.isPresent()) {
            return active.get().state();
        }
        // gone from the active jobs: it ended (or the history was cleared: then it counts as not succeeded)
        JobState state = jobs.find(id).map(Job::state).orElse(JobState.CANCELLED);
        if (state.isTerminal()) {
            ended.put(id, state);
        }
        return state;
    }

    private void cancel(Job job, long dep, JobState depState) {
        try {
            jobs.move(job, JobState.CANCELLED, ACTOR, b -> b.finishedAt(clock.instant())
                    .reason("dependency " + dep + " failed"));
            LOG.info("job {} ({}) cancelled: its dependency {} ended {}", job.id(), job.user(), dep, depState);
        } catch (StaleJobException e) {
            LOG.debug("job {} changed before its failed dependency could cancel it; next round", job.id());
        }
    }
}
