package dev.dopq.server.queue;

import dev.dopq.container.ContainerSpec;
import dev.dopq.container.JobSpec;
import dev.dopq.container.Mount;
import dev.dopq.server.core.Job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds what a job's container looks like: labels, limits, GPUs, the admin's mounts and network. */
public final class Launcher {
    public static final String LABEL_JOB = "dopq.job";
    public static final String LABEL_USER = "dopq.user";
    public static final String LABEL_GPUS = "dopq.gpus";
    public static final String LABEL_ATTEMPT = "dopq.attempt";
    /** Which dopq server made the container: several servers (or test runs) may share one engine. */
    public static final String LABEL_INSTANCE = "dopq.instance";

    /** Admin-configured container surroundings. */
    public record Surroundings(List<Mount> mounts, Path outputRoot, String network, boolean nvidiaDeviceRequests) {
        public Surroundings {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }
    }

    private final Surroundings surroundings;
    private final String instance;

    public Launcher(Surroundings surroundings, String instance) {
        this.surroundings = surroundings;
        this.instance = instance;
    }

    public String instance() {
        return instance;
    }

    /** Environment of an array's jobs: the job's index, and the array's id. */
    public static final String ENV_ARRAY_INDEX = "DOPQ_ARRAY_INDEX";
    public static final String ENV_ARRAY_JOB_ID = "DOPQ_ARRAY_JOB_ID";

    /** The container name of one attempt: deterministic, so a restart never creates a second one. */
    public String containerName(Job job) {
        return "dopq-" + instance + "-" + job.id() + "-" + job.attempt();
    }

    public ContainerSpec spec(Job job) {
        JobSpec spec = JobSpec.fromJson(job.specJson());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_JOB, Long.toString(job.id()));
        labels.put(LABEL_USER, job.user());
        labels.put(LABEL_GPUS, String.join(",", job.gpus()));
        labels.put(LABEL_ATTEMPT, Integer.toString(job.attempt()));
        labels.put(LABEL_INSTANCE, instance);
        List<Mount> mounts = new ArrayList<>(surroundings.mounts());
        if (surroundings.outputRoot() != null) {
            Path out = surroundings.outputRoot().resolve(job.user());
            try {
                Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the output folder " + out + ": " + e.getMessage(), e);
            }
            mounts.add(new Mount(out.toString(), "/output", false));
        }
        String network = spec.hostNetwork() ? "host" : surroundings.network();
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        if (job.inArray()) {
            env.put(ENV_ARRAY_INDEX, Integer.toString(job.arrayIndex()));
            env.put(ENV_ARRAY_JOB_ID, Long.toString(job.arrayId()));
        }
        return new ContainerSpec(containerName(job), job.image(), spec.command(), spec.entrypoint(), env,
                spec.workingDir(), spec.containerUser(), labels, job.memoryBytes(), spec.cpus(), spec.shmBytes(),
                job.gpus(), surroundings.nvidiaDeviceRequests() && !job.gpus().isEmpty(), mounts, network,
                spec.hostPid());
    }
}
