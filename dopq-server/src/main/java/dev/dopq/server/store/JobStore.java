package dev.dopq.server.store;

import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs live. Every write is one committed transaction; updates check the job's {@code version}
 * and fail with {@link StaleJobException} when someone else moved the job first.
 */
public interface JobStore {

    /**
     * Inserts a new job (its id and version are ignored; the stored version is 0) and records its creation event
     * (from no state to the job's state). Returns it with its id.
     */
    Job insert(Job job, String actor);

    Optional<Job> find(long id);

    /**
     * Writes {@code changed} if the stored version equals {@code changed.version()}, incrementing the version.
     * When the state differs from the stored one, the transition is checked against the state machine and an
     * event row (actor, from, to, reason) is written in the same transaction. A job entering a terminal state
     * without a {@code finishedAt} gets the store clock's time (the history is ordered by it).
     *
     * @return the stored job with its new version
     * @throws StaleJobException when the stored version differs
     * @throws dev.dopq.server.core.IllegalTransitionException when the state change is not allowed
     */
    Job update(Job changed, String actor);

    /**
     * {@link #update(Job, String)} and {@link #recordAttempt(Attempt)} of the same job in one transaction: how an
     * attempt ended and what that made of the job are committed together or not at all.
     */
    Job update(Job changed, String actor, Attempt attempt);

    /**
     * Writes {@code changed} as {@link #update} does and inserts {@code others} as {@link #insert} does, in this
     * order and in ONE transaction: all of it is stored or (stale version, forbidden transition, a place that names
     * no earlier job of this write) none of it. The jobs of one zip are queued this way.
     *
     * @return the stored jobs: the updated one first, then the inserted ones in order
     * @throws StaleJobException when the stored version of {@code changed} differs
     * @throws IllegalArgumentException when an other names a place that is not before its own
     */
    List<Job> updateAndInsert(Job changed, List<LinkedJob> others, String actor);

    /** The jobs of the job array {@code arrayId} (in any state), by ascending id. */
    List<Job> arrayMembers(long arrayId);

    /** Jobs in any of the given states, by ascending id. */
    List<Job> inStates(Collection<JobState> states);

    /**
     * Terminal jobs, newest first (by finishedAt, then id), optionally of one user, finished at or after
     * {@code since}, at most {@code limit}. Paging is by keyset: pass the id of the last job of the previous
     * page as {@code beforeId} to get the jobs that follow it in this order (when that job no longer exists,
     * the jobs with a lower id). Deep pages cost what the first one costs.
     */
    List<Job> history(String user, Instant since, Long beforeId, int limit);

    /** Number of terminal jobs per user. */
    java.util.Map<String, Integer> finishedCounts();

    /** Transitions of a job, oldest first. */
    List<JobEvent> events(long jobId);

    /**
     * Records something that happened to a job without changing its state (a stop request, a re-adoption after
     * a restart): an event whose {@code from} and {@code to} are the job's state. Nothing for a job that is gone.
     */
    void recordEvent(JobEvent event);

    /**
     * Streams terminal jobs that had started, finished at or after {@code since}, oldest finish first
     * (used once at start to rebuild penalties).
     */
    void replayFinished(Instant since, java.util.function.Consumer<Job> sink);

    /**
     * Streams terminal jobs that had started and finished after {@code after} and at or before {@code upTo} (either
     * bound null: none), oldest finish first, then by id: the order of a full replay, so a replay in consecutive
     * ranges gives what one replay of all gives.
     */
    void replayFinishedBetween(Instant after, Instant upTo, java.util.function.Consumer<Job> sink);

    /** Records one finished attempt of a job (each retry is its own attempt). */
    void recordAttempt(Attempt attempt);

    /** Attempts of a job, by number. */
    List<Attempt> attempts(long jobId);

    /** Deletes terminal jobs finished before {@code before} (all terminal jobs when null). Returns how many. */
    int clearHistory(Instant before);

    /**
     * The terminal jobs that come after the newest {@code keep} in history order (newest finish first, then
     * highest id) and finished before {@code before}: at most {@code limit}, oldest first. These are what a
     * history bounded to {@code keep} jobs no longer holds.
     */
    List<Job> finishedBeyond(int keep, Instant before, int limit);

    /** Deletes those of these jobs that are terminal, with their events and attempts. Returns how many. */
    int deleteFinished(Collection<Long> ids);
}
