package dev.dopq.server.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link SystemProbe} backed by OSHI for CPU and memory and by the JDK's {@link FileStore} for disks (it answers
 * for the file system a path is really on, mounts and shares included).
 * <p>
 * CPU load is estimated from the kernel's tick counters between successive calls instead of sampling over a
 * sleep, so a status request never waits.
 */
public final class OshiSystemProbe implements SystemProbe {
    private static final Logger LOG = LoggerFactory.getLogger(OshiSystemProbe.class);

    private final CentralProcessor cpu;
    private final GlobalMemory memory;
    private long[] previousTicks;
    private double lastLoad;

    public OshiSystemProbe() {
        SystemInfo info = new SystemInfo();
        this.cpu = info.getHardware().getProcessor();
        this.memory = info.getHardware().getMemory();
        this.previousTicks = cpu.getSystemCpuLoadTicks();
        // Until ticks move, the best estimate is the average since boot.
        this.lastLoad = Math.max(0, busyFraction(new long[previousTicks.length], previousTicks));
    }

    @Override
    public synchronized double cpuLoad() {
        long[] now = cpu.getSystemCpuLoadTicks();
        double load = busyFraction(previousTicks, now);
        if (load >= 0) {
            // Only move the baseline when ticks advanced, so rapid calls keep measuring a real interval.
            previousTicks = now;
            lastLoad = load;
        }
        return lastLoad;
    }

    @Override
    public long memoryTotal() {
        return memory.getTotal();
    }

    @Override
    public long memoryAvailable() {
        return memory.getAvailable();
    }

    @Override
    public long diskFree(Path path) {
        FileStore store = store(path);
        try {
            return store == null ? -1 : store.getUsableSpace();
        } catch (IOException e) {
            LOG.warn("cannot read free space of {}: {}", path, e.toString());
            return -1;
        }
    }

    @Override
    public long diskTotal(Path path) {
        FileStore store = store(path);
        try {
            return store == null ? -1 : store.getTotalSpace();
        } catch (IOException e) {
            LOG.warn("cannot read size of {}: {}", path, e.toString());
            return -1;
        }
    }

    private static FileStore store(Path path) {
        Path existing = path.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        try {
            return Files.getFileStore(existing);
        } catch (IOException e) {
            LOG.warn("cannot find the file system of {}: {}", path, e.toString());
            return null;
        }
    }

    /**
     * Share of non-idle ticks between two readings (idle and iowait count as idle, as OSHI does), or -1 when no
     * tick passed.
     */
    static double busyFraction(long[] before, long[] after) {
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            total += after[i] - before[i];
        }
        if (total <= 0) {
            return -1;
        }
        int idle = TickType.IDLE.getIndex();
        int iowait = TickType.IOWAIT.getIndex();
        long idleTicks = (after[idle] - before[idle]) + (after[iowait] - before[iowait]);
        return Math.min(1.0, Math.max(0.0, (double) (total - idleTicks) / total));
    }
}
