package dev.dopq.container;

import java.util.List;

/**
 * What this machine and its admin allow a job spec to ask for.
 *
 * @param maxGpus          GPUs the machine has; a spec asking for more is refused
 * @param hostMemoryBytes  the machine's memory; a spec asking for more is refused ({@code 0} = unknown, not checked)
 * @param allowHostNetwork whether {@code run_params.network_mode: "host"} is allowed
 * @param allowHostPid     whether {@code run_params.pid_mode: "host"} is allowed
 * @param allowedImages    glob patterns ({@code *}, {@code ?}) of existing images a job may run by name
 *                         ({@code image} with {@code build_flag: false}); empty = none
 * @param rootAllowed      whether a job may run as root (uid 0) in its container: only on an engine that maps
 *                         container root to an unprivileged host uid (userns-remap)
 * @param maxGpuMemoryBytes the memory of the largest GPU; a {@code gpu_memory} above it is refused
 *                         ({@code 0} = no GPU memory known, not checked: such jobs wait with a reason;
 *                         {@link #NO_SHARING} = this server gives jobs whole GPUs only, gpu_memory is refused)
 */
public record SpecPolicy(int maxGpus, long hostMemoryBytes, boolean allowHostNetwork, boolean allowHostPid,
                         List<String> allowedImages, boolean rootAllowed, long maxGpuMemoryBytes) {

    /** {@link #maxGpuMemoryBytes} of a server whose backend cannot share GPUs. */
    public static final long NO_SHARING = -1;

    /** Validates the numbers. */
    public SpecPolicy {
        if (maxGpus < 0 || hostMemoryBytes < 0 || maxGpuMemoryBytes < NO_SHARING) {
            throw new IllegalArgumentException("maxGpus, hostMemoryBytes and maxGpuMemoryBytes must not be negative");
        }
        allowedImages = allowedImages == null ? List.of() : List.copyOf(allowedImages);
    }

    /** A policy that does not check {@code gpu_memory} against the GPUs. */
    public SpecPolicy(int maxGpus, long hostMemoryBytes, boolean allowHostNetwork, boolean allowHostPid,
                      List<String> allowedImages, boolean rootAllowed) {
        this(maxGpus, hostMemoryBytes, allowHostNetwork, allowHostPid, allowedImages, rootAllowed, 0);
    }

    /** A policy that allows no existing image by name and no root in the container. */
    public SpecPolicy(int maxGpus, long hostMemoryBytes, boolean allowHostNetwork, boolean allowHostPid) {
        this(maxGpus, hostMemoryBytes, allowHostNetwork, allowHostPid, List.of(), false);
    }

    /** Whether {@code image} matches one of {@link #allowedImages}. */
    public boolean imageAllowed(String image) {
        return ImagePatterns.matchesAny(allowedImages, image);
    }
}
