package dev.dopq.container;

import dev.dopq.docker.Sizes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Typed reads of spec fields that collect every problem instead of stopping at the first, so a user fixes the
 * whole file in one round. A read that fails records a reason and returns {@code null}.
 */
final class SpecFields {

    private static final Pattern ENV_NAME = Pattern.compile("[^=\\x00]+");
    private static final int MAX_SHOWN = 80;

    private final List<String> problems = new ArrayList<>();

    void problem(String reason) {
        problems.add(reason);
    }

    List<String> problems() {
        return problems;
    }

    /** A JSON value as the user wrote it, shortened, for "got ..." in messages. */
    static String shown(JsonNode v) {
        String text = v.toString();
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN - 3) + "...";
    }

    static boolean absent(JsonNode v) {
        return v == null || v.isNull();
    }

    String text(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            problem(field + " must be a string, got " + shown(v));
            return null;
        }
        return v.asText();
    }

    Boolean bool(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        if (!v.isBoolean()) {
            problem(field + " must be true or false, got " + shown(v));
            return null;
        }
        return v.asBoolean();
    }

    /** A whole number >= 0. */
    Long count(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        boolean whole = v.isIntegralNumber() || v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble());
        if (!whole || !v.canConvertToLong()) {
            problem(field + " must be a whole number, got " + shown(v));
            return null;
        }
        long n = v.asLong();
        if (n < 0) {
            problem(field + " must not be negative, got " + n);
            return null;
        }
        return n;
    }

    /** A number >= 0. */
    Double decimal(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        if (!v.isNumber()) {
            problem(field + " must be a number, got " + shown(v));
            return null;
        }
        double d = v.asDouble();
        if (d < 0 || !Double.isFinite(d)) {
            problem(field + " must not be negative, got " + shown(v));
            return null;
        }
        return d;
    }

    /** A byte size: a string like {@code "20g"} or a number of bytes. */
    Long bytes(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        if (v.isNumber()) {
            return count(v, field);
        }
        if (!v.isTextual()) {
            problem(field + " must be a size like \"20g\" or a number of bytes, got " + shown(v));
            return null;
        }
        try {
            return Sizes.parseBytes(v.asText());
        } catch (IllegalArgumentException e) {
            problem(field + ": " + e.getMessage());
            return null;
        }
    }

    /** A duration: a string like {@code "2h"} or a number of seconds; must be longer than zero. */
    Duration duration(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        Duration d;
        if (v.isNumber()) {
            Double seconds = decimal(v, field);
            d = seconds == null ? null : Duration.ofNanos(Math.round(seconds * 1e9));
        } else if (v.isTextual()) {
            d = parsedDuration(v.asText(), field);
        } else {
            problem(field + " must be a duration like \"2h\" or a number of seconds, got " + shown(v));
            return null;
        }
        if (d != null && (d.isZero() || d.isNegative())) {
            problem(field + " must be longer than zero, got " + shown(v));
            return null;
        }
        return d;
    }

    private Duration parsedDuration(String text, String field) {
        try {
            return Sizes.parseDuration(text);
        } catch (IllegalArgumentException e) {
            problem(field + ": " + e.getMessage());
            return null;
        }
    }

    /** A command: one string (split like a shell) or an array of strings. */
    List<String> command(JsonNode v, String field) {
        if (absent(v)) {
            return null;
        }
        if (v.isTextual()) {
            try {
                return CommandLine.split(v.asText());
            } catch (IllegalArgumentException e) {
                problem(field + " " + e.getMessage());
                return null;
            }
        }
        if (!v.isArray() || !allTextual(v)) {
            problem(field + " must be a string or an array of strings, got " + shown(v));
            return null;
        }
        List<String> words = new ArrayList<>();
        v.forEach(w -> words.add(w.asText()));
        return words;
    }

    private static boolean allTextual(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Environment: an object {@code {"K": "v"}} or (when {@code listAllowed}) an array {@code ["K=v"]}. */
    Map<String, String> env(JsonNode v, String field, boolean listAllowed) {
        if (absent(v)) {
            return null;
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (v.isObject()) {
            v.properties().forEach(e -> envEntry(env, field, e.getKey(), e.getValue()));
        } else if (listAllowed && v.isArray()) {
            v.forEach(e -> envListEntry(env, field, e));
        } else {
            String allowed = listAllowed ? "an object or an array of \"KEY=value\" strings" : "an object";
            problem(field + " must be " + allowed + ", got " + shown(v));
            return null;
        }
        return env;
    }

    private void envListEntry(Map<String, String> env, String field, JsonNode e) {
        int eq = e.isTextual() ? e.asText().indexOf('=') : -1;
        if (eq <= 0) {
            problem(field + " entry " + shown(e) + " must look like \"KEY=value\"");
            return;
        }
        envEntry(env, field, e.asText().substring(0, eq), TextNode.valueOf(e.asText().substring(eq + 1)));
    }

    private void envEntry(Map<String, String> env, String field, String key, JsonNode value) {
        if (!ENV_NAME.matcher(key).matches()) {
            problem(field + " has an invalid variable name " + shown(TextNode.valueOf(key)));
        } else if (key.equals("NVIDIA_VISIBLE_DEVICES")) {
            problem(field + " must not set " + key + ": GPUs are assigned by the queue from num_gpus");
        } else if (!value.isValueNode() || value.isNull()) {
            problem(field + " " + key + " must be a string, got " + shown(value));
        } else {
            env.put(key, value.asText());
        }
    }

    /** The one value of two places that may both give it; refuses when both are given and differ. */
    <T> T either(String firstField, T first, String secondField, T second) {
        if (first != null && second != null && !Objects.equals(first, second)) {
            problem(firstField + " and " + secondField + " disagree; give only one");
        }
        return first != null ? first : second;
    }
}
