package dev.dopq.api;

/** Thrown when the caller is not allowed to do this (not authenticated, not the owner, not an admin). */
public class PermissionDeniedException extends ApiException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return ExitCodes.PERMISSION_DENIED;
    }
}
