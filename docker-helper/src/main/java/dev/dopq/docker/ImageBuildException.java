package dev.dopq.docker;

/**
 * An image could not be built or loaded. The message is the last error line the engine reported (or a short
 * reason such as "no Dockerfile in the zip"), fit to show to the user whose job it was.
 */
public class ImageBuildException extends DockerHelperException {

    /** @param message the last build error line */
    public ImageBuildException(String message) {
        super(message);
    }

    /** @param message the last build error line; {@code cause} keeps the technical detail */
    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
