package dev.dopq.container;

/** The engine does not know the container (it was removed, or never existed). */
public class ContainerGoneException extends ContainerRuntimeException {

    private static final long serialVersionUID = 1L;

    private final String containerId;

    /** Creates the exception for a container id. */
    public ContainerGoneException(String containerId) {
        this(containerId, null);
    }

    /** Creates the exception for a container id, with the engine's error. */
    public ContainerGoneException(String containerId, Throwable cause) {
        super("container " + containerId + " does not exist", cause);
        this.containerId = containerId;
    }

    /** The id that was asked for. */
    public String containerId() {
        return containerId;
    }
}
