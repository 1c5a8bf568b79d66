package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.ConflictException;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.JobView;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.JobViews;
import dev.dopq.server.service.RestartRefusedException;
import dev.dopq.server.service.ServerStoppingException;
import dev.dopq.server.service.UserNames;
import dev.dopq.server.store.StaleJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Priorities, holds and restarts. An admin sets priorities; owners and admins hold, release and restart. Given an
 * array's id (the id of its first job), priority, hold and release act on every job of the array that has not
 * ended (hold and release: every waiting one). Each change is a version-checked write of the job's own field.
 */
final class JobControls {
    private static final Logger LOG = LoggerFactory.getLogger(JobControls.class);
    private static final int ATTEMPTS = 5;
    private static final EnumSet<JobState> WAITING = EnumSet.of(JobState.RECEIVED, JobState.BUILDING,
            JobState.QUEUED);

    private final Backend b;
    private final ReadOperations reads;

    JobControls(Backend backend, ReadOperations reads) {
        this.b = backend;
        this.reads = reads;
    }

    JobView setPriority(Caller caller, long id, int priority) throws ApiException {
        Checks.admin(caller, "set priorities");
        if (priority < ApiLimits.MIN_PRIORITY || priority > ApiLimits.MAX_PRIORITY) {
            throw new InvalidRequestException("priority " + priority + " is out of range; use a whole number from "
                    + ApiLimits.MIN_PRIORITY + " to " + ApiLimits.MAX_PRIORITY);
        }
        Job job = reads.find(id);
        if (isArrayId(job)) {
            int changed = forMembers(id, j -> !j.state().isTerminal(), member -> prioritise(caller, member, priority));
            LOG.info("{} set priority {} on {} job(s) of array {}", caller.name(), priority, changed, id);
            return JobViews.view(reads.find(id));
        }
        return JobViews.view(prioritise(caller, id, priority));
    }

    private Job prioritise(Caller caller, long id, int priority) throws ApiException {
        Job after = change(id, job -> {
            if (job.state().isTerminal()) {
                throw new ConflictException("job " + id + " has already ended (" + job.state() + ")");
            }
        }, x -> x.priority(priority), caller);
        LOG.info("{} set the priority of job {} ({}) to {}", caller.name(), id, after.user(), priority);
        b.queue().signal();
        return after;
    }

    JobView hold(Caller caller, long id) throws ApiException {
        Checks.authenticated(caller, "hold jobs");
        Job job = reads.find(id);
        Checks.mayTouch(caller, job, "hold");
        if (isArrayId(job)) {
            int held = forMembers(id, j -> WAITING.contains(j.state()) && !j.held(), m -> holdOne(caller, m));
            if (held == 0) {
                throw new ConflictException("array " + id + " has no waiting jobs that are not held");
            }
            LOG.info("{} held {} job(s) of array {}", caller.name(), held, id);
            return JobViews.view(reads.find(id));
        }
        return JobViews.view(holdOne(caller, id));
    }

    private Job holdOne(Caller caller, long id) throws ApiException {
        Job after = change(id, job -> {
            mustWait(job, "held");
            if (job.held()) {
                throw new ConflictException("job " + id + " is already held by " + job.heldBy());
            }
        }, x -> x.heldBy(caller.name()), caller);
        LOG.info("{} held job {} ({})", caller.name(), id, after.user());
        return after;
    }

    JobView release(Caller caller, long id) throws ApiException {
        Checks.authenticated(caller, "release jobs");
        Job job = reads.find(id);
        Checks.mayTouch(caller, job, "release");
        if (isArrayId(job)) {
            int released = forMembers(id, j -> WAITING.contains(j.state()) && j.held(), m -> releaseOne(caller, m));
            if (released == 0) {
                throw new ConflictException("array " + id + " has no held jobs");
            }
            LOG.info("{} released {} job(s) of array {}", caller.name(), released, id);
            return JobViews.view(reads.find(id));
        }
        return JobViews.view(releaseOne(caller, id));
    }

    private Job releaseOne(Caller caller, long id) throws ApiException {
        Job after = change(id, job -> {
            if (!job.held()) {
                throw new ConflictException("job " + id + " is not held");
            }
            boolean heldByAdmin = !job.heldBy().equals(job.user());
            if (heldByAdmin && !caller.admin()) {
                throw new PermissionDeniedException("job " + id + " is held by " + job.heldBy()
                        + "; only an admin can release it");
            }
        }, x -> x.heldBy(null), caller);
        LOG.info("{} released job {} ({})", caller.name(), id, after.user());
        b.queue().signal();
        return after;
    }

