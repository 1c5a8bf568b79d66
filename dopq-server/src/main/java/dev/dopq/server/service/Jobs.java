package dev.dopq.server.service;

import dev.dopq.server.files.Moves;
import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.store.JobStore;
import dev.dopq.server.store.LinkedJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The one way jobs change: a version-checked store write, then the listeners (penalties, results on the share,
 * waking the queue) learn of the transition.
 */
public final class Jobs {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    /** Told of every committed change of a job, on the thread that made it. */
    @FunctionalInterface
    public interface Listener {
        void changed(Job before, Job after);
    }

    private final JobStore store;
    private final ActiveJobs active;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Loads the jobs that are not terminal from {@code store} into memory. */
    public Jobs(JobStore store) {
        this.store = store;
        this.active = new ActiveJobs(store.inStates(EnumSet.complementOf(EnumSet.copyOf(JobState.terminal()))));
    }

    public JobStore store() {
        return store;
    }

    /** The jobs that are not terminal, kept in memory; reads of them never touch the database. */
    public ActiveJobs active() {
        return active;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public Optional<Job> find(long id) {
        return store.find(id);
    }

    public Job insert(Job job, String actor) {
        Job stored = store.insert(job, actor);
        notify(null, stored);
        return stored;
    }

    /** Moves {@code job} to {@code to} with extra changes, checked against the state machine and the version. */
    public Job move(Job job, JobState to, String actor, UnaryOperator<Job.Builder> changes) {
        Job next = changes.apply(job.toBuilder().state(job.state().to(to, job.id()))).build();
        Job stored = store.update(next, actor);
        notify(job, stored);
        return stored;
    }

    /**
     * {@link #move} with the attempt that ended written in the same transaction (the attempt row of a job whose
     * move failed as stale is not written).
     */
    public Job move(Job job, JobState to, String actor, Attempt attempt, UnaryOperator<Job.Builder> changes) {
        Job next = changes.apply(job.toBuilder().state(job.state().to(to, job.id()))).build();
        Job stored = store.update(next, actor, attempt);
        notify(job, stored);
        return stored;
    }

    /**
     * Moves {@code job} as {@link #move} does and inserts {@code others} with it, in one transaction: all are stored
     * or none. {@code others} may wait for jobs of the same write by their place (0 = {@code job}).
     *
     * @return the stored jobs: {@code job} first, then {@code others} in order
     */
    public List<Job> moveWith(Job job, JobState to, String actor, UnaryOperator<Job.Builder> changes,
                              List<LinkedJob> others) {
        Job next = changes.apply(job.toBuilder().state(job.state().to(to, job.id()))).build();
        List<Job> stored = store.updateAndInsert(next, others, actor);
        for (int i = 1; i < stored.size(); i++) {
            notify(null, stored.get(i));
        }
        notify(job, stored.get(0));
        return stored;
    }

    /** Changes fields without a state change (still version-checked). */
    public Job change(Job job, String actor, UnaryOperator<Job.Builder> changes) {
        Job stored = store.update(changes.apply(job.toBuilder()).build(), actor);
        notify(job, stored);
        return stored;
    }

    private void notify(Job before, Job after) {
        active.apply(after);
        for (Listener l : listeners) {
            try {
                l.changed(before, after);
            } catch (RuntimeException e) {
                LOG.error("listener failed for job {} ({} -> {})", after.id(),
                        before == null ? null : before.state(), after.state(), e);
            }
        }
    }
}
