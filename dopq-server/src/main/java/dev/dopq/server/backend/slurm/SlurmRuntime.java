package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerEvent;
import dev.dopq.container.ContainerGoneException;
import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.ContainerRuntimeException;
import dev.dopq.container.ContainerSpec;
import dev.dopq.container.ContainerStatus;
import dev.dopq.container.EngineUnavailableException;
import dev.dopq.container.RunLostException;
import dev.dopq.server.backend.slurm.SlurmCommands.SlurmJob;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.util.function.Supplier;
import dev.dopq.container.EngineInfo;
import dev.dopq.container.LogStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Runs each attempt as a Slurm batch job that runs the job's container on the node's engine. The run's id is the
 * Slurm job id; its name (the container name) is the Slurm job name and the name of its folder on the shared
 * folder, so a restarted server finds its runs by name. {@code create} submits the job held, {@code start}
 * releases it: the id is recorded before anything runs, as with a created container.
 */
public final class SlurmRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmRuntime.class);
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    /** What every submission gets. */
    public record Settings(String partition, String dockerHost, Duration grace, Duration poll, String nvidia) {
    }

    private final SlurmCommands slurm;
    private final RunFolders folders;
    private final ImageShipper images;
    private final Settings settings;
    private final Supplier<EngineInfo> localEngine;
    private final Set<LogTail> tails = ConcurrentHashMap.newKeySet();
    /** Copies what the nodes append to the runs' output into the jobs' logs, every half second. */
    private final WorkerLoop logCopier = new WorkerLoop("dopq-slurm-logs", Duration.ofMillis(500),
            () -> tails.forEach(LogTail::copySafely));

    /** @param localEngine what the local engine (which builds and saves the images) says about itself */
    SlurmRuntime(SlurmCommands slurm, RunFolders folders, ImageShipper images, Settings settings,
                 Supplier<EngineInfo> localEngine) {
        this.localEngine = localEngine;
        this.slurm = slurm;
        this.folders = folders;
        this.images = images;
        this.settings = settings;
        logCopier.start();
    }

    @Override
    public String create(ContainerSpec spec) {
        String name = spec.name();
        folders.delete(name);
        Path tar = folders.imageTar(spec.image());
        images.ensureSaved(spec.image(), tar);
        long jobId = Long.parseLong(spec.labels().getOrDefault("dopq.job", "0"));
        String instance = spec.labels().getOrDefault("dopq.instance", "");
        folders.writeProperties(name, RunFolders.LABELS, spec.labels());
        folders.write(name, RunFolders.IMAGE, tar.toString());
        folders.write(name, "job.sh", BatchScript.of(spec, jobId, instance, folders.run(name), tar, folders.engines(),
                settings.dockerHost(), settings.grace(), settings.nvidia()));
        SlurmCommands.Result r = slurm.run(Submission.command(spec, folders.run(name), settings.partition(),
                timeLimit(spec), "dopq job=" + jobId + " instance=" + instance));
        if (!r.ok()) {
            throw Submission.refused(name, r);
        }
        String id = Submission.jobId(r.out());
        folders.write(name, RunFolders.JOB_ID, id);
        LOG.info("submitted {} as Slurm job {} (held until started; GPUs {}, {} bytes memory)", name, id,
                spec.gpuIds().size(), spec.memoryBytes());
        return id;
    }

    /** The job's timeout plus room for the grace; dopq stops it at its timeout, Slurm's limit is the backstop. */
    private Duration timeLimit(ContainerSpec spec) {
        String seconds = spec.labels().get("dopq.timeout");
        if (seconds == null) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(seconds)).plus(settings.grace().multipliedBy(2)).plusMinutes(1);
    }

    @Override
    public void start(String id) {
        SlurmCommands.Result r = slurm.run(List.of("scontrol", "release", id));
        if (r.ok()) {
            return;
        }
        String line = r.firstLine();
        if (line.contains("Invalid job id")) {
            throw new ContainerGoneException(id);
        }
        if (!line.contains("no longer pending") && !line.contains("already")) {
            throw new ContainerRuntimeException("cannot release Slurm job " + id + ": " + line, null);
        }
    }

    /** Cancels the Slurm job (its batch step stops the container within the grace) and waits until it ended. */
    @Override
    public void stop(String id, Duration grace) {
        cancel(id);
        Instant deadline = Instant.now().plus(grace).plus(STOP_MARGIN);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (!inspect(id).running()) {
                    return;
                }
            } catch (ContainerGoneException e) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("Slurm job {} still runs {} after it was cancelled", id, grace.plus(STOP_MARGIN));
    }

    @Override
    public void kill(String id) {
        cancel(id);
    }

    private void cancel(String id) {
        SlurmCommands.Result r = slurm.run(List.of("scancel", id));
        if (r.firstLine().contains("Invalid job id")) {
            throw new ContainerGoneException(id);
        }
        LOG.info("cancelled Slurm job {}", id);
    }

    @Override
    public ContainerStatus inspect(String id) {
        Map<String, SlurmJob> byName = byName(slurm.jobs());
        for (String name : folders.names()) {
            SlurmJob sj = byName.get(name);
            String runId = folders.read(name, RunFolders.JOB_ID).map(String::strip)
                    .orElse(sj == null ? null : sj.id());
            if (id.equals(runId)) {
                return status(name, runId, sj).orElseThrow(() -> new ContainerGoneException(id));
            }
        }
        throw new ContainerGoneException(id);
    }

    /** Runs of the shared folder whose labels hold {@code labelKey}; lost and vanished ones are left out. */
    @Override
    public List<ContainerStatus> listByLabel(String labelKey) {
        Map<String, SlurmJob> byName = byName(slurm.jobs());
        List<ContainerStatus> out = new ArrayList<>();
        for (String name : folders.names()) {
            SlurmJob sj = byName.get(name);
            String runId = folders.read(name, RunFolders.JOB_ID).map(String::strip)
                    .orElse(sj == null ? null : sj.id());
            if (runId == null) {
                continue;
            }
            try {
                status(name, runId, sj).filter(s -> s.labels().containsKey(labelKey)).ifPresent(out::add);
            } catch (RunLostException e) {
                LOG.debug("run {} is lost: {}", name, e.why());
            }
        }
        return out;
    }

    /** Every run's status now, lost ones as {@link RunLostException}s; for the event poller. */
    Map<String, Object> snapshot() {
        Map<String, SlurmJob> byName = byName(slurm.jobs());
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : folders.names()) {
            SlurmJob sj = byName.get(name);
            String runId = folders.read(name, RunFolders.JOB_ID).map(String::strip)
                    .orElse(sj == null ? null : sj.id());
            if (runId == null) {
                continue;
            }
            try {
                status(name, runId, sj).ifPresent(s -> out.put(runId, s));
            } catch (RunLostException e) {
                out.put(runId, e);
            }
        }
        return out;
    }

    private static Map<String, SlurmJob> byName(List<SlurmJob> jobs) {
        Map<String, SlurmJob> byName = new HashMap<>();
        for (SlurmJob j : jobs) {
            // the newest submission of a name wins (ids grow)
            byName.merge(j.name(), j, (a, b) -> Long.parseLong(a.id()) > Long.parseLong(b.id()) ? a : b);
        }
        return byName;
    }

    private Optional<ContainerStatus> status(String name, String id, SlurmJob sj) {
        return RunStates.status(name, id, sj, labels(name), folders.properties(name, RunFolders.EXIT),
                () -> folders.properties(name, RunFolders.EXIT), Instant.now(), settings.grace().plus(STOP_MARGIN));
    }

    private Map<String, String> labels(String name) {
        Map<String, String> labels = new LinkedHashMap<>(folders.properties(name, RunFolders.LABELS));
        Map<String, String> node = folders.properties(name, RunFolders.NODE);
        if (node.containsKey("node")) {
            labels.put(BatchScript.NODE_LABEL, node.get("node"));
            labels.put(BatchScript.GPUS_LABEL, RunStates.nodeGpus(node.get("node"), node.getOrDefault("gpus", "")));
        }
        return labels;
    }

    /** Cancels the run if it is still queued or running, then removes its folder and, if unused, its image. */
    @Override
    public void remove(String idOrName) {
        Map<String, SlurmJob> byName = byName(slurm.jobs());
        for (String name : folders.names()) {
            SlurmJob sj = byName.get(name);
            String runId = folders.read(name, RunFolders.JOB_ID).map(String::strip)
                    .orElse(sj == null ? null : sj.id());
            if (name.equals(idOrName) || idOrName.equals(runId)) {
                if (sj != null && RunStates.active(sj.state())) {
                    slurm.run(List.of("scancel", sj.id()));
                }
                String image = folders.read(name, RunFolders.IMAGE).map(String::strip).orElse(null);
                folders.delete(name);
                deleteImageIfUnused(image);
                return;
            }
        }
    }

    private void deleteImageIfUnused(String tar) {
        if (tar == null) {
            return;
        }
        boolean used = folders.names().stream()
                .anyMatch(n -> folders.read(n, RunFolders.IMAGE).map(String::strip).filter(tar::equals).isPresent());
        if (!used) {
            images.delete(Path.of(tar));
        }
    }

    @Override
    public LogStream followLogs(String id, Path logFile) {
        String name = folders.names().stream()
                .filter(n -> folders.read(n, RunFolders.JOB_ID).map(String::strip).filter(id::equals).isPresent())
                .findFirst().orElseThrow(() -> new ContainerGoneException(id));
        LogTail tail = new LogTail(folders.run(name).resolve(RunFolders.OUTPUT), logFile, tails::remove);
        tails.add(tail);
        logCopier.signal();
        return tail;
    }

    @Override
    public Closeable subscribeEvents(String labelKey, Instant since, Consumer<ContainerEvent> sink) {
        return new SlurmEvents(this, settings.poll(), sink);
    }

    @Override
    public boolean ping() {
        try {
            return slurm.run(List.of("sinfo", "-h", "-o", "%P")).ok();
        } catch (EngineUnavailableException e) {
            return false;
        }
    }

    /**
     * What the local engine says about itself: it builds the images, and its runtimes decide the GPU request as on
     * the local backend ({@code auto} is decided again on each node). Runs on the nodes do not depend on it, so
     * they survive its restarts.
     */
    @Override
    public EngineInfo info() {
        EngineInfo local = localEngine.get();
        return new EngineInfo(local.runtimes(), true, local.systemTime());
    }

    /** Stops the log copier. */
    void close() {
        logCopier.stop(Duration.ofSeconds(5));
    }
}
