package dev.dopq.server.service;

import dev.dopq.server.core.Quotas;
import dev.dopq.server.store.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The quotas in force: config.ini's, with what admins changed at run time ({@code dopq quota}) on top. The
 * changes are kept in the settings store (key {@value #KEY}, one line per user and cap), so they survive a
 * restart and win over the file until an admin resets them.
 */
public final class QuotaBook {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaBook.class);
    static final String KEY = "quotas";
    /** The scope of the default limits in the stored lines and in {@code dopq quota}. */
    public static final String DEFAULT_SCOPE = "*";

    private final Quotas fromConfig;
    private final SettingsStore settings;
    /** scope ("*" or a user) to cap to the value set at run time */
    private final Map<String, Map<Quotas.Field, Number>> changes = new TreeMap<>();
    private volatile Quotas current;

    public QuotaBook(Quotas fromConfig, SettingsStore settings) {
        this.fromConfig = fromConfig;
        this.settings = settings;
        settings.get(KEY).ifPresent(this::readChanges);
        current = combine();
    }

    /** The limits in force now. */
    public Quotas current() {
        return current;
    }

    /** The limits config.ini sets, before run-time changes. */
    public Quotas fromConfig() {
        return fromConfig;
    }

    /**
     * Sets one cap of one scope (a user name, or {@value #DEFAULT_SCOPE} for everyone) and persists it.
     * {@code value} is {@code none} (no cap), a number, or {@code reset} (back to what config.ini says).
     *
     * @throws IllegalArgumentException with a one-line reason when the key or the value is not one
     */
    public synchronized Quotas set(String scope, String key, String value) {
        Quotas.Field field = Quotas.Field.ofKey(key.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new IllegalArgumentException("\"" + key + "\" is not a quota; use max_gpus, max_queued or"
                        + " max_gpu_hours_per_day"));
        String who = scope.trim().toLowerCase(Locale.ROOT);
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("reset")) {
            Map<Quotas.Field, Number> own = changes.get(who);
            if (own != null) {
                own.remove(field);
                if (own.isEmpty()) {
                    changes.remove(who);
                }
            }
        } else {
            Number parsed = field.parse(text);
            if (parsed == null) {
                throw new IllegalArgumentException("\"" + value + "\" is not a value of " + field.key() + "; use "
                        + field.allowed() + ", or reset");
            }
            changes.computeIfAbsent(who, s -> new TreeMap<>()).put(field, parsed);
        }
        settings.put(KEY, writeChanges());
        current = combine();
        LOG.info("quota {} of {} set to {}", field.key(), who, text);
        return current;
    }

    /** Whether the value of {@code field} for {@code scope} comes from a run-time change. */
    public boolean changedAtRunTime(String scope, Quotas.Field field) {
        Map<Quotas.Field, Number> own = changes.get(scope);
        return own != null && own.containsKey(field);
    }

    private Quotas combine() {
        Quotas q = fromConfig;
        for (Map.Entry<String, Map<Quotas.Field, Number>> e : changes.entrySet()) {
            boolean everyone = e.getKey().equals(DEFAULT_SCOPE);
            Quotas.Limits limits = everyone ? q.defaults() : q.perUser().getOrDefault(e.getKey(), Quotas.Limits.NONE);
            for (Map.Entry<Quotas.Field, Number> f : e.getValue().entrySet()) {
                Number v = f.getValue();
                // "none" as a default means no default; for one user it lifts the default
                boolean unlimited = v.doubleValue() >= Quotas.UNLIMITED;
                limits = f.getKey().with(limits, everyone && unlimited ? null : v);
            }
            q = everyone ? q.withDefaults(limits) : q.withUser(e.getKey(), limits);
        }
        return q;
    }

    private String writeChanges() {
        StringBuilder out = new StringBuilder();
        changes.forEach((scope, fields) -> fields.forEach((field, v) -> out.append(scope).append(' ')
                .append(field.key()).append(' ').append(Quotas.Field.show(v)).append('\n')));
        return out.toString();
    }

    private void readChanges(String text) {
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 3) {
                continue;
            }
            Optional<Quotas.Field> field = Quotas.Field.ofKey(parts[1]);
            Number value = field.map(f -> f.parse(parts[2])).orElse(null);
            if (value == null) {
                LOG.warn("ignoring the stored quota line \"{}\"", line.trim());
                continue;
            }
            changes.computeIfAbsent(parts[0], s -> new TreeMap<>()).put(field.get(), value);
        }
    }
}
