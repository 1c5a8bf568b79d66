package dev.dopq.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code submit} flags that set keys of a {@code container_config.json}: on a config made from the flags, or
 * over the keys of the folder's own config. Unset flags leave the keys alone.
 */
record ConfigFlags(String name, Integer gpus, String memory, String command, String timeout, Integer retries,
                   Double cpus, Map<String, String> env) {

    ConfigFlags {
        env = env == null ? Map.of() : Map.copyOf(new TreeMap<>(env));
    }

    boolean any() {
        return name != null || gpus != null || memory != null || command != null || timeout != null
                || retries != null || cpus != null || !env.isEmpty();
    }

    /**
     * Sets the flags' keys on {@code config} and returns what they replaced, as {@code key (was VALUE)} for every
     * key that had another value before; a key the config did not have is not an override.
     */
    List<String> applyTo(ObjectNode config) {
        List<String> overridden = new ArrayList<>();
        if (name != null) {
            set(config, "name", config.textNode(name), overridden);
        }
        if (gpus != null) {
            set(config, "num_gpus", config.numberNode(gpus), overridden);
        }
        if (memory != null) {
            set(config, "required_memory", config.textNode(memory), overridden);
        }
        if (command != null) {
            set(config, "command", config.textNode(command), overridden);
        }
        if (timeout != null) {
            set(config, "timeout", timeout.chars().allMatch(Character::isDigit)
                    ? config.numberNode(Long.parseLong(timeout)) : config.textNode(timeout), overridden);
        }
        if (retries != null) {
            set(config, "retries", config.numberNode(retries), overridden);
        }
        if (cpus != null) {
            set(config, "cpus", config.numberNode(cpus), overridden);
        }
        if (!env.isEmpty()) {
            JsonNode existing = config.get("env");
            ObjectNode vars = existing instanceof ObjectNode o ? o : config.objectNode();
            if (existing != null && !(existing instanceof ObjectNode)) {
                overridden.add("env (was " + existing + ")");
            }
            env.forEach((k, v) -> set(vars, k, vars.textNode(v), overridden, "env." + k));
            config.set("env", vars);
        }
        return overridden;
    }

    private static void set(ObjectNode config, String key, JsonNode value, List<String> overridden) {
        set(config, key, value, overridden, key);
    }

    private static void set(ObjectNode config, String key, JsonNode value, List<String> overridden, String label) {
        JsonNode before = config.get(key);
        if (before != null && !before.equals(value)) {
            overridden.add(label + " (was " + before + ")");
        }
        config.set(key, value);
    }
}
