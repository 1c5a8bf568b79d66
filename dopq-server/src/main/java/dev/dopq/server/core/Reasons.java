package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Wording of the one-line waiting reasons users read in {@code dopq job <id>}. */
final class Reasons {
    private Reasons() {
    }

    static String locked(int position, int total) {
        return "queue is locked (position " + position + " of " + total + ")";
    }

    static String impossible(Job job, int capacity) {
        return "needs " + gpus(job.gpusRequested()) + " but this machine has " + capacity;
    }

    /** A sharing job asking more GPU memory than any GPU here has (or none has a known memory). */
    static String noRoom(Job job, long largestGpu) {
        String has = largestGpu > 0 ? "at most " + bytes(largestGpu) + " on a GPU"
                : "no GPU with a known memory (declared GPUs need one, like [gpu] devices = 0:24g)";
        return "needs " + bytes(job.gpuMemory()) + " of GPU memory but this machine has " + has;
    }

    /** "needs 10 GiB of GPU memory, at most 4 GiB free on a GPU". */
    static String needRoom(Job job, long mostRoom) {
        return "needs " + bytes(job.gpuMemory()) + " of GPU memory, " + (mostRoom > 0 ? "at most " + bytes(mostRoom)
                : "none") + " free on a GPU";
    }

    /** "10 GiB", "512 MiB", "1.5 GiB": binary units, at most one decimal. */
    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = Math.max(0, b);
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        String n = java.math.BigDecimal.valueOf(v).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
        return n + " " + units[u];
    }

    /** "held by ana; dopq release 12 lets it start". */
    static String held(Job job) {
        return "held by " + job.heldBy() + "; dopq release " + job.id() + " lets it start";
    }

    static String position(int position, int total) {
        return "position " + position + " of " + total;
    }

    /** "waits behind job 12 (bob, penalty 0.37 < yours 1.20)". */
    static String behind(Job ahead, double aheadPenalty, Job job, double ownPenalty) {
        String who;
        if (ahead.priority() != job.priority()) {
            who = (ahead.user().equals(job.user()) ? "yours" : ahead.user()) + ", priority " + ahead.priority()
                    + " > yours " + job.priority();
        } else if (ahead.user().equals(job.user())) {
            who = "yours, submitted earlier";
        } else if (aheadPenalty < ownPenalty) {
            who = ahead.user() + ", penalty " + number(aheadPenalty) + " < yours " + number(ownPenalty);
        } else {
            who = ahead.user() + ", same penalty " + number(ownPenalty) + ", submitted earlier";
        }
        return "waits behind job " + ahead.id() + " (" + who + ")";
    }

    /**
     * "needs 2 GPUs, 1 free"; when enough are free in all but not on one node (a job's GPUs come from one node):
     * "needs 2 GPUs on one node, 3 free but at most 1 on one node".
     */
    static String need(Job job, int free, int mostOnOneNode) {
        int n = job.gpusRequested();
        if (free >= n && mostOnOneNode < n) {
            return "needs " + gpus(n) + " on one node, " + free + " free but at most " + mostOnOneNode
                    + " on one node";
        }
        return "needs " + gpus(n) + ", " + free + " free";
    }

    static String heldFor(List<String> heldGpus, long heldJobId) {
        return "GPUs " + String.join(",", heldGpus) + " held for job " + heldJobId;
    }

    static String gpus(int n) {
        return n == 1 ? "1 GPU" : n + " GPUs";
    }

    /**
     * Two decimals, rounded half up like {@code %.2f}. Not {@link String#format}: a decision writes a reason for
     * every queued job, and formatting builds its number symbols anew on each call, which made reasons the bulk
     * of a 10,000-job decision.
     */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return java.math.BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** "45s", "3m 12s", "2h 05m", "3d 4h". */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        if (s < 86400) {
            return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
        }
        return (s / 86400) + "d " + ((s % 86400) / 3600) + "h";
    }
}
