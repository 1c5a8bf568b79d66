package dev.dopq.api;

import java.io.Serializable;
import java.util.List;

/**
 * A job with everything known about it.
 *
 * @param job           the job
 * @param image         image the job runs (or ran); null for callers other than its owner and admins
 * @param memory        memory limit in bytes, 0 when unlimited
 * @param timeoutSeconds declared maximum run time, 0 when none
 * @param retries       how many failed attempts may be retried
 * @param waiting       for a QUEUED job: why it waits (position, penalties, GPUs); else null
 * @param events        the job's transitions, oldest first
 * @param buildLogTail  last lines of the build log, or null (also for callers other than its owner and admins)
 * @param runAs         the {@code uid:gid} the job's processes run as (or ran as), or why it may not run; null for
 *                      callers other than its owner and admins, and for jobs refused before their spec was read
 * @param attempts      the job's attempts that ran, oldest first, with exit code, reason and log size
 * @param gpuMemory     GPU memory in bytes the job asked for to share its GPU ({@code gpu_memory}); 0 when its GPUs
 *                      are its own
 */
public record JobDetail(
        JobView job,
        String image,
        long memory,
        long timeoutSeconds,
        int retries,
        String waiting,
        List<JobEventView> events,
        String buildLogTail,
        String runAs,
        List<AttemptView> attempts,
        long gpuMemory) implements Serializable {

    private static final long serialVersionUID = 1L;

    public JobDetail {
        events = events == null ? List.of() : List.copyOf(events);
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A job without attempt details. */
    public JobDetail(JobView job, String image, long memory, long timeoutSeconds, int retries, String waiting,
                     List<JobEventView> events, String buildLogTail, String runAs) {
        this(job, image, memory, timeoutSeconds, retries, waiting, events, buildLogTail, runAs, List.of(), 0);
    }

    /** A job that has its GPUs to itself. */
    public JobDetail(JobView job, String image, long memory, long timeoutSeconds, int retries, String waiting,
                     List<JobEventView> events, String buildLogTail, String runAs, List<AttemptView> attempts) {
        this(job, image, memory, timeoutSeconds, retries, waiting, events, buildLogTail, runAs, attempts, 0);
    }
}
