package dev.dopq.docker;

/**
 * A zip that must not be taken. {@link #getMessage()} is a one-line reason written for the user who sent it.
 */
public class ZipRejectedException extends DockerHelperException {

    /** @param reason one line, in plain words, naming the offending entry where there is one */
    public ZipRejectedException(String reason) {
        super(reason);
    }

    /** @param reason one line for the user; {@code cause} keeps the technical detail for the log */
    public ZipRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
