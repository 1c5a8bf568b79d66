package dev.dopq.container;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to create one container. Collections are copied; {@code null} collections become empty,
 * except {@code command} and {@code entrypoint} where {@code null} means "the image's default".
 *
 * @param name             container name (unique on the engine)
 * @param image            image id or reference
 * @param command          command, or {@code null} for the image's default
 * @param entrypoint       entrypoint, or {@code null} for the image's default
 * @param env              environment; {@code NVIDIA_VISIBLE_DEVICES} here is ignored (set from {@code gpuIds})
 * @param workingDir       working directory, or {@code null}
 * @param user             user to run as ({@code "1000:1000"}), or {@code null}
 * @param labels           labels, e.g. {@code dopq.job}, {@code dopq.user}, {@code dopq.gpus}
 * @param memoryBytes      memory limit ({@code 0} = none); swap is limited to the same, so there is no extra swap
 * @param cpus             CPU limit ({@code 0} = none)
 * @param shmBytes         size of {@code /dev/shm} ({@code 0} = engine default)
 * @param gpuIds           GPUs the job holds; {@code NVIDIA_VISIBLE_DEVICES} is them joined by "," or {@code void}
 * @param gpuDeviceRequest add an nvidia device request for exactly {@code gpuIds} (only where the engine has the
 *                         nvidia runtime)
 * @param mounts           admin-configured bind mounts
 * @param networkMode      network, or {@code null} for the engine default
 * @param hostPid          share the host's PID namespace
 * @param pidsLimit        most processes (and threads) the container may have ({@code 0} = engine default)
 */
public record ContainerSpec(String name, String image, List<String> command, List<String> entrypoint,
                            Map<String, String> env, String workingDir, String user, Map<String, String> labels,
                            long memoryBytes, double cpus, long shmBytes, List<String> gpuIds,
                            boolean gpuDeviceRequest, List<Mount> mounts, String networkMode, boolean hostPid,
                            long pidsLimit) {

    /** Copies the collections. */
    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        command = command == null ? null : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = ordered(env);
        labels = ordered(labels);
        gpuIds = gpuIds == null ? List.of() : List.copyOf(gpuIds);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    private static Map<String, String> ordered(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** A spec running {@code image} with its defaults, no limits, no GPUs; change it with the {@code with*} methods. */
    public static ContainerSpec of(String name, String image) {
        return new ContainerSpec(name, image, null, null, Map.of(), null, null, Map.of(), 0, 0, 0, List.of(), false,
                List.of(), null, false, 0);
    }

    /**
     * The container for a validated job: the job's command, environment, user, limits and namespaces, the labels
     * of {@link DopqLabels#forJob}, and what the admin configured (mounts, network).
     *
     * @param containerName    unique container name, derived from the job id
     * @param image            the job's image id
     * @param jobId            the job id (label {@code dopq.job})
     * @param job              the validated spec
     * @param gpuIds           GPUs allocated to the job
     * @param gpuDeviceRequest whether the engine has the nvidia runtime (add a device request for {@code gpuIds})
     * @param mounts           admin-configured mounts
     * @param networkMode      admin-configured network, or {@code null}; a job allowed the host network gets "host"
     */
    public static ContainerSpec forJob(String containerName, String image, String jobId, JobSpec job,
                                       List<String> gpuIds, boolean gpuDeviceRequest, List<Mount> mounts,
                                       String networkMode) {
        return new ContainerSpec(containerName, image, job.command(), job.entrypoint(), job.env(), job.workingDir(),
                job.containerUser(), DopqLabels.forJob(jobId, job.user(), gpuIds), job.memoryBytes(), job.cpus(),
                job.shmBytes(), gpuIds, gpuDeviceRequest, mounts, job.hostNetwork() ? "host" : networkMode,
                job.hostPid(), 0);
    }

    /** This spec with another command. */
    public ContainerSpec withCommand(List<String> newCommand) {
        return new ContainerSpec(name, image, newCommand, entrypoint, env, workingDir, user, labels, memoryBytes, cpus,
                shmBytes, gpuIds, gpuDeviceRequest, mounts, networkMode, hostPid, pidsLimit);
    }

    /** This spec with other labels. */
    public ContainerSpec withLabels(Map<String, String> newLabels) {
        return new ContainerSpec(name, image, command, entrypoint, env, workingDir, user, newLabels, memoryBytes, cpus,
                shmBytes, gpuIds, gpuDeviceRequest, mounts, networkMode, hostPid, pidsLimit);
    }

    /** This spec with another environment. */
    public ContainerSpec withEnv(Map<String, String> newEnv) {
        return new ContainerSpec(name, image, command, entrypoint, newEnv, workingDir, user, labels, memoryBytes, cpus,
                shmBytes, gpuIds, gpuDeviceRequest, mounts, networkMode, hostPid, pidsLimit);
    }

    /** This spec with other memory, CPU and shared-memory limits. */
    public ContainerSpec withLimits(long newMemoryBytes, double newCpus, long newShmBytes) {
        return new ContainerSpec(name, image, command, entrypoint, env, workingDir, user, labels, newMemoryBytes,
                newCpus, newShmBytes, gpuIds, gpuDeviceRequest, mounts, networkMode, hostPid, pidsLimit);
    }

    /** This spec holding other GPUs, with or without an nvidia device request for them. */
    public ContainerSpec withGpus(List<String> newGpuIds, boolean deviceRequest) {
        return new ContainerSpec(name, image, command, entrypoint, env, workingDir, user, labels, memoryBytes, cpus,
                shmBytes, newGpuIds, deviceRequest, mounts, networkMode, hostPid, pidsLimit);
    }

    /** This spec with another user ({@code "uid:gid"}, or {@code null} for the image's). */
    public ContainerSpec withUser(String newUser) {
        return new ContainerSpec(name, image, command, entrypoint, env, workingDir, newUser, labels, memoryBytes, cpus,
                shmBytes, gpuIds, gpuDeviceRequest, mounts, networkMode, hostPid, pidsLimit);
    }

    /** This spec with another limit on processes ({@code 0} = engine default). */
    public ContainerSpec withPidsLimit(long newPidsLimit) {
        return new ContainerSpec(name, image, command, entrypoint, env, workingDir, user, labels, memoryBytes, cpus,
                shmBytes, gpuIds, gpuDeviceRequest, mounts, networkMode, hostPid, newPidsLimit);
    }

    /** This spec with other mounts. */
    public ContainerSpec withMounts(List<Mount> newMounts) {
        return new ContainerSpec(name, image, command, entrypoint, env, workingDir, user, labels, memoryBytes, cpus,
                shmBytes, gpuIds, gpuDeviceRequest, newMounts, networkMode, hostPid, pidsLimit);
    }
}
