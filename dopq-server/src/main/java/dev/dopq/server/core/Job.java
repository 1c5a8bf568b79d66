package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A job: immutable value. Changes make copies via {@link #toBuilder()}; the store persists them with an
 * optimistic {@code version} check.
 *
 * @param id            store-assigned id (0 before insert)
 * @param name          name from container_config.json (or the zip's name)
 * @param user          owner, lower case; null while it is not known yet (a zip from the inbox whose
 *                      container_config.json has not been read)
 * @param state         lifecycle state
 * @param version       optimistic-lock version, incremented by every store update
 * @param submittedAt   when the zip was taken
 * @param startedAt     when the current attempt's container started, or null
 * @param finishedAt    when the job reached a terminal state, or null
 * @param gpusRequested number of GPUs asked for (0 = CPU-only)
 * @param gpus          GPU ids allocated to the current attempt (empty when none)
 * @param memoryBytes   memory limit, 0 = engine default
 * @param timeout       maximum run time per attempt, or null
 * @param maxRetries    failed attempts that are re-queued
 * @param attempt       1-based attempt number
 * @param exitCode      exit code of the last attempt, or null
 * @param reason        one-line human reason, or null
 * @param image         image reference the job runs, or null before it is built
 * @param containerId   container of the current attempt, or null
 * @param workDir       the job's folder under the server's work dir (kept zip, extracted context, logs)
 * @param specJson      the validated job spec, as JSON
 * @param engine        the Docker engine the job runs on ("local")
 * @param requeueCause  why the job went back to the queue after running, or null when it never did
 * @param lostAttempts  attempts that ended for a reason not the job's own (the engine restarted under them);
 *                      they do not use up {@code maxRetries}
 * @param arrayId       the id of the job array this job belongs to (the id of its first job), or 0
 * @param arrayIndex    this job's index in its array (meaningful only with an arrayId)
 * @param maxParallel   at most this many jobs of the array run at once; 0 = no bound
 * @param after         ids of jobs that must have SUCCEEDED before this one starts
 * @param afterAny      ids of jobs that must have ended (in any way) before this one starts
 * @param stopRequestedAt when someone asked a RUNNING job to stop (cancel, shutdown), or null
 * @param killAt        when a job asked to stop is killed if it has not ended by then, or null
 * @param stopReason    why the job was asked to stop ("cancelled by ana"), the reason it ends CANCELLED with
 * @param gpuMemory     GPU memory asked in bytes by a job that may share its one GPU; 0 = its GPUs are its own
 * @param gpuShare      the fraction of its GPU a sharing job is charged for (its gpu_memory over the GPU's
 *                      memory), set when it starts; 0 for jobs that hold whole GPUs
 */
public record Job(
        long id,
        String name,
        String user,
        JobState state,
        long version,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        int gpusRequested,
        List<String> gpus,
        long memoryBytes,
        Duration timeout,
        int maxRetries,
        int attempt,
        Integer exitCode,
        String reason,
        String image,
        String containerId,
        String workDir,
        String specJson,
        String engine,
        RequeueCause requeueCause,
        int lostAttempts,
        long arrayId,
        int arrayIndex,
        int maxParallel,
        List<Long> after,
        List<Long> afterAny,
        Instant stopRequestedAt,
        Instant killAt,
        String stopReason,
        long gpuMemory,
        double gpuShare) {

    public Job {
        Objects.requireNonNull(state, "state");
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        after = after == null ? List.of() : List.copyOf(after);
        afterAny = afterAny == null ? List.of() : List.copyOf(afterAny);
    }

    /** True when the job waits for other jobs ({@code after} or {@code after_any}). */
    public boolean hasDependencies() {
        return !after.isEmpty() || !afterAny.isEmpty();
    }

    /** Whether the owner is known (false for a zip from the inbox until its container_config.json is read). */
    public boolean ownerKnown() {
        return user != null;
    }

    /** Whether the current attempt, ended without success, may be retried: lost attempts do not count. */
    public boolean mayRetry() {
        return attempt - lostAttempts <= maxRetries;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the job is one of a job array's. */
    public boolean inArray() {
        return arrayId != 0;
    }

    /** True when the job may share its GPU with other such jobs ({@code gpu_memory}). */
    public boolean sharesGpu() {
        return gpuMemory > 0;
    }

    /** GPUs the job is charged for in fair share: its fraction for a sharing job that started, else its count. */
    public double gpuWeight() {
        if (sharesGpu() && gpuShare > 0) {
            return gpuShare;
        }
        return gpus.isEmpty() ? gpusRequested : gpus.size();
    }

    /** True when the job needs no GPU. */
    public boolean cpuOnly() {
        return gpusRequested == 0;
    }

    /** True while a RUNNING job has been asked to stop and has not ended yet. */
    public boolean stopping() {
        return state == JobState.RUNNING && stopRequestedAt != null;
    }

    /** Mutable builder for {@link Job}. */
    public static final class Builder {
        private long id;
        private String name = "job";
        private String user = "nobody";
        private JobState state = JobState.RECEIVED;
        private long version;
        private Instant submittedAt = Instant.EPOCH;
        private Instant startedAt;
        private Instant finishedAt;
        private int gpusRequested = 1;
        private List<String> gpus = List.of();
        private long memoryBytes;
        private Duration timeout;
        private int maxRetries;
        private int attempt = 1;
        private Integer exitCode;
        private String reason;
        private String image;
        private String containerId;
        private String workDir;
        private String specJson;
        private String engine = "local";
        private RequeueCause requeueCause;
        private int lostAttempts;
        private long arrayId;
        private int arrayIndex;
        private int maxParallel;
        private List<Long> after = List.of();
        private List<Long> afterAny = List.of();
        private Instant stopRequestedAt;
        private Instant killAt;
        private String stopReason;
        private long gpuMemory;
        private double gpuShare;

        private Builder() {
        }

        private Builder(Job j) {
            id = j.id;
            name = j.name;
            user = j.user;
            state = j.state;
            version = j.version;
            submittedAt = j.submittedAt;
            startedAt = j.startedAt;
            finishedAt = j.finishedAt;
            gpusRequested = j.gpusRequested;
            gpus = j.gpus;
            memoryBytes = j.memoryBytes;
            timeout = j.timeout;
            maxRetries = j.maxRetries;
            attempt = j.attempt;
            exitCode = j.exitCode;
            reason = j.reason;
            image = j.image;
            containerId = j.containerId;
            workDir = j.workDir;
            specJson = j.specJson;
            engine = j.engine;
            requeueCause = j.requeueCause;
            lostAttempts = j.lostAttempts;
            arrayId = j.arrayId;
            arrayIndex = j.arrayIndex;
            maxParallel = j.maxParallel;
            after = j.after;
            afterAny = j.afterAny;
            stopRequestedAt = j.stopRequestedAt;
            killAt = j.killAt;
            stopReason = j.stopReason;
            gpuMemory = j.gpuMemory;
            gpuShare = j.gpuShare;
        }

        public Builder id(long v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder state(JobState v) { state = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder submittedAt(Instant v) { submittedAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder finishedAt(Instant v) { finishedAt = v; return this; }
        public Builder gpusRequested(int v) { gpusRequested = v; return this; }
        public Builder gpus(List<String> v) { gpus = v; return this; }
        public Builder memoryBytes(long v) { memoryBytes = v; return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder attempt(int v) { attempt = v; return this; }
        public Builder exitCode(Integer v) { exitCode = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder image(String v) { image = v; return this; }
        public Builder containerId(String v) { containerId = v; return this; }
        public Builder workDir(String v) { workDir = v; return this; }
        public Builder specJson(String v) { specJson = v; return this; }
        public Builder engine(String v) { engine = v; return this; }
        public Builder requeueCause(RequeueCause v) { requeueCause = v; return this; }
        public Builder lostAttempts(int v) { lostAttempts = v; return this; }
        public Builder arrayId(long v) { arrayId = v; return this; }
        public Builder arrayIndex(int v) { arrayIndex = v; return this; }
        public Builder maxParallel(int v) { maxParallel = v; return this; }
        public Builder after(List<Long> v) { after = v; return this; }
        public Builder afterAny(List<Long> v) { afterAny = v; return this; }
        public Builder stopRequestedAt(Instant v) { stopRequestedAt = v; return this; }
        public Builder killAt(Instant v) { killAt = v; return this; }
        public Builder stopReason(String v) { stopReason = v; return this; }

        /** Clears a stop request (a job that starts again has none). */
        public Builder noStopRequest() {
            stopRequestedAt = null;
            killAt = null;
            stopReason = null;
            return this;
        }
        public Builder gpuMemory(long v) { gpuMemory = v; return this; }
        public Builder gpuShare(double v) { gpuShare = v; return this; }

        public Job build() {
            return new Job(id, name, user, state, version, submittedAt, startedAt, finishedAt, gpusRequested, gpus,
                    memoryBytes, timeout, maxRetries, attempt, exitCode, reason, image, containerId, workDir,
                    specJson, engine, requeueCause, lostAttempts,
                    arrayId, arrayIndex, maxParallel, after, afterAny, stopRequestedAt, killAt, stopReason,
                    gpuMemory, gpuShare);
        }
    }
}
