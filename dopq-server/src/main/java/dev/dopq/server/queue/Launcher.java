package dev.dopq.server.queue;

import dev.dopq.container.ContainerSpec;
import dev.dopq.container.JobSpec;
import dev.dopq.container.Mount;
import dev.dopq.docker.EngineSecurity;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.HostAccounts;
import dev.dopq.server.service.JobUids;
import dev.dopq.server.store.InMemoryUidStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds what a job's container looks like: labels, limits, GPUs, the uid it runs as, the admin's mounts and
 * network.
 */
public final class Launcher {
    public static final String LABEL_JOB = "dopq.job";
    public static final String LABEL_USER = "dopq.user";
    public static final String LABEL_GPUS = "dopq.gpus";
    public static final String LABEL_ATTEMPT = "dopq.attempt";
    /** Which dopq server made the container: several servers (or test runs) may share one engine. */
    public static final String LABEL_INSTANCE = "dopq.instance";
    /** The node a run is on, where the backend has several (set on the node). */
    public static final String LABEL_NODE = "dopq.node";
    /** The job's maximum run time in seconds, when it has one. */
    public static final String LABEL_TIMEOUT = "dopq.timeout";

    /**
     * Admin-configured container surroundings.
     *
     * @param pidsLimit most processes a job's container may have ({@code 0} = engine default)
     */
    public record Surroundings(List<Mount> mounts, Path outputRoot, String network, boolean nvidiaDeviceRequests,
                               long pidsLimit) {
        public Surroundings {
            mounts = mounts == null ? List.of() : List.copyOf(mounts);
        }

        /** No pids limit. */
        public Surroundings(List<Mount> mounts, Path outputRoot, String network, boolean nvidiaDeviceRequests) {
            this(mounts, outputRoot, network, nvidiaDeviceRequests, 0);
        }
    }

    private final Surroundings surroundings;
    private final String instance;
    private final JobUids uids;
    private final OutputFolders outputs;
    private final String node;

    /** A launcher for an engine without user remapping, users getting uids from the default range, kept in memory. */
    public Launcher(Surroundings surroundings, String instance) {
        this(surroundings, instance, new JobUids(Map.of(), HostAccounts.none(), new InMemoryUidStore(), 200_000,
                265_535, EngineSecurity.PLAIN));
    }

    public Launcher(Surroundings surroundings, String instance, JobUids uids) {
        this(surroundings, instance, uids, "local");
    }

    /** {@code node}: where runs start, when known up front; blank when the backend places them (Slurm). */
    public Launcher(Surroundings surroundings, String instance, JobUids uids, String node) {
        this.node = node;
        this.surroundings = surroundings;
        this.instance = instance;
        this.uids = uids;
        this.outputs = surroundings.outputRoot() == null ? null
                : new OutputFolders(surroundings.outputRoot(), uids.engine());
    }

    /** The node a job starting now gets on its row: {@code local}, or blank until its run reports one. */
    public String node() {
        return node;
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

    /**
     * The container of the job's current attempt.
     *
     * @throws JobUids.RunAsRefusedException         when the job asks to run as root where that is root on the host
     * @throws OutputFolders.OutputFolderException when the user's output folder cannot be mounted safely
     */
    public ContainerSpec spec(Job job) {
        JobSpec spec = JobSpec.fromJson(job.specJson());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_JOB, Long.toString(job.id()));
        labels.put(LABEL_USER, job.user());
        labels.put(LABEL_GPUS, String.join(",", job.gpus()));
        labels.put(LABEL_ATTEMPT, Integer.toString(job.attempt()));
        labels.put(LABEL_INSTANCE, instance);
        if (job.timeout() != null) {
            // a backend that schedules elsewhere (Slurm) sets its own time limit from it
            labels.put(LABEL_TIMEOUT, Long.toString(job.timeout().toSeconds()));
        }
        String runAs = uids.runAs(job.user(), spec.containerUser());
        List<Mount> mounts = new ArrayList<>(surroundings.mounts());
        if (outputs != null) {
            mounts.add(new Mount(outputs.prepare(job.user(), uids.owner(job.user())), "/output", false));
        }
        String network = spec.hostNetwork() ? "host" : surroundings.network();
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        if (job.inArray()) {
            env.put(ENV_ARRAY_INDEX, Integer.toString(job.arrayIndex()));
            env.put(ENV_ARRAY_JOB_ID, Long.toString(job.arrayId()));
        }
        return new ContainerSpec(containerName(job), job.image(), spec.command(), spec.entrypoint(), env,
                spec.workingDir(), runAs, labels, job.memoryBytes(), spec.cpus(), spec.shmBytes(),
                job.gpus(), surroundings.nvidiaDeviceRequests() && !job.gpus().isEmpty(), mounts, network,
                spec.hostPid(), surroundings.pidsLimit());
    }

    /** What a job of {@code user} asking for {@code requested} runs as ({@code uid:gid}), or why it may not run. */
    public String runAs(String user, String requested) {
        try {
            return uids.runAs(user, requested);
        } catch (JobUids.RunAsRefusedException e) {
            return "refused: " + e.getMessage();
        } catch (RuntimeException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
