package dev.dopq.container;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated job spec: what a {@code container_config.json} asks for, after {@link JobSpecParser} checked it
 * against the machine's {@link SpecPolicy}. Stored with the job as {@link #toJson()}.
 *
 * @param name          the job's name (safe characters; used in folder and container names)
 * @param user          the submitting user ({@code executor_name}), lower-cased
 * @param numGpus       GPUs the job needs ({@code 0} = CPU only)
 * @param memoryBytes   memory limit in bytes ({@code 0} = no limit)
 * @param buildFlag     {@code true}: build the context's Dockerfile; {@code false}: load {@link #imageFile} or any
 *                      single tar of the context, or run the existing local {@link #image}
 * @param image         an existing local image to run, or {@code null}
 * @param imageFile     the image tar inside the context to load, or {@code null}
 * @param command       the command, or {@code null} for the image's default
 * @param entrypoint    the entrypoint, or {@code null} for the image's default
 * @param env           extra environment variables, in the order given
 * @param workingDir    absolute working directory in the container, or {@code null}
 * @param containerUser the user the process runs as in the container ({@code "1000:1000"}), or {@code null}
 * @param cpus          CPU limit ({@code 0} = none)
 * @param shmBytes      size of {@code /dev/shm} ({@code 0} = engine default)
 * @param timeout       maximum run time, or {@code null} for none
 * @param retries       how many times a failed run is retried
 * @param hostNetwork   run on the host's network (only when the policy allowed it)
 * @param hostPid       run in the host's PID namespace (only when the policy allowed it)
 * @param notifyOn      when the owner is told about the job ({@code notify}): any of {@code end} (the default),
 *                      {@code start}, {@code fail}
 * @param arrayIndexes  the indexes of a job array ({@code "array"}): one job per index; empty = one job
 * @param maxParallel   at most this many of the array's jobs run at once ({@code "max_parallel"}; 0 = no bound)
 * @param after         jobs (ids or names of the same user's jobs) that must have SUCCEEDED before this one starts
 * @param afterAny      jobs (ids or names) that must have ended, in any way, before this one starts
 * @param gpuMemoryBytes GPU memory the job asks for ({@code "gpu_memory"}): a job with it may share its one GPU
 *                      with other such jobs while their sum fits the GPU's memory; {@code 0} = the GPU is its own
 */
public record JobSpec(String name, String user, int numGpus, long memoryBytes, boolean buildFlag, String image,
                      String imageFile, List<String> command, List<String> entrypoint, Map<String, String> env,
                      String workingDir, String containerUser, double cpus, long shmBytes, Duration timeout,
                      int retries, boolean hostNetwork, boolean hostPid, List<String> notifyOn,
                      List<Integer> arrayIndexes, int maxParallel, List<String> after, List<String> afterAny,
                      long gpuMemoryBytes) {

    /** The events a job notifies of when its config names none. */
    public static final List<String> DEFAULT_NOTIFY = List.of("end");

    /** A spec whose job has its GPUs to itself. */
    public JobSpec(String name, String user, int numGpus, long memoryBytes, boolean buildFlag, String image,
                   String imageFile, List<String> command, List<String> entrypoint, Map<String, String> env,
                   String workingDir, String containerUser, double cpus, long shmBytes, Duration timeout,
                   int retries, boolean hostNetwork, boolean hostPid, List<String> notifyOn,
                   List<Integer> arrayIndexes, int maxParallel, List<String> after, List<String> afterAny) {
        this(name, user, numGpus, memoryBytes, buildFlag, image, imageFile, command, entrypoint, env, workingDir,
                containerUser, cpus, shmBytes, timeout, retries, hostNetwork, hostPid, notifyOn, arrayIndexes,
                maxParallel, after, afterAny, 0);
    }

    /** A spec with the default notifications (the job's end), not an array, waiting for no other job. */
    public JobSpec(String name, String user, int numGpus, long memoryBytes, boolean buildFlag, String image,
                   String imageFile, List<String> command, List<String> entrypoint, Map<String, String> env,
                   String workingDir, String containerUser, double cpus, long shmBytes, Duration timeout,
                   int retries, boolean hostNetwork, boolean hostPid) {
        this(name, user, numGpus, memoryBytes, buildFlag, image, imageFile, command, entrypoint, env, workingDir,
                containerUser, cpus, shmBytes, timeout, retries, hostNetwork, hostPid, DEFAULT_NOTIFY, List.of(), 0,
                List.of(), List.of());
    }

    /** A spec that is not an array and waits for no other job. */
    public JobSpec(String name, String user, int numGpus, long memoryBytes, boolean buildFlag, String image,
                   String imageFile, List<String> command, List<String> entrypoint, Map<String, String> env,
                   String workingDir, String containerUser, double cpus, long shmBytes, Duration timeout,
                   int retries, boolean hostNetwork, boolean hostPid, List<String> notifyOn) {
        this(name, user, numGpus, memoryBytes, buildFlag, image, imageFile, command, entrypoint, env, workingDir,
                containerUser, cpus, shmBytes, timeout, retries, hostNetwork, hostPid, notifyOn, List.of(), 0,
                List.of(), List.of());
    }

    /** Copies the collections so a spec never changes after it was validated. */
    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        command = command == null ? null : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
        notifyOn = notifyOn == null ? DEFAULT_NOTIFY : List.copyOf(notifyOn);
        arrayIndexes = arrayIndexes == null ? List.of() : List.copyOf(arrayIndexes);
        after = after == null ? List.of() : List.copyOf(after);
        afterAny = afterAny == null ? List.of() : List.copyOf(afterAny);
    }

    /** Whether the job may share its GPU with other jobs that declare {@code gpu_memory}. */
    public boolean sharesGpu() {
        return gpuMemoryBytes > 0;
    }

    /** Whether this spec makes a job array. */
    public boolean isArray() {
        return !arrayIndexes.isEmpty();
    }

    /** The canonical JSON of this spec (stable field names, no defaults left out); read back by {@link #fromJson}. */
    public String toJson() {
        return JobSpecJson.write(this);
    }

    /**
     * Reads the output of {@link #toJson()} back.
     *
     * @throws IllegalArgumentException when the text is not such JSON
     */
    public static JobSpec fromJson(String json) {
        return JobSpecJson.read(json);
    }
}
