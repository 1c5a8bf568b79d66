package dev.dopq.container;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** Runs and watches job containers on one container engine. */
public interface ContainerRuntime {

    /**
     * Creates (does not start) a container. Always with an init process (so SIGTERM reaches the job), not
     * privileged, {@code no-new-privileges}, every capability dropped, {@code NVIDIA_VISIBLE_DEVICES} from the spec's
     * GPUs and its labels.
     *
     * @return the container id
     * @throws EngineUnavailableException when the engine did not answer or is not ready yet (worth retrying)
     * @throws ContainerRuntimeException when the engine refuses (no such image, name taken, ...), with its reason
     */
    String create(ContainerSpec spec);

    /**
     * Starts a created container; one that already runs is fine.
     *
     * @throws ContainerGoneException    when the container does not exist
     * @throws EngineUnavailableException when the engine did not answer or is not ready yet (worth retrying)
     * @throws ContainerRuntimeException when the engine cannot start it, with its reason
     */
    void start(String containerId);

    /**
     * Asks the container to stop (SIGTERM), killing it after {@code grace}. A container that already stopped is
     * fine.
     *
     * @throws ContainerGoneException when the container does not exist
     */
    void stop(String containerId, Duration grace);

    /**
     * Kills the container (SIGKILL). A container that already stopped is fine.
     *
     * @throws ContainerGoneException when the container does not exist
     */
    void kill(String containerId);

    /**
     * The container's current state.
     *
     * @throws ContainerGoneException when the container does not exist
     */
    ContainerStatus inspect(String containerId);

    /** All containers (running or not) that carry label {@code labelKey}, e.g. {@code dopq.job}. */
    List<ContainerStatus> listByLabel(String labelKey);

    /**
     * Removes the container (an id or a name), killing it if it runs. A missing container is fine.
     *
     * @throws EngineUnavailableException when the engine did not answer or is not ready yet
     */
    void remove(String containerId);

    /**
     * Streams stdout+stderr (follow, with timestamps off) appended to logFile until the container ends or the
     * handle is closed. Call right after start; also works for an already-exited container (writes all).
     */
    LogStream followLogs(String containerId, Path logFile);

    /**
     * Subscribes to container events start/die/oom filtered by label key labelKey, since {@code since}
     * ({@code null} = now); reconnects itself after errors (resubscribing with since = last seen event time)
     * until closed. The sink is called one event at a time, in the engine's order, each event once.
     */
    Closeable subscribeEvents(String labelKey, Instant since, Consumer<ContainerEvent> sink);

    /** Whether the engine answers {@code ping}. */
    boolean ping();

    /**
     * What the engine says about itself.
     *
     * @throws EngineUnavailableException when the engine did not answer
     */
    EngineInfo info();
}
