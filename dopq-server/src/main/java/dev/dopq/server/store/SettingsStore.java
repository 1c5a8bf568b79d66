package dev.dopq.server.store;

import java.util.Optional;

/** Small persistent key/value settings, e.g. the queue lock, which must survive a restart. */
public interface SettingsStore {
    Optional<String> get(String key);

    void put(String key, String value);
}
