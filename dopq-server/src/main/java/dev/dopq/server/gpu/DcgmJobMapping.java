package dev.dopq.server.gpu;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Keeps dcgm-exporter's {@code --hpc-job-mapping-dir} current: one file per GPU index, named by the index, holding
 * the ids of the jobs on that GPU, one per line (empty when none). Each file is written as a new temporary file in
 * the same folder and renamed over the old one, so a link planted in the folder is replaced, never followed, and
 * dcgm-exporter never reads half a file. Runs on its own named loop, woken when a job starts or stops running.
 */
public final class DcgmJobMapping implements Jobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(DcgmJobMapping.class);

    private final Path dir;
    private final Jobs jobs;
    private final Supplier<List<GpuDevice>> devices;
    private final WorkerLoop loop;
    private Map<String, List<Long>> written = Map.of();

    public DcgmJobMapping(Path dir, Jobs jobs, Supplier<List<GpuDevice>> devices) {
        this.dir = dir;
        this.jobs = jobs;
        this.devices = devices;
        this.loop = new WorkerLoop("dopq-dcgm-mapping", Duration.ofSeconds(30), this::writeAll);
    }

    public void start() {
        loop.start();
    }

    public void stop(Duration wait) {
        loop.stop(wait);
    }

    @Override
    public void changed(Job before, Job after) {
        boolean was = before != null && before.state() == JobState.RUNNING;
        if (was != (after.state() == JobState.RUNNING)) {
            loop.signal();
        }
    }

    /** Writes every GPU's file whose content changed since the last write. */
    void writeAll() throws IOException {
        Map<String, List<Long>> mapping = current();
        if (mapping.equals(written)) {
            return;
        }
        Files.createDirectories(dir);
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a plain folder; refusing to write the DCGM job mapping there");
        }
        for (var e : mapping.entrySet()) {
            if (!e.getValue().equals(written.get(e.getKey()))) {
                write(e.getKey(), e.getValue());
            }
        }
        written = mapping;
    }

    private Map<String, List<Long>> current() {
        Map<String, List<Long>> mapping = new TreeMap<>();
        for (GpuDevice d : devices.get()) {
            mapping.put(d.id(), new ArrayList<>());
        }
        Map<String, List<Long>> byGpu = new HashMap<>();
        for (Job j : jobs.active().inStates(EnumSet.of(JobState.RUNNING))) {
            for (String g : j.gpus()) {
                byGpu.computeIfAbsent(g, x -> new ArrayList<>()).add(j.id());
            }
        }
        byGpu.forEach((g, ids) -> mapping.computeIfAbsent(g, x -> new ArrayList<>()).addAll(ids));
        mapping.values().forEach(ids -> ids.sort(Long::compare));
        return mapping;
    }

    /** dcgm-exporter often runs as another user; job ids are no secret (the metrics show them too). */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default permissions stand
        }
    }

    private void write(String gpu, List<Long> ids) throws IOException {
        if (!gpu.matches("\\d{1,3}")) {
            LOG.warn("GPU id {} is not an index; no DCGM job mapping file for it", gpu);
            return;
        }
        StringBuilder text = new StringBuilder();
        ids.forEach(id -> text.append(id).append('\n'));
        Path tmp = Files.createTempFile(dir, ".gpu" + gpu + "-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            readableByAll(tmp);
            Files.move(tmp, dir.resolve(gpu), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
