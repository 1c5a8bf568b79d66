package dev.dopq.client;

import java.nio.file.Path;
import java.util.Map;

/**
 * The parts of the process environment the client reads, passed in so tests do not depend on the real one.
 *
 * @param variables environment variables
 * @param home      the user's home directory (for {@code ~/.dopq/token})
 */
public record Environment(Map<String, String> variables, Path home) {

    public Environment {
        variables = Map.copyOf(variables);
    }

    /** The environment of this process. */
    public static Environment system() {
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    String get(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
