package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerEvent;
import dev.dopq.container.ContainerStatus;
import dev.dopq.container.RunLostException;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Slurm has no event stream a submit host can follow: the {@code dopq-slurm-events} thread asks every
 * {@code poll} how the runs are and reports each run that ended (or was lost) once, as the local engine's die
 * event does. The queue's periodic reconcile stays the fallback.
 */
final class SlurmEvents implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmEvents.class);

    private final SlurmRuntime runtime;
    private final Duration poll;
    private final Consumer<ContainerEvent> sink;
    private final Set<String> reported = new HashSet<>();
    private final WorkerLoop loop;

    SlurmEvents(SlurmRuntime runtime, Duration poll, Consumer<ContainerEvent> sink) {
        this.runtime = runtime;
        this.poll = poll;
        this.sink = sink;
        this.loop = new WorkerLoop("dopq-slurm-events", poll, this::pollSafely);
        loop.start();
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (RuntimeException e) {
            LOG.warn("asking Slurm how the runs are failed; trying again in {}: {}", poll, e.toString());
        }
    }

    void pollOnce() {
        Map<String, Object> now = runtime.snapshot();
        reported.retainAll(now.keySet());
        now.forEach((id, state) -> {
            if (state instanceof RunLostException lost && reported.add(id)) {
                LOG.info("Slurm job {} is lost: {}", id, lost.why());
                sink.accept(new ContainerEvent(ContainerEvent.Kind.DIE, id, null, Map.of(), Instant.now()));
            } else if (state instanceof ContainerStatus s && !s.running() && s.startedAt() != null
                    && reported.add(id)) {
                if (s.oomKilled()) {
                    // as the engine does: the oom before the die, so the exit is not taken as a clean one
                    sink.accept(new ContainerEvent(ContainerEvent.Kind.OOM, id, null, s.labels(), Instant.now()));
                }
                sink.accept(new ContainerEvent(ContainerEvent.Kind.DIE, id, s.exitCode(), s.labels(), Instant.now()));
            }
        });
    }

    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(5));
    }
}
