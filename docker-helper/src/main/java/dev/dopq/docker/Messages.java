package dev.dopq.docker;

/** The one way an error becomes a one-line message for people (a job's reason, a log line). */
public final class Messages {
    private Messages() {
    }

    /**
     * The first line of the error's message (its class name when it has none), stripped, without the trailing ':'
     * some libraries end it with before listing details on the next lines.
     */
    public static String firstLine(Throwable e) {
        return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    /** The first line of {@code text}, stripped, without a trailing ':'. */
    public static String firstLine(String text) {
        String stripped = text.strip();
        int nl = stripped.indexOf('\n');
        String line = (nl < 0 ? stripped : stripped.substring(0, nl)).strip();
        return line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
    }

    /** The first line of the innermost cause: what the transport or the engine said, not the wrapping. */
    public static String rootFirstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root);
    }
}
