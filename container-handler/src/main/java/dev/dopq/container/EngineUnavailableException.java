package dev.dopq.container;

/**
 * The engine did not answer (connection refused or cut, no response) or answered that it is not ready yet (a
 * server error while it recovers, such as its networking after a restart). Nothing is wrong with what was asked:
 * the same request may succeed once the engine answers {@link ContainerRuntime#ping()} again.
 */
public class EngineUnavailableException extends ContainerRuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line reason and the transport's or the engine's error. */
    public EngineUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
