package dev.dopq.server.system;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serves another probe's figures for up to {@code maxAge}: every {@code dopq status} asks for CPU load, memory and
 * free disk, and with many clients reading /proc and the mount table on every call costs more than the answer is
 * worth; a figure half a second old is as true as a fresh one.
 */
public final class CachedSystemProbe implements SystemProbe {
    private final SystemProbe probe;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Figure> figures = new ConcurrentHashMap<>();

    private record Figure(Instant at, double value) {
    }

    public CachedSystemProbe(SystemProbe probe, Clock clock, Duration maxAge) {
        this.probe = probe;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    @Override
    public double cpuLoad() {
        return figure("cpu", probe::cpuLoad);
    }

    @Override
    public long memoryTotal() {
        return probe.memoryTotal();
    }

    @Override
    public long memoryAvailable() {
        return (long) figure("memory", () -> (double) probe.memoryAvailable());
    }

    @Override
    public long diskFree(Path path) {
        return (long) figure("free " + path, () -> (double) probe.diskFree(path));
    }

    @Override
    public long diskTotal(Path path) {
        return (long) figure("total " + path, () -> (double) probe.diskTotal(path));
    }

    /** Byte counts fit a double exactly up to 2^53 bytes (8 PiB). */
    private double figure(String key, Supplier<Double> read) {
        Instant now = clock.instant();
        Figure f = figures.get(key);
        if (f == null || Duration.between(f.at(), now).abs().compareTo(maxAge) >= 0) {
            f = new Figure(now, read.get());
            figures.put(key, f);
        }
        return f.value();
    }
}
