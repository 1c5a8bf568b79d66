package dev.dopq.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Function;

/**
 * Types the raw settings of one section. A value that does not parse adds a problem saying what is allowed and
 * yields the key's default, so loading goes on and reports every problem at once.
 */
final class ValueReader {
    private static final String DURATION = "a number with ms, s, m, h or d like 5s, 90m or 24h (plain numbers are"
            + " seconds)";
    private static final String SIZE = "a number with k, m, g or t like 512m or 20g (plain numbers are bytes)";
    private static final String BOOLEAN = "yes, no, true, false, on, off, 1 or 0";

    private final RawSettings raw;
    private final Path baseDir;
    private final List<String> problems;
    private String section;

    ValueReader(RawSettings raw, Path baseDir, List<String> problems) {
        this.raw = raw;
        this.baseDir = baseDir;
        this.problems = problems;
    }

    /** Selects the section the following calls read. */
    ValueReader section(String name) {
        this.section = name;
        return this;
    }

    /** The trimmed text, possibly empty. */
    String text(String key) {
        return raw.get(section, key).value();
    }

    /** True when the file or the environment gives the key a value (it is not left at its default). */
    boolean isSet(String key) {
        return raw.isSet(section, key);
    }

    /** Where a key's value came from, to prefix a problem. */
    String origin(String key) {
        return raw.get(section, key).origin();
    }

    void problem(String key, String message) {
        problemAt(origin(key), message);
    }

    /** A problem about a value that came from elsewhere (e.g. the DOCKER_HOST variable). */
    void problemAt(String origin, String message) {
        problems.add(origin + ": " + message);
    }

    /**
     * Parses a key with {@code parser} (null = not accepted); {@code what} names the kind of value ("a duration")
     * and {@code allowed} says what to write instead.
     */
    <T> T parse(String key, Function<String, T> parser, String what, String allowed) {
        T value = parseText(key, text(key), parser, what, allowed);
        return value != null ? value : parser.apply(ConfigSchema.defaultValue(section, key));
    }

    private <T> T parseText(String key, String text, Function<String, T> parser, String what, String allowed) {
        if (text.isEmpty()) {
            problem(key, "has no value; use " + allowed);
            return null;
        }
        T value = parser.apply(text);
        if (value == null) {
            problem(key, shown(key, text) + " is not " + what + "; use " + allowed);
        }
        return value;
    }

    /** Quotes a rejected value, except secrets, which must not end up in logs. */
    private static String shown(String key, String text) {
        return key.endsWith("password") ? "the value" : "\"" + text + "\"";
    }

    Duration duration(String key, boolean zeroAllowed) {
        return parse(key, t -> {
            Duration d = ConfigValues.duration(t);
            return d == null || (!zeroAllowed && d.isZero()) ? null : d;
        }, zeroAllowed ? "a duration" : "a positive duration", DURATION);
    }

    long size(String key) {
        return parse(key, ConfigValues::size, "a size", SIZE);
    }

    /** A size, or 0 when blank. */
    long optionalSize(String key, String blankMeans) {
        String text = text(key);
        if (text.isEmpty()) {
            return 0;
        }
        Long size = ConfigValues.size(text);
        if (size == null) {
            problem(key, shown(key, text) + " is not a size; use " + SIZE + ", or leave it blank for " + blankMeans);
            return 0;
        }
        return size;
    }

    /** A size in bytes, or a percentage of a disk (then {@code bytes} is 0). */
    record SizeOrPercent(long bytes, double percent) {
    }

    SizeOrPercent sizeOrPercent(String key) {
        return parse(key, t -> {
            Double percent = ConfigValues.percent(t);
            if (percent != null) {
                return new SizeOrPercent(0, percent);
            }
            Long size = ConfigValues.size(t);
            return size == null ? null : new SizeOrPercent(size, 0);
        }, "a size or a percentage of the disk", SIZE + ", or a percentage of the disk like 5%");
    }

    boolean bool(String key) {
        return parse(key, ConfigValues::bool, "a yes/no value", BOOLEAN);
    }

    long wholeNumber(String key, long min, long max) {
        return parse(key, t -> ConfigValues.wholeNumber(t, min, max), "a whole number from " + min + " to " + max,
                "a whole number from " + min + " to " + max);
    }

    double decimal(String key, double min, double max) {
        return parse(key, t -> ConfigValues.decimal(t, min, max), "a number from " + min + " to " + max,
                "a number from " + min + " to " + max + " like 0.1");
    }

    /** One of {@code choices} (case-insensitive), returned lower case. */
    String choice(String key, List<String> choices) {
        String allowed = String.join(" or ", choices);
        return parse(key, t -> choices.contains(t.toLowerCase(Locale.ROOT)) ? t.toLowerCase(Locale.ROOT) : null,
                "one of " + allowed, allowed);
    }

    /** A path, relative ones resolved against the config file's folder; null when blank. */
    Path optionalPath(String key) {
        String text = text(key);
        return text.isEmpty() ? null : path(key, text);
    }

    /** A path that must be given (blank falls back to the default). */
    Path path(String key) {
        String text = text(key);
        if (text.isEmpty()) {
            problem(key, "has no value; use a folder, absolute or relative to " + baseDir);
            text = ConfigSchema.defaultValue(section, key);
        }
        return path(key, text);
    }

    private Path path(String key, String text) {
        try {
            return baseDir.resolve(text).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            problem(key, "\"" + text + "\" is not a valid path (" + e.getReason() + ")");
            return baseDir.resolve(ConfigSchema.defaultValue(section, key).isEmpty() ? "."
                    : ConfigSchema.defaultValue(section, key)).normalize();
        }
    }

    /** The per-user settings {@code key.NAME} of the current section, by NAME. */
    Map<String, RawSettings.Setting> perUser(String key) {
        return raw.withPrefix(section, key + ".");
    }

    /** Comma separated items, blanks dropped. */
    List<String> list(String key) {
        return java.util.Arrays.stream(text(key).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
