package dev.dopq.server.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Tells whether a host pid NVML lists on a GPU belongs to one of our containers: its {@code /proc/PID/cgroup}
 * names the container's id (cgroupfs {@code /docker/ID}, systemd {@code docker-ID.scope}, both cgroup versions).
 * Without this every process would look foreign, and the memory of our own jobs sharing a GPU would be taken
 * off that GPU twice (once as asked, once as "foreign" use). A pid whose cgroup cannot be read is foreign.
 */
public final class OurProcesses implements LongPredicate {
    private static final int MIN_ID_LENGTH = 12;

    private final Path proc;
    private volatile Supplier<Collection<String>> containerIds = List::of;

    public OurProcesses() {
        this(Path.of("/proc"));
    }

    OurProcesses(Path proc) {
        this.proc = proc;
    }

    /** From now on, the containers of our running jobs are those {@code ids} gives (asked at every test). */
    public void watch(Supplier<Collection<String>> ids) {
        this.containerIds = ids;
    }

    @Override
    public boolean test(long pid) {
        String cgroup;
        try {
            cgroup = Files.readString(proc.resolve(Long.toString(pid)).resolve("cgroup"), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        for (String id : containerIds.get()) {
            if (id != null && id.length() >= MIN_ID_LENGTH && cgroup.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
