package dev.dopq.server.config;

import dev.dopq.server.core.DopqException;

import java.util.List;

/**
 * The configuration cannot be used. Carries every problem found, each phrased as
 * {@code config.ini [section] key: what is wrong; what is allowed}, so an admin fixes them all in one go.
 */
public class ConfigException extends DopqException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order, one line each. */
    public List<String> problems() {
        return problems;
    }

    private static String describe(List<String> problems) {
        if (problems.size() == 1) {
            return "configuration error: " + problems.get(0);
        }
        return problems.size() + " configuration errors:\n  " + String.join("\n  ", problems);
    }
}