    /** Holds or releases every waiting job {@code user} has now. */
    int holdUser(Caller caller, String user, boolean hold) throws ApiException {
        Checks.admin(caller, hold ? "hold a user's jobs" : "release a user's jobs");
        Checks.text(user, "user name", ApiLimits.MAX_NAME);
        String name;
        try {
            name = UserNames.normalize(user);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        if (b.accounts().find(name).isEmpty()) {
            throw new NotFoundException("no user " + name);
        }
        int changed = 0;
        for (Job job : b.jobs().active().inStates(WAITING)) {
            if (name.equals(job.user()) && job.held() != hold) {
                changed += tryEach(() -> {
                    if (hold) {
                        holdOne(caller, job.id());
                    } else {
                        releaseOne(caller, job.id());
                    }
                });
            }
        }
        LOG.info("{} {} {} waiting job(s) of {}", caller.name(), hold ? "held" : "released", changed, name);
        return changed;
    }

    JobView restart(Caller caller, long id) throws ApiException, IOException {
        Checks.authenticated(caller, "restart jobs");
        Job job = reads.find(id);
        Checks.mayTouch(caller, job, "restart");
        if (job.state() == JobState.REJECTED) {
            throw new ConflictException("job " + id + " was rejected (" + Checks.shorten(String.valueOf(job.reason()))
                    + "); fix the zip and submit it again");
        }
        if (!job.state().isTerminal()) {
            throw new ConflictException("job " + id + " has not ended (" + job.state() + "); only an ended job can be"
                    + " restarted");
        }
        if (job.image() == null || job.specJson() == null) {
            throw new ConflictException("job " + id + " never got an image (" + job.state() + " before it was built);"
                    + " resubmit the zip");
        }
        if (!b.accounts().mayRun(job.user())) {
            throw new ConflictException("job " + id + " belongs to " + job.user() + ", who is no longer a user here;"
                    + " ask an admin to add " + job.user() + " again");
        }
        String over = b.quotas().current().queuedRefusal(job.user(),
                b.jobs().active().waitingAhead(job.user(), Long.MAX_VALUE));
        if (over != null) {
            throw new ConflictException(over);
        }
        try {
            Job fresh = b.provider().restart(job, caller.name());
            LOG.info("{} restarted job {} ({}) as job {}", caller.name(), id, job.user(), fresh.id());
            return JobViews.view(fresh);
        } catch (RestartRefusedException | ServerStoppingException e) {
            throw new ConflictException("job " + id + " cannot be restarted: " + e.getMessage());
        }
    }

    private static void mustWait(Job job, String verb) throws ConflictException {
        if (job.state() == JobState.RUNNING) {
            throw new ConflictException("job " + job.id() + " is running; only a waiting job can be " + verb);
        }
        if (job.state().isTerminal()) {
            throw new ConflictException("job " + job.id() + " has already ended (" + job.state() + ")");
        }
    }

    private static boolean isArrayId(Job job) {
        return job.inArray() && job.arrayId() == job.id();
    }

    @FunctionalInterface
    private interface Check {
        void check(Job job) throws ApiException;
    }

    @FunctionalInterface
    private interface MemberWrite {
        Job run(long id) throws ApiException;
    }

    @FunctionalInterface
    private interface Write {
        void run() throws ApiException;
    }

    /** Applies {@code changes} to the job after {@code check} passed, again on a fresh copy when it moved meanwhile. */
    private Job change(long id, Check check, UnaryOperator<Job.Builder> changes, Caller caller) throws ApiException {
        for (int i = 0; ; i++) {
            Job job = reads.find(id);
            check.check(job);
            try {
                return b.jobs().change(job, caller.name(), changes);
            } catch (StaleJobException e) {
                if (i >= ATTEMPTS) {
                    throw new ConflictException("job " + id + " keeps changing; try again");
                }
            }
        }
    }

    /** Runs {@code write} on each job of the array matching {@code which}; returns how many it changed. */
    private int forMembers(long arrayId, java.util.function.Predicate<Job> which, MemberWrite write)
            throws ApiException {
        List<Job> members = b.jobs().store().arrayMembers(arrayId).stream().filter(which).toList();
        int changed = 0;
        for (Job member : members) {
            changed += tryEach(() -> write.run(member.id()));
        }
        return changed;
    }

    /** 1 when the write was done, 0 when the job moved on meanwhile (started, ended, held or released). */
    private static int tryEach(Write write) throws ApiException {
        try {
            write.run();
            return 1;
        } catch (ConflictException e) {
            return 0;
        }
    }
}
