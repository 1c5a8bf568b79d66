package dev.dopq.container;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link ContainerSpec} into what docker-java's create command takes. */
final class DockerCreateMapping {

    static final String VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES";
    /** Makes CUDA base images see no GPU at all; without it they see every GPU of the machine. */
    static final String NO_GPUS = "void";

    private DockerCreateMapping() {
    }

    /** The environment as {@code KEY=value} lines; the visible GPUs always come from the spec's GPUs. */
    static List<String> env(ContainerSpec spec) {
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> {
            if (!k.equals(VISIBLE_DEVICES)) {
                env.add(k + "=" + v);
            }
        });
        env.add(VISIBLE_DEVICES + "=" + (spec.gpuIds().isEmpty() ? NO_GPUS : String.join(",", spec.gpuIds())));
        return env;
    }

    static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                // An init as PID 1 forwards SIGTERM and reaps zombies, so stop works without waiting the grace.
                .withInit(true)
                .withPrivileged(false)
                .withSecurityOpts(List.of("no-new-privileges"))
                // A job needs no capability: it runs as a non-root uid, and even root in the container then cannot
                // make device nodes (CAP_MKNOD), chown files away (CAP_CHOWN) or bypass file modes (CAP_FOWNER).
                .withCapDrop(Capability.ALL);
        if (spec.pidsLimit() > 0) {
            host.withPidsLimit(spec.pidsLimit());
        }
        if (spec.memoryBytes() > 0) {
            host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        if (spec.cpus() > 0) {
            host.withNanoCPUs(Math.round(spec.cpus() * 1e9));
        }
        if (spec.shmBytes() > 0) {
            host.withShmSize(spec.shmBytes());
        }
        if (spec.gpuDeviceRequest() && !spec.gpuIds().isEmpty()) {
            host.withDeviceRequests(List.of(new DeviceRequest()
                    .withDriver("nvidia")
                    .withDeviceIds(spec.gpuIds())
                    .withCapabilities(List.of(List.of("gpu")))));
        }
        if (!spec.mounts().isEmpty()) {
            host.withMounts(spec.mounts().stream().map(DockerCreateMapping::mount).toList());
        }
        if (spec.networkMode() != null) {
            host.withNetworkMode(spec.networkMode());
        }
        if (spec.hostPid()) {
            host.withPidMode("host");
        }
        return host;
    }

    /** A bind mount (unlike a "Binds" entry, it fails instead of creating a missing host folder as root). */
    private static com.github.dockerjava.api.model.Mount mount(Mount m) {
        return new com.github.dockerjava.api.model.Mount()
                .withType(MountType.BIND)
                .withSource(m.hostPath())
                .withTarget(m.containerPath())
                .withReadOnly(m.readOnly());
    }
}
