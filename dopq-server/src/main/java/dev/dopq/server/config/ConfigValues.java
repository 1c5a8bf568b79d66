package dev.dopq.server.config;

import dev.dopq.docker.Sizes;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses config.ini values; sizes and durations in the syntax container_config.json uses too ({@link Sizes}).
 * Each parser returns null for text it does not accept.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    /** A size in the one syntax of {@link Sizes}: {@code 512m}, {@code 20g}, {@code 1.5g}, {@code 1024} (bytes). */
    static Long size(String text) {
        try {
            return Sizes.parseBytes(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A duration in the one syntax of {@link Sizes}: {@code 5s}, {@code 90m}, {@code 1h30m}, {@code 500ms}. */
    static Duration duration(String text) {
        try {
            return Sizes.parseDuration(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A percentage from 0 (inclusive) to 100 (exclusive) written with a percent sign: {@code 5%}, {@code 2.5%}. */
    static Double percent(String text) {
        String t = text.trim();
        if (!t.endsWith("%")) {
            return null;
        }
        Double d = decimal(t.substring(0, t.length() - 1), 0.0, 100.0);
        return d == null || d >= 100.0 ? null : d;
    }

    /** yes/no, true/false, on/off, 1/0. */
    static Boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1" -> Boolean.TRUE;
            case "no", "false", "off", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A whole number within [min, max]. */
    static Long wholeNumber(String text, long min, long max) {
        try {
            long n = Long.parseLong(text.trim());
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decimal number within [min, max]. */
    static Double decimal(String text, double min, double max) {
        try {
            double d = Double.parseDouble(text.trim());
            return Double.isNaN(d) || d < min || d > max ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
