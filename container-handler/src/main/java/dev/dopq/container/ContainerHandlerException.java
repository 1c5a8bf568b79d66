package dev.dopq.container;

/**
 * Base of container-handler's exceptions: a job spec refused, a container call the engine refused or did not
 * answer. docker-java's own exceptions are converted to these at this module's edge (see {@code DockerErrors}).
 */
public class ContainerHandlerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContainerHandlerException(String message) {
        super(message);
    }

    public ContainerHandlerException(String message, Throwable cause) {
        super(message, cause);
    }
}
