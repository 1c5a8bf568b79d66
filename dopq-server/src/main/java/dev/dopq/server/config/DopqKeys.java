package dev.dopq.server.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The keys of the Python DoPQ 1.0's config.ini (as its {@code write_default_config} writes them) and what each
 * means in dopq: a dopq setting it translates to, or the reason it means nothing here. A DoPQ key is never an
 * unknown key; a DoPQ value that cannot be translated is a problem named after the DoPQ key.
 */
final class DopqKeys {

    /**
     * One DoPQ key. A translated key has a target ({@code targetSection}, {@code targetKey}) and a conversion
     * of its value (null result = the value is not usable, {@code allowed} says what is); an unneeded key has
     * only a {@code note}. For a translated key the note says what the setting is in dopq.
     */
    record Key(String section, String name, String targetSection, String targetKey, UnaryOperator<String> convert,
               String allowed, String note) {
        boolean translated() {
            return targetKey != null;
        }

        String label() {
            return "[" + section + "] " + name;
        }
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();
    private static final String EVENT_DRIVEN = "dopq is event-driven: a new zip, a container exit or a freed GPU"
            + " wakes it at once; [provider] rescan and [queue] reconcile are the fallback timers";

    static {
        translated("paths", "network.dir", "paths", "inbox", v -> v, "a folder",
                "the share users drop their zips into");
        unneeded("paths", "container.dir", "dopq moves each taken zip into its own job folder in <state>/work");
        unneeded("paths", "unzip.dir", "dopq extracts each zip inside its job folder in <state>/work");
        unneeded("paths", "log.dir", "a job's output log is kept in its job folder under [paths] state and copied"
                + " to the share's results folder when the job ends; the server logs to stderr");
        unneeded("paths", "history.dir", "the history is in dopq's database under [paths] state, bounded by [queue]"
                + " keep_history, DoPQ's max.history");
        unneeded("paths", "failed.dir", "a rejected zip goes to a failed/ folder on the share, next to a"
                + " <name>.reason.txt saying why");
        translated("paths", "user_database.dir", "users", "dopq_database", v -> v, "the path of DoPQ's user database",
                "DoPQ's user database; its users are imported at start, each with a token and no password");
        translated("queue", "max.history", "queue", "keep_history", v -> v, "a whole number",
                "finished jobs kept in the history; older ones, their events and job folders are deleted");
        translated("queue", "verbose", "log", "level", DopqKeys::verbosity, "yes or no",
                "log level: DoPQ's verbose = yes is dopq's info, no is warn");
        unneeded("queue", "sleep.interval", EVENT_DRIVEN);
        // DoPQ 1.0 parses this key but never applies it; dopq's cap is enforced, which the note says
        translated("queue", "max.gpu.assignment", "users", "max_gpus", v -> v, "a whole number",
                "the most GPUs one user's jobs hold at a time; DoPQ 1.0 read this key but never enforced it,"
                        + " dopq does");
        translated("docker", "mount.volumes", "docker", "mounts", v -> v, "/host:/container[:ro] items",
                "bind mounts every job gets");
        translated("docker", "remove", "queue", "remove_containers", v -> v, "yes or no",
                "remove a job's container once its log and exit code are stored");
        // DoPQ's default file says host; nobody chose it, and it would give every job the host's network
        translated("docker", "network.mode", "docker", "network", v -> v.equalsIgnoreCase("host") ? "" : v,
                "a network name", "the network every job joins; DoPQ's host network is not carried over (blank ="
                        + " the engine's default network)");
        translated("docker", "mem.limit", "docker", "default_memory", v -> v, "a size like 32g",
                "memory limit of a job whose container_config.json asks for none");
        unneeded("docker", "logging.interval", "a job's output is streamed to its log while it runs");
        translated("fetcher", "valid.executors", "users", "valid_executors", v -> v, "comma separated user names",
                "users allowed to submit");
        translated("fetcher", "min.space", "provider", "min_free", DopqKeys::fractionAsPercent,
                "a fraction of the disk like 0.05 or a percentage like 5%",
                "intake pauses while less of the disk is free");
        unneeded("fetcher", "remove.invalid.containers", "dopq never deletes a rejected zip: it goes to failed/"
                + " with a reason, and the admin removes it");
        unneeded("fetcher", "sleep.interval", EVENT_DRIVEN);
        unneeded("builder", "sleep.interval", EVENT_DRIVEN);
        unneeded("builder", "load.suffix", "dopq takes .zip files; an image tar goes inside the zip, named by"
                + " image_file with build_flag false");
        unneeded("builder", "build.suffix", "dopq takes .zip files");
    }

    private DopqKeys() {
    }

    private static void translated(String section, String name, String targetSection, String targetKey,
                                   UnaryOperator<String> convert, String allowed, String note) {
        KEYS.put(section + "." + name, new Key(section, name, targetSection, targetKey, convert, allowed, note));
    }

    private static void unneeded(String section, String name, String reason) {
        KEYS.put(section + "." + name, new Key(section, name, null, null, null, null, reason));
    }

    /** DoPQ's sections that dopq does not have itself. */
    static boolean isDopqOnlySection(String section) {
        return !ConfigSchema.isSection(section) && KEYS.values().stream().anyMatch(k -> k.section().equals(section));
    }

    /**
     * The DoPQ key {@code name} of {@code section}. A translated key whose dopq target does not exist in this
     * version (a per-user GPU cap) is reported as meaning nothing yet.
     */
    static Optional<Key> find(String section, String name) {
        Key key = KEYS.get(section + "." + name.toLowerCase(Locale.ROOT));
        if (key != null && key.translated() && !ConfigSchema.isKey(key.targetSection(), key.targetKey())) {
            return Optional.of(new Key(key.section(), key.name(), null, null, null, null,
                    "this dopq has no per-user GPU cap yet; fair share orders users instead"));
        }
        return Optional.ofNullable(key);
    }

    /** The DoPQ keys of one of DoPQ's sections, for suggestions. */
    static Set<String> keys(String section) {
        Set<String> names = new java.util.LinkedHashSet<>();
        KEYS.values().stream().filter(k -> k.section().equals(section)).forEach(k -> names.add(k.name()));
        return names;
    }

    /** Every DoPQ key, in the order DoPQ writes them. */
    static List<Key> all() {
        return KEYS.values().stream().map(k -> find(k.section(), k.name()).orElseThrow()).toList();
    }

    /** DoPQ's verbose (a configparser boolean) as a log level. */
    static String verbosity(String value) {
        Boolean verbose = ConfigValues.bool(value);
        return verbose == null ? null : verbose ? "info" : "warn";
    }

    /** DoPQ's min.space is the free fraction of the disk (0.05); dopq writes it as a percentage (5%). */
    static String fractionAsPercent(String value) {
        String v = value.trim();
        if (v.endsWith("%")) {
            return ConfigValues.percent(v) == null ? null : v;
        }
        try {
            BigDecimal fraction = new BigDecimal(v);
            if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) >= 0) {
                return null;
            }
            return fraction.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
