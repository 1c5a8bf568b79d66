package dev.dopq.container;

/**
 * A {@code container_config.json} that cannot be accepted; the message is a human reason to show the user
 * (several problems are joined with {@code "; "}).
 */
public class SpecRejectedException extends ContainerHandlerException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a human reason. */
    public SpecRejectedException(String reason) {
        super(reason);
    }

    /** Creates the exception with a human reason and the parse error behind it. */
    public SpecRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The human reason (same as {@link #getMessage()}). */
    public String reason() {
        return getMessage();
    }
}
