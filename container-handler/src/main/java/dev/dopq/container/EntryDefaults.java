package dev.dopq.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An entry of a {@code jobs} list over the top level's keys: the entry's value wins; {@code env} merges by
 * variable and {@code run_params} by key. A field that has two spellings ({@code command} and
 * {@code run_params.command}, {@code env} and {@code run_params.environment}, ...) is the entry's when the entry
 * gives it in either spelling, so a default in one spelling never clashes with the entry's own in the other.
 */
final class EntryDefaults {
    private static final String RUN_PARAMS = "run_params";
    /** Top-level keys and the run_params keys that give the same field. */
    private static final Map<String, List<String>> SPELLINGS = Map.of(
            "command", List.of("command"),
            "required_memory", List.of("mem_limit"),
            "shm_size", List.of("shm_size"),
            "cpus", List.of("nano_cpus", "cpu_count"));
    private static final Set<String> MERGED = Set.of("env", RUN_PARAMS);

    private EntryDefaults() {
    }

    /** The entry's config: the defaults with the entry's keys over them. */
    static ObjectNode merged(ObjectNode defaults, ObjectNode entry) {
        ObjectNode m = defaults.deepCopy();
        dropOtherSpellings(m, entry);
        entry.properties().forEach(e -> {
            JsonNode before = m.get(e.getKey());
            if (MERGED.contains(e.getKey()) && before != null && before.isObject() && e.getValue().isObject()) {
                ObjectNode both = ((ObjectNode) before).deepCopy();
                both.setAll(((ObjectNode) e.getValue()).deepCopy());
                m.set(e.getKey(), both);
            } else {
                m.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        return m;
    }

    private static void dropOtherSpellings(ObjectNode m, ObjectNode entry) {
        JsonNode own = entry.get(RUN_PARAMS);
        ObjectNode ownRun = own instanceof ObjectNode o ? o : null;
        ObjectNode run = m.get(RUN_PARAMS) instanceof ObjectNode o ? o : null;
        SPELLINGS.forEach((top, runKeys) -> {
            if (entry.has(top) && run != null) {
                run.remove(runKeys);
            }
            if (ownRun != null && runKeys.stream().anyMatch(ownRun::has)) {
                m.remove(top);
            }
        });
        if (run != null && entry.get("env") instanceof ObjectNode env) {
            removeVariables(run, "environment", names(env));
        }
        if (ownRun != null && m.get("env") instanceof ObjectNode defaultEnv) {
            defaultEnv.remove(names(ownRun.get("environment")));
        }
    }

    /** Variable names of an environment given as an object or as {@code ["K=V"]}. */
    private static Set<String> names(JsonNode env) {
        Set<String> names = new HashSet<>();
        if (env instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(names::add);
        } else if (env instanceof ArrayNode a) {
            a.forEach(item -> {
                int eq = item.isTextual() ? item.asText().indexOf('=') : -1;
                if (eq > 0) {
                    names.add(item.asText().substring(0, eq));
                }
            });
        }
        return names;
    }

    private static void removeVariables(ObjectNode run, String key, Set<String> names) {
        JsonNode env = run.get(key);
        if (env instanceof ObjectNode o) {
            o.remove(names);
        } else if (env instanceof ArrayNode a) {
            for (int i = a.size() - 1; i >= 0; i--) {
                String item = a.get(i).isTextual() ? a.get(i).asText() : "";
                int eq = item.indexOf('=');
                if (eq > 0 && names.contains(item.substring(0, eq))) {
                    a.remove(i);
                }
            }
        }
    }
}
