package dev.dopq.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The known sections and keys of config.ini with their defaults (as text, parsed like file values), plus the
 * spelling {@code valid.executors} of {@code [users]}. Everything not listed here or in {@link DopqKeys} (the
 * keys of the Python DoPQ's config.ini) is an error.
 */
final class ConfigSchema {
    private static final Map<String, Map<String, String>> DEFAULTS = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of(
            "users.valid.executors", "valid_executors");

    static {
        section("paths", "inbox", "shared-inbox", "state", "state");
        section("provider", "settle", "5s", "rescan", "2s", "min_free", "1g", "identity", "folder",
                "verify_owner", "no",
                "max_entries", "100000", "max_entry_size", "20g", "max_total_size", "50g", "max_ratio", "200",
                "remove_images", "yes", "build_timeout", "2h", "build_memory", "8g");
        section("queue", "penalty", "usage", "half_life", "24h", "cpu_weight", "0.1", "stop_grace", "30s",
                "remove_containers", "yes", "reconcile", "10s", "keep_history", "0", "max_log", "1g");
        section("gpu", "devices", "auto", "respect_foreign", "yes", "nvidia_runtime", "auto",
                "dcgm_job_mapping_dir", "");
        section("docker", "host", "", "network", "", "mounts", "", "output", "", "allow_host_network", "no",
                "allow_host_pid", "no", "default_memory", "", "uid_range", "200000-265535", "pids_limit", "4096",
                "allowed_images", "");
        section("users", "valid_executors", "", "admins", "", "dopq_database", "", "uids", "", "max_gpus", "",
                "max_queued", "", "max_gpu_hours_per_day", "");
        section("api", "host", "127.0.0.1", "port", "7777", "hostname", "", "anonymous_read", "no", "tls", "no",
                "keystore", "", "keystore_password", "", "truststore", "", "truststore_password", "",
                "client_auth", "no", "max_connections", "100", "max_sessions", "8", "idle_timeout", "30m");
        section("log", "level", "info");
        section("backend", "kind", "docker");
        section("slurm", "partition", "", "conf", "", "shared", "", "poll", "2s", "docker_host", "");
        section("web", "host", "127.0.0.1", "port", "7780", "tls", "no", "keystore", "", "keystore_password", "",
                "public_url", "");
        section("notify", "webhook", "", "retries", "10", "backoff", "5s", "smtp_host", "", "smtp_port", "25",
                "smtp_user", "", "smtp_password", "", "smtp_from", "dopq@localhost", "smtp_starttls", "no");
    }

    private ConfigSchema() {
    }

    private static void section(String name, String... keyDefaultPairs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keyDefaultPairs.length; i += 2) {
            keys.put(keyDefaultPairs[i], keyDefaultPairs[i + 1]);
        }
        DEFAULTS.put(name, Collections.unmodifiableMap(keys));
    }

    static Set<String> sections() {
        return DEFAULTS.keySet();
    }

    static boolean isSection(String section) {
        return DEFAULTS.containsKey(section);
    }

    /** True when {@code key} is one of dopq's own keys of {@code section}. */
    static boolean isKey(String section, String key) {
        return isSection(section) && DEFAULTS.get(section).containsKey(key);
    }

    static Set<String> keys(String section) {
        return DEFAULTS.get(section).keySet();
    }

    static String defaultValue(String section, String key) {
        return DEFAULTS.get(section).get(key);
    }

    /** Keys of [users] that also exist per user, as {@code max_gpus.ana}. */
    static final Set<String> PER_USER_KEYS = Set.of("max_gpus", "max_queued", "max_gpu_hours_per_day");

    /** The canonical key for {@code key} in {@code section} (itself or the key an old spelling stands for). */
    static Optional<String> canonicalKey(String section, String key) {
        if (DEFAULTS.get(section).containsKey(key)) {
            return Optional.of(key);
        }
        int dot = key.indexOf('.');
        if (section.equals("users") && dot > 0 && PER_USER_KEYS.contains(key.substring(0, dot))) {
            return Optional.of(key.substring(0, dot) + "." + key.substring(dot + 1).toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(ALIASES.get(section + "." + key));
    }

    /** The environment variable overriding a key: {@code DOPQ_<SECTION>_<KEY>}. */
    static String environmentName(String section, String key) {
        return ("DOPQ_" + section + "_" + key).toUpperCase(Locale.ROOT).replace('.', '_');
    }
}
