package dev.dopq.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units config.ini uses. Each parser returns null for text it does not accept. */
final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /** {@code 512m}, {@code 20g}, {@code 1024} (bytes); binary multiples. */
    static Long size(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            return n > (Long.MAX_VALUE >> shift) ? null : n << shift;
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /** {@code 5s}, {@code 90m}, {@code 24h}, {@code 2d}, {@code 500ms}; a plain number is seconds. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        } catch (NumberFormatException | ArithmeticException tooLong) {
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
