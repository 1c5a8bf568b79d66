package dev.dopq.container;

/** The engine does not know the container (it was removed, or never existed). */
public class ContainerGoneException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String containerId;

    /** Creates the exception for a container id. */
    public ContainerGoneException(String containerId) {
        super("container " + containerId + " does not exist");
        this.containerId = containerId;
    }

    /** The id that was asked for. */
    public String containerId() {
        return containerId;
    }
}
