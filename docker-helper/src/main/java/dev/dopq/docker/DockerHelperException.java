package dev.dopq.docker;

/**
 * Base of docker-helper's exceptions: a zip refused, an image not built, an engine call about images that failed.
 * docker-java's own exceptions are converted to these at this module's edge; the message is one line for people.
 */
public class DockerHelperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DockerHelperException(String message) {
        super(message);
    }

    public DockerHelperException(String message, Throwable cause) {
        super(message, cause);
    }
}
