package dev.dopq.container;

import dev.dopq.docker.Messages;
import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** Tells an engine that is down or still recovering apart from an engine that refuses the request itself. */
final class DockerErrors {

    /**
     * Words of the engine's 5xx messages while it (or containerd, or its networking) is restarting. A 5xx without
     * them, such as "could not select device driver", is a lasting refusal and must not be retried forever.
     */
    private static final List<String> RECOVERING = List.of("libnetwork", "failed to create endpoint",
            "connection refused", "connection reset", "transport is closing", "dial unix", "i/o timeout",
            "shutting down", "broken pipe", "containerd.sock", "client connection is closing");

    private DockerErrors() {
    }

    /** Whether the request failed on the way: no connection, a cut one, or no response. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether a server error says the engine is not ready yet rather than that the request is wrong. */
    static boolean recovering(DockerException e) {
        if (e.getHttpStatus() < 500) {
            return false;
        }
        String message = DockerContainerRuntime.engineMessage(e).toLowerCase(Locale.ROOT);
        return RECOVERING.stream().anyMatch(message::contains);
    }

    /** The exception to throw for a failed {@code what}: unavailable when the engine is, else a plain refusal. */
    static ContainerRuntimeException of(String what, RuntimeException e) {
        if (e instanceof DockerException d) {
            String message = what + ": " + DockerContainerRuntime.engineMessage(d);
            return recovering(d) ? new EngineUnavailableException(message, e) : new ContainerRuntimeException(message, e);
        }
        if (unreachable(e)) {
            return new EngineUnavailableException(what + ": the engine did not answer (" + Messages.rootFirstLine(e) + ")", e);
        }
        return new ContainerRuntimeException(what + ": " + Messages.rootFirstLine(e), e);
    }

}
