package dev.dopq.server.queue;

import dev.dopq.container.ContainerEvent;
import dev.dopq.container.ContainerGoneException;
import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.ContainerSpec;
import dev.dopq.container.ContainerStatus;
import dev.dopq.container.EngineInfo;
import dev.dopq.container.LogStream;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Containers as plain data, for unit tests of the queue's bookkeeping and of the API on a server without an engine
 * (ITs use the real engine). Thread-safe: a server calls it from several threads.
 */
public final class FakeRuntime implements ContainerRuntime {
    final Map<String, ContainerStatus> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Runs lost with their node (a Slurm node that died): inspecting one throws. */
    final Map<String, dev.dopq.container.RunLostException> lost = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> stopped = new CopyOnWriteArrayList<>();
    /** The grace period of each stop, in the order of {@link #stopped}. */
    final List<Duration> graces = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    /** Every container id inspected, in order. */
    final List<String> inspected = new CopyOnWriteArrayList<>();
    /** Runs inside create and start: where a test makes something happen meanwhile (or throws). */
    Runnable onCreate = () -> { };
    Runnable onStart = () -> { };
    /** Runs inside remove (may throw, like an engine that does not answer). */
    Runnable onRemove = () -> { };
    /** Runs inside listByLabel, before the listing. */
    Runnable onList = () -> { };
    volatile boolean answersPing = true;
    volatile boolean liveRestore;
    volatile int pings;

    void put(ContainerStatus status) {
        containers.put(status.id(), status);
    }

    @Override
    public synchronized String create(ContainerSpec spec) {
        onCreate.run();
        String id = "c" + (containers.size() + 1);
        put(new ContainerStatus(id, false, null, false, null, null, spec.labels(), spec.name()));
        return id;
    }

    @Override
    public void start(String containerId) {
        ContainerStatus c = inspect(containerId);
        onStart.run();
        started.add(containerId);
        put(new ContainerStatus(c.id(), true, null, false, Instant.now(), null, c.labels(), c.name()));
    }

    @Override
    public void stop(String containerId, Duration grace) {
        inspect(containerId);
        graces.add(grace);
        stopped.add(containerId);
    }

    @Override
    public void kill(String containerId) {
        stop(containerId, Duration.ZERO);
    }

    @Override
    public ContainerStatus inspect(String containerId) {
        inspected.add(containerId);
        if (lost.containsKey(containerId)) {
            throw lost.get(containerId);
        }
        ContainerStatus c = containers.get(containerId);
        if (c == null) {
            throw new ContainerGoneException(containerId);
        }
        return c;
    }

    @Override
    public List<ContainerStatus> listByLabel(String labelKey) {
        onList.run();
        List<ContainerStatus> all;
        synchronized (containers) {
            all = List.copyOf(containers.values());
        }
        return all.stream().filter(c -> c.labels() != null && c.labels().containsKey(labelKey))
                .toList();
    }

    @Override
    public void remove(String containerId) {
        onRemove.run();
        removed.add(containerId);
        containers.remove(containerId);
    }

    @Override
    public LogStream followLogs(String containerId, Path logFile) {
        return new LogStream() {
            @Override
            public boolean awaitEnd(Duration wait) {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Closeable subscribeEvents(String labelKey, Instant since, Consumer<ContainerEvent> sink) {
        return () -> { };
    }

    @Override
    public EngineInfo info() {
        return new EngineInfo(Set.of("runc"), liveRestore, Instant.now());
    }

    @Override
    public boolean ping() {
        pings++;
        return answersPing;
    }
}
