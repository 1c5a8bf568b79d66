package dev.dopq.container;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ContainerSpec} as {@code docker run} arguments, for engines dopq does not reach through the API (a
 * Slurm node's engine, driven by a batch script). Same labels, limits, init, privileges, mounts, network and
 * namespaces as {@link DockerCreateMapping}; the GPUs are left to the caller, who learns them only on the node.
 */
public final class DockerRunArgs {

    private DockerRunArgs() {
    }

    /**
     * The options before the image: name, labels, environment (without {@code NVIDIA_VISIBLE_DEVICES}), init,
     * {@code no-new-privileges}, no capabilities, limits (memory, CPUs, shared memory, processes), mounts, network, pid namespace, user, working directory, entrypoint.
     */
    public static List<String> options(ContainerSpec spec) {
        List<String> args = new ArrayList<>(List.of("--name", spec.name(), "--init",
                "--security-opt", "no-new-privileges", "--cap-drop", "ALL"));
        if (spec.pidsLimit() > 0) {
            args.addAll(List.of("--pids-limit", Long.toString(spec.pidsLimit())));
        }
        spec.labels().forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        spec.env().forEach((k, v) -> {
            if (!k.equals(DockerCreateMapping.VISIBLE_DEVICES)) {
                args.addAll(List.of("--env", k + "=" + v));
            }
        });
        if (spec.memoryBytes() > 0) {
            args.addAll(List.of("--memory", Long.toString(spec.memoryBytes()),
                    "--memory-swap", Long.toString(spec.memoryBytes())));
        }
        if (spec.cpus() > 0) {
            args.addAll(List.of("--cpus", Double.toString(spec.cpus())));
        }
        if (spec.shmBytes() > 0) {
            args.addAll(List.of("--shm-size", Long.toString(spec.shmBytes())));
        }
        for (Mount m : spec.mounts()) {
            args.addAll(List.of("--mount", "type=bind,source=" + m.hostPath() + ",target=" + m.containerPath()
                    + (m.readOnly() ? ",readonly" : "")));
        }
        if (spec.networkMode() != null) {
            args.addAll(List.of("--network", spec.networkMode()));
        }
        if (spec.hostPid()) {
            args.addAll(List.of("--pid", "host"));
        }
        if (spec.user() != null) {
            args.addAll(List.of("--user", spec.user()));
        }
        if (spec.workingDir() != null) {
            args.addAll(List.of("--workdir", spec.workingDir()));
        }
        if (spec.entrypoint() != null) {
            args.addAll(List.of("--entrypoint", spec.entrypoint().isEmpty() ? "" : spec.entrypoint().get(0)));
        }
        return args;
    }

    /**
     * The image and what follows it: the entrypoint's further words (the CLI takes one word for
     * {@code --entrypoint}), then the command.
     */
    public static List<String> imageAndCommand(ContainerSpec spec) {
        List<String> args = new ArrayList<>();
        args.add(spec.image());
        if (spec.entrypoint() != null && spec.entrypoint().size() > 1) {
            args.addAll(spec.entrypoint().subList(1, spec.entrypoint().size()));
        }
        if (spec.command() != null) {
            args.addAll(spec.command());
        }
        return args;
    }
}
