package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it. Field names are the JSON names scripts rely on.
 *
 * @param id          job id (decimal string)
 * @param name        the job's name from container_config.json
 * @param user        the submitting user (lower case); null while a zip from the share is unpacked and its
 *                    owner is not known yet
 * @param state       one of RECEIVED, BUILDING, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, REJECTED
 * @param gpus        GPU ids the job holds or held; empty for CPU-only jobs or jobs that never ran
 * @param gpusRequested number of GPUs the job asked for
 * @param exitCode    container exit code of the last attempt, or null
 * @param submittedAt when the zip was taken
 * @param startedAt   when the last attempt's container started, or null
 * @param finishedAt  when the job reached its terminal state, or null
 * @param reason      one-line human reason for REJECTED/FAILED/CANCELLED or a note, or null
 * @param attempt     1-based attempt number
 * @param node        the node the job runs or last ran on ({@code local} on a single machine), or null if it never ran
 * @param arrayId     id of the job array the job belongs to (the id of its first job), or null
 * @param arrayIndex  the job's index in its array, or null
 * @param stopping    true while a RUNNING job has been asked to stop (cancel, shutdown) and has not ended yet
 * @param stopRequestedAt when the job was asked to stop, or null
 * @param killAt      when a stopping job is killed if it has not ended by then, or null
 * @param killInSeconds for a stopping job, whole seconds from the answer to the kill (0 once due); else null
 * @param after       ids of the jobs that must succeed before this one starts ({@code after}); empty when none
 * @param afterAny    ids of the jobs that must end, in any way, before this one starts ({@code after_any})
 * @param gpuMemory   GPU memory in bytes the job asked to share its GPU ({@code gpu_memory}); 0 when its GPUs are
 *                    its own
 */
public record JobView(
        String id,
        String name,
        String user,
        String state,
        List<String> gpus,
        int gpusRequested,
        Integer exitCode,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        String reason,
        int attempt,
        String node,
        String arrayId,
        Integer arrayIndex,
        boolean stopping,
        Instant stopRequestedAt,
        Instant killAt,
        Long killInSeconds,
        List<String> after,
        List<String> afterAny,
        long gpuMemory) implements Serializable {

    private static final long serialVersionUID = 1L;

    public JobView {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        after = after == null ? List.of() : List.copyOf(after);
        afterAny = afterAny == null ? List.of() : List.copyOf(afterAny);
    }

    /** A job that waits for no other job. */
    public JobView(String id, String name, String user, String state, List<String> gpus, int gpusRequested,
                   Integer exitCode, Instant submittedAt, Instant startedAt, Instant finishedAt, String reason,
                   int attempt, String node, String arrayId, Integer arrayIndex, boolean stopping,
                   Instant stopRequestedAt, Instant killAt, Long killInSeconds) {
        this(id, name, user, state, gpus, gpusRequested, exitCode, submittedAt, startedAt, finishedAt, reason,
                attempt, node, arrayId, arrayIndex, stopping, stopRequestedAt, killAt, killInSeconds, List.of(),
                List.of(), 0);
    }

    /** A job that has its GPUs to itself. */
    public JobView(String id, String name, String user, String state, List<String> gpus, int gpusRequested,
                   Integer exitCode, Instant submittedAt, Instant startedAt, Instant finishedAt, String reason,
                   int attempt, String node, String arrayId, Integer arrayIndex, boolean stopping,
                   Instant stopRequestedAt, Instant killAt, Long killInSeconds, List<String> after,
                   List<String> afterAny) {
        this(id, name, user, state, gpus, gpusRequested, exitCode, submittedAt, startedAt, finishedAt, reason,
                attempt, node, arrayId, arrayIndex, stopping, stopRequestedAt, killAt, killInSeconds, after, afterAny,
                0);
    }

    /** A job that waits for no other job and that nobody asked to stop. */
    public JobView(String id, String name, String user, String state, List<String> gpus, int gpusRequested,
                   Integer exitCode, Instant submittedAt, Instant startedAt, Instant finishedAt, String reason,
                   int attempt, String node, String arrayId, Integer arrayIndex) {
        this(id, name, user, state, gpus, gpusRequested, exitCode, submittedAt, startedAt, finishedAt, reason,
                attempt, node, arrayId, arrayIndex, false, null, null, null);
    }

    /** A job that is not in an array, with no node. */
    public JobView(String id, String name, String user, String state, List<String> gpus, int gpusRequested,
                   Integer exitCode, Instant submittedAt, Instant startedAt, Instant finishedAt, String reason,
                   int attempt) {
        this(id, name, user, state, gpus, gpusRequested, exitCode, submittedAt, startedAt, finishedAt, reason,
                attempt, null);
    }

    /** A job that is not in an array and that nobody asked to stop. */
    public JobView(String id, String name, String user, String state, List<String> gpus, int gpusRequested,
                   Integer exitCode, Instant submittedAt, Instant startedAt, Instant finishedAt, String reason,
                   int attempt, String node) {
        this(id, name, user, state, gpus, gpusRequested, exitCode, submittedAt, startedAt, finishedAt, reason,
                attempt, node, null, null, false, null, null, null, List.of(), List.of());
    }
}
