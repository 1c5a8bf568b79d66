package dev.dopq.api;

/** Exit codes of the console client, documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything else that went wrong. */
    public static final int OTHER = 1;
    /** Wrong command line or a request the server refused as malformed. */
    public static final int USAGE = 2;
    /** The job, user or file does not exist. */
    public static final int NOT_FOUND = 3;
    /** Not authenticated, not the owner, or not an admin. */
    public static final int PERMISSION_DENIED = 4;
    /** The server could not be reached. */
    public static final int UNREACHABLE = 5;
    /** The request does not fit the job's current state. */
    public static final int CONFLICT = 6;
    /** The job was refused or failed before it ran (submit), or never ran (logs). */
    public static final int NOT_RUN = 7;

    private ExitCodes() {
    }
}
