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
 */
public record SpecPolicy(int maxGpus, long hostMemoryBytes, boolean allowHostNetwork, boolean allowHostPid,
                         List<String> allowedImages, boolean rootAllowed) {

    /** Validates the numbers. */
    public SpecPolicy {
        if (maxGpus < 0 || hostMemoryBytes < 0) {
            throw new IllegalArgumentException("maxGpus and hostMemoryBytes must not be negative");
        }
        allowedImages = allowedImages == null ? List.of() : List.copyOf(allowedImages);
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
