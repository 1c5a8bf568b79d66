package dev.dopq.server.service;

import dev.dopq.server.store.SettingsStore;

import java.util.Optional;

/** Each user's own notification targets (webhook URL, e-mail address), kept in the settings store. */
public final class NotifyTargets {
    /** A user's targets; either may be null. */
    public record Targets(String webhook, String email) {
    }

    private final SettingsStore settings;

    public NotifyTargets(SettingsStore settings) {
        this.settings = settings;
    }

    public Targets of(String user) {
        return new Targets(get("notify.webhook." + user), get("notify.email." + user));
    }

    /** Null leaves a target as it is, blank clears it. */
    public void set(String user, String webhook, String email) {
        if (webhook != null) {
            settings.put("notify.webhook." + user, webhook.isBlank() ? null : webhook.strip());
        }
        if (email != null) {
            settings.put("notify.email." + user, email.isBlank() ? null : email.strip());
        }
    }

    private String get(String key) {
        Optional<String> v = settings.get(key);
        return v.filter(s -> !s.isBlank()).orElse(null);
    }
}
