package dev.dopq.docker;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one size and duration syntax of dopq, for {@code config.ini} and {@code container_config.json} alike, and the
 * one byte formatter of the server side.
 *
 * <p>Sizes follow Docker's convention (as docker-py and the {@code docker} CLI read {@code mem_limit}): units are
 * binary, so {@code "1k"} is 1024 bytes and {@code "20g"} is 20 GiB; fractions are allowed ({@code "1.5g"}).
 */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|[dhms])");
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:\\.\\d+)?\\s*(?:ms|[dhms])\\s*)+");
    private static final String UNITS = "bkmgt";
    private static final String[] NAMES = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    /**
     * Reads a byte size: a plain number of bytes ({@code "1048576"}) or a number with a unit {@code b k m g t},
     * optionally followed by {@code b} or {@code ib} ({@code "20g"}, {@code "512MB"}, {@code "1.5GiB"}).
     *
     * @throws IllegalArgumentException when the text is not a size or the size does not fit in a {@code long}
     */
    public static long parseBytes(String s) {
        String text = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + s + "\" is not a size; use a number with a unit like 512m or 20g");
        }
        int power = m.group(2).isEmpty() ? 0 : UNITS.indexOf(m.group(2));
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        try {
            // Fractions of a byte ("1.3k") are rounded down, as Docker does.
            return bytes.toBigInteger().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + s + "\" is too large a size", e);
        }
    }

    /**
     * Reads a duration: a plain number of seconds ({@code "3600"}) or one or more parts with units
     * {@code d h m s ms} ({@code "2h"}, {@code "90m"}, {@code "3600s"}, {@code "1h30m"}, {@code "500ms"}).
     *
     * @throws IllegalArgumentException when the text is not a duration
     */
    public static Duration parseDuration(String s) {
        String text = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (NUMBER.matcher(text).matches()) {
            return part(new BigDecimal(text), "s");
        }
        if (!DURATION.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + s + "\" is not a duration; use a number with a unit like 90m or 2h");
        }
        Duration total = Duration.ZERO;
        Matcher m = DURATION_PART.matcher(text);
        while (m.find()) {
            total = total.plus(part(new BigDecimal(m.group(1)), m.group(2)));
        }
        return total;
    }

    private static Duration part(BigDecimal amount, String unit) {
        long millisPerUnit = switch (unit) {
            case "d" -> 86_400_000;
            case "h" -> 3_600_000;
            case "m" -> 60_000;
            case "ms" -> 1;
            default -> 1_000;
        };
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(millisPerUnit)).movePointRight(6);
        try {
            return Duration.ofNanos(nanos.toBigInteger().longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + amount + unit + "\" is too long a duration", e);
        }
    }

    /**
     * Formats a byte count for people: {@code 512 MiB}, {@code 1.5 GiB}, {@code 20 GiB}, {@code 100 B}.
     */
    public static String formatBytes(long b) {
        if (b < 0) {
            return "-" + formatBytes(-Math.max(b, -Long.MAX_VALUE));
        }
        int unit = 0;
        double value = b;
        while (value >= 1024 && unit < NAMES.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%d %s", Math.round(value), NAMES[unit]);
        }
        String text = String.format(Locale.ROOT, "%.1f", value);
        return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " " + NAMES[unit];
    }
}
