package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.ConflictException;
import dev.dopq.api.JobView;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.JobViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Delete and cancel where the id may be a job array's (the id of its first job): then they act on every job of
 * the array that has not ended. {@code delete} removes the waiting ones (running ones go on); {@code cancel} also
 * stops the running ones.
 */
final class ArrayWrites {
    private static final Logger LOG = LoggerFactory.getLogger(ArrayWrites.class);

    private final Backend b;
    private final ReadOperations reads;
    private final WriteOperations writes;

    ArrayWrites(Backend backend, ReadOperations reads, WriteOperations writes) {
        this.b = backend;
        this.reads = reads;
        this.writes = writes;
    }

    JobView delete(Caller caller, long id) throws ApiException {
        Checks.authenticated(caller, "delete jobs");
        Job job = reads.find(id);
        if (!isArrayId(job)) {
            return writes.delete(caller, id);
        }
        Checks.mayTouch(caller, job, "delete");
        int deleted = 0;
        for (Job member : members(id)) {
            if (member.state() != JobState.RUNNING) {
                deleted += tryEach(() -> writes.delete(caller, member.id()));
            }
        }
        if (deleted == 0) {
            throw new ConflictException("array " + id + " has no waiting jobs; use cancel to stop its running ones");
        }
        LOG.info("{} deleted {} waiting job(s) of array {}", caller.name(), deleted, id);
        return JobViews.view(reads.find(id));
    }

    JobView cancel(Caller caller, long id, boolean now) throws ApiException {
        Checks.authenticated(caller, "cancel jobs");
        Job job = reads.find(id);
        if (!isArrayId(job)) {
            return writes.cancel(caller, id, now);
        }
        Checks.mayTouch(caller, job, "cancel");
        int touched = 0;
        for (Job member : members(id)) {
            touched += tryEach(() -> writes.cancel(caller, member.id(), now));
        }
        if (touched == 0) {
            throw new ConflictException("array " + id + " has no jobs left that have not ended");
        }
        LOG.info("{} cancelled {} job(s) of array {}", caller.name(), touched, id);
        return JobViews.view(reads.find(id));
    }

    private static boolean isArrayId(Job job) {
        return job.inArray() && job.arrayId() == job.id();
    }

    /** The array's jobs that have not ended, first job included. */
    private List<Job> members(long arrayId) {
        return b.jobs().store().arrayMembers(arrayId).stream().filter(j -> !j.state().isTerminal()).toList();
    }

    @FunctionalInterface
    private interface Write {
        JobView run() throws ApiException;
    }

    /** 1 when the write was done, 0 when the job moved on meanwhile (e.g. ended). */
    private static int tryEach(Write write) throws ApiException {
        try {
            write.run();
            return 1;
        } catch (ConflictException e) {
            return 0;
        }
    }
}
