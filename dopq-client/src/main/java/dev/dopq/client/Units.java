package dev.dopq.client;

import java.util.Locale;

/** Byte counts and percentages as short readable strings. */
final class Units {
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** "512 B", "1.5 GiB"; "-" for negative (unknown) values. */
    static String bytes(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY[unit]);
    }

    /** "42%" for a 0..1 fraction; "-" for negative (unknown) values. */
    static String fraction(double fraction) {
        return fraction < 0 ? "-" : Math.round(fraction * 100) + "%";
    }

    /** "87%" for a percentage; "-" for negative (unknown) values. */
    static String percent(int percent) {
        return percent < 0 ? "-" : percent + "%";
    }

    static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
