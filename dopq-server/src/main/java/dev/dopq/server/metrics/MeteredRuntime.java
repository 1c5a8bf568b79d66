package dev.dopq.server.metrics;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.ContainerSpec;
import dev.dopq.container.ContainerStatus;
import dev.dopq.container.ContainerEvent;
import dev.dopq.container.EngineInfo;
import dev.dopq.container.LogStream;
import io.prometheus.metrics.core.metrics.Counter;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A {@link ContainerRuntime} that counts the engine's errors by operation; everything else passes through. */
public final class MeteredRuntime implements ContainerRuntime {
    private final ContainerRuntime inner;
    private final Counter errors;

    MeteredRuntime(ContainerRuntime inner, Counter errors) {
        this.inner = inner;
        this.errors = errors;
    }

    private <T> T count(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            errors.labelValues(operation, e.getClass().getSimpleName()).inc();
            throw e;
        }
    }

    private void count(String operation, Runnable call) {
        count(operation, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public String create(ContainerSpec spec) {
        return count("create", () -> inner.create(spec));
    }

    @Override
    public void start(String containerId) {
        count("start", () -> inner.start(containerId));
    }

    @Override
    public void stop(String containerId, Duration grace) {
        count("stop", () -> inner.stop(containerId, grace));
    }

    @Override
    public void kill(String containerId) {
        count("kill", () -> inner.kill(containerId));
    }

    @Override
    public ContainerStatus inspect(String containerId) {
        return count("inspect", () -> inner.inspect(containerId));
    }

    @Override
    public List<ContainerStatus> listByLabel(String labelKey) {
        return count("list", () -> inner.listByLabel(labelKey));
    }

    @Override
    public void remove(String containerId) {
        count("remove", () -> inner.remove(containerId));
    }

    @Override
    public LogStream followLogs(String containerId, Path logFile) {
        return count("logs", () -> inner.followLogs(containerId, logFile));
    }

    @Override
    public Closeable subscribeEvents(String labelKey, Instant since, Consumer<ContainerEvent> sink) {
        return count("events", () -> inner.subscribeEvents(labelKey, since, sink));
    }

    @Override
    public boolean ping() {
        return count("ping", inner::ping);
    }

    @Override
    public EngineInfo info() {
        return count("info", inner::info);
    }
}
