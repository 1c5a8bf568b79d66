package dev.dopq.container;

import java.util.Objects;

/**
 * A host folder bind-mounted into a container (only as the admin configures; never from a job spec).
 *
 * @param hostPath      absolute path on the host; must exist
 * @param containerPath absolute path in the container
 * @param readOnly      whether the container may only read it
 */
public record Mount(String hostPath, String containerPath, boolean readOnly) {

    /** Checks that both paths are given. */
    public Mount {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(containerPath, "containerPath");
    }
}
