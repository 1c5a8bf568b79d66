package dev.dopq.container;

/**
 * What this machine and its admin allow a job spec to ask for.
 *
 * @param maxGpus          GPUs the machine has; a spec asking for more is refused
 * @param hostMemoryBytes  the machine's memory; a spec asking for more is refused ({@code 0} = unknown, not checked)
 * @param allowHostNetwork whether {@code run_params.network_mode: "host"} is allowed
 * @param allowHostPid     whether {@code run_params.pid_mode: "host"} is allowed
 */
public record SpecPolicy(int maxGpus, long hostMemoryBytes, boolean allowHostNetwork, boolean allowHostPid) {

    /** Validates the numbers. */
    public SpecPolicy {
        if (maxGpus < 0 || hostMemoryBytes < 0) {
            throw new IllegalArgumentException("maxGpus and hostMemoryBytes must not be negative");
        }
    }
}
