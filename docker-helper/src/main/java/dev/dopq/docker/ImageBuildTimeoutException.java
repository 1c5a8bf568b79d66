package dev.dopq.docker;

import java.time.Duration;

/** A build or load ran longer than its limit and was aborted; the message says "... timed out after 2h". */
public final class ImageBuildTimeoutException extends ImageBuildException {

    public ImageBuildTimeoutException(String message) {
        super(message);
    }

    /** A duration as people write it: 2h, 1h 30m, 90s, 500ms. */
    static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            out.append(out.isEmpty() ? "" : " ").append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0) {
            out.append(out.isEmpty() ? "" : " ").append(s % 60).append('s');
        }
        return out.toString();
    }
}
