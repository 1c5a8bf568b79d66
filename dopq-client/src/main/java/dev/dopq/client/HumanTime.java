package dev.dopq.client;

import dev.dopq.api.JobView;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Times as people read them: "3m ago", "1h 12m"; old or absolute times as local date and time. */
final class HumanTime {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final Clock clock;

    HumanTime(Clock clock) {
        this.clock = clock;
    }

    /** "just now", "45s ago", "3m ago", "2h ago", "3d ago", or the date when a week or more ago; "-" for null. */
    String ago(Instant when) {
        if (when == null) {
            return "-";
        }
        Duration age = Duration.between(when, clock.instant());
        long s = age.getSeconds();
        if (s < 0) {
            return "in " + duration(age.negated());
        }
        if (s < 10) {
            return "just now";
        }
        if (s >= 7 * 86_400) {
            return DATE.format(when.atZone(clock.getZone()));
        }
        return (s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86_400 ? s / 3600 + "h" : s / 86_400 + "d") + " ago";
    }

    /** Time from {@code start} to {@code end}, or to now when {@code end} is null; "-" without a start. */
    String between(Instant start, Instant end) {
        return start == null ? "-" : duration(Duration.between(start, end != null ? end : clock.instant()));
    }

    /** "45s", "3m 12s", "1h 12m", "2d 3h". */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    /**
     * A running job's state as people read it: "running", or "stopping (kill in 25s)" once it was asked to stop
     * ("stopping (killing)" when its deadline has passed).
     */
    String runState(JobView job) {
        if (!job.stopping()) {
            return job.state() == null ? "-" : job.state().toLowerCase(java.util.Locale.ROOT);
        }
        if (job.killAt() == null) {
            return "stopping";
        }
        Duration left = Duration.between(clock.instant(), job.killAt());
        return left.isNegative() || left.isZero() ? "stopping (killing)" : "stopping (kill in " + duration(left) + ")";
    }

    /** "2024-05-01 10:00:00 (3m ago)" in the clock's zone; "-" for null. */
    String full(Instant when) {
        return when == null ? "-" : absolute(when) + " (" + ago(when) + ")";
    }

    /** "2024-05-01 10:00:00" in the clock's zone; "-" for null. */
    String absolute(Instant when) {
        return when == null ? "-" : DATE_TIME.format(when.atZone(clock.getZone()));
    }
}
