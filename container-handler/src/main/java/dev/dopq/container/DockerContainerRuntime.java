package dev.dopq.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerRuntime} on a Docker engine through docker-java. */
public final class DockerContainerRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRuntime.class);
    /** What the engine reports as the time of something that has not happened. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerClient docker;
    private final long maxLogBytes;

    /** Uses {@code docker}; the caller owns and closes it. */
    public DockerContainerRuntime(DockerClient docker) {
        this(docker, Long.MAX_VALUE);
    }

    /** @param maxLogBytes the most one followed log file keeps (its head and tail); {@code Long.MAX_VALUE} = all */
    public DockerContainerRuntime(DockerClient docker, long maxLogBytes) {
        this.maxLogBytes = maxLogBytes;
        this.docker = Objects.requireNonNull(docker, "docker");
    }

    @Override
    public String create(ContainerSpec spec) {
        try (CreateContainerCmd cmd = docker.createContainerCmd(spec.image())) {
            cmd.withName(spec.name())
                    .withLabels(spec.labels())
                    .withEnv(DockerCreateMapping.env(spec))
                    .withHostConfig(DockerCreateMapping.hostConfig(spec));
            if (spec.command() != null) {
                cmd.withCmd(spec.command());
            }
            if (spec.entrypoint() != null) {
                cmd.withEntrypoint(spec.entrypoint());
            }
            if (spec.workingDir() != null) {
                cmd.withWorkingDir(spec.workingDir());
            }
            if (spec.user() != null) {
                cmd.withUser(spec.user());
            }
            String id = cmd.exec().getId();
            LOG.info("created container {} ({}) from {} with GPUs {}", spec.name(), id, spec.image(), spec.gpuIds());
            return id;
        } catch (RuntimeException e) {
            throw DockerErrors.of("cannot create container " + spec.name() + " from image " + spec.image(), e);
        }
    }

    /** The engine's own words, without docker-java's "Status 404: {"message":...}" wrapping. */
    static String engineMessage(DockerException e) {
        String body = e.getMessage() == null ? "" : e.getMessage().strip().replaceFirst("^Status \\d+: ", "");
        int json = body.indexOf('{');
        if (json >= 0) {
            try {
                JsonNode message = JSON.readTree(body.substring(json)).get("message");
                if (message != null && message.isTextual()) {
                    return message.asText().strip();
                }
            } catch (JsonProcessingException ignored) {
                // not the engine's JSON: show the text as it is
            }
        }
        return body;
    }

    @Override
    public void start(String containerId) {
        try {
            docker.startContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            throw gone(containerId, e);
        } catch (NotModifiedException e) {
            LOG.debug("container {} was already running", containerId);
        } catch (RuntimeException e) {
            throw DockerErrors.of("cannot start container " + containerId, e);
        }
    }

    @Override
    public void stop(String containerId, Duration grace) {
        // The engine counts whole seconds; round up so a short grace is not turned into an immediate kill.
        long seconds = (Math.max(0, grace.toMillis()) + 999) / 1000;
        try {
            docker.stopContainerCmd(containerId).withTimeout((int) Math.min(seconds, Integer.MAX_VALUE)).exec();
        } catch (NotModifiedException e) {
            LOG.debug("container {} was already stopped", containerId);
        } catch (NotFoundException e) {
            throw gone(containerId, e);
        } catch (RuntimeException e) {
            // The engine kills after the grace itself; this covers a stop request that failed on the way.
            LOG.warn("stopping container {} failed ({}); killing it", containerId, e.toString());
            kill(containerId);
        }
    }

    @Override
    public void kill(String containerId) {
        try {
            docker.killContainerCmd(containerId).exec();
        } catch (ConflictException e) {
            LOG.debug("container {} was not running", containerId);
        } catch (NotFoundException e) {
            throw gone(containerId, e);
        }
    }

    @Override
    public ContainerStatus inspect(String containerId) {
        InspectContainerResponse r;
        try {
            r = docker.inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            throw gone(containerId, e);
        }
        InspectContainerResponse.ContainerState state = r.getState();
        boolean running = Boolean.TRUE.equals(state.getRunning());
        Instant startedAt = time(state.getStartedAt());
        // The engine reports 0 for a container that never ran; that is no exit code.
        Integer exitCode = running || startedAt == null || state.getExitCodeLong() == null
                ? null : state.getExitCodeLong().intValue();
        Map<String, String> labels = r.getConfig() == null ? null : r.getConfig().getLabels();
        String name = r.getName() != null && r.getName().startsWith("/") ? r.getName().substring(1) : r.getName();
        return new ContainerStatus(r.getId(), running, exitCode, Boolean.TRUE.equals(state.getOOMKilled()),
                startedAt, running ? null : time(state.getFinishedAt()), labels, name);
    }

    private static Instant time(String text) {
        if (text == null || text.isEmpty() || text.equals(ZERO_TIME)) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public List<ContainerStatus> listByLabel(String labelKey) {
        List<Container> found = docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(labelKey)).exec();
        List<ContainerStatus> out = new ArrayList<>(found.size());
        for (Container c : found) {
            try {
                out.add(inspect(c.getId()));
            } catch (ContainerGoneException e) {
                LOG.debug("container {} went away while listing", c.getId());
            }
        }
        return out;
    }

    @Override
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            LOG.debug("container {} was already removed", containerId);
        } catch (ConflictException e) {
            // 409 here means a removal is already in progress.
            LOG.debug("container {} is being removed already: {}", containerId, e.getMessage());
        } catch (RuntimeException e) {
            throw DockerErrors.of("cannot remove container " + containerId, e);
        }
    }

    @Override
    public LogStream followLogs(String containerId, Path logFile) {
        try {
            return DockerLogFollower.follow(docker, containerId, logFile, maxLogBytes);
        } catch (NotFoundException e) {
            throw gone(containerId, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log file " + logFile, e);
        }
    }

    @Override
    public Closeable subscribeEvents(String labelKey, Instant since, Consumer<ContainerEvent> sink) {
        return DockerEventSubscription.start(docker, labelKey, since, sink);
    }

    @Override
    public boolean ping() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("docker engine does not answer ping: {}", e.toString());
            return false;
        }
    }

    @Override
    public EngineInfo info() {
        try {
            Info info = docker.infoCmd().exec();
            Map<String, ?> runtimes = info.getRuntimes();
            Object live = info.getRawValues().get("LiveRestoreEnabled");
            return new EngineInfo(runtimes == null ? Set.of() : runtimes.keySet(), Boolean.TRUE.equals(live),
                    systemTime(info.getSystemTime()));
        } catch (RuntimeException e) {
            throw new EngineUnavailableException("the engine did not answer docker info: " + e.getMessage(), e);
        }
    }

    private static Instant systemTime(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ContainerGoneException gone(String containerId, NotFoundException cause) {
        return new ContainerGoneException(containerId, cause);
    }
}
