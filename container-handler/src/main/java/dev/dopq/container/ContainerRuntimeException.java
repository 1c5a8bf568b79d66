package dev.dopq.container;

/** The engine refused what was asked of a container; the message is one line that can be shown as a job's reason. */
public class ContainerRuntimeException extends ContainerHandlerException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line reason and the engine's error. */
    public ContainerRuntimeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
