package dev.dopq.server.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link SettingsStore} must do; run against each implementation by a subclass. */
abstract class SettingsStoreContract {
    protected SettingsStore settings;

    protected abstract SettingsStore newStore();

    @BeforeEach
    void createStore() {
        settings = newStore();
    }

    @Test
    void a_setting_reads_back_and_a_missing_one_is_empty() {
        settings.put("queue.locked", "true");

        assertThat(settings.get("queue.locked")).contains("true");
        assertThat(settings.get("other")).isEmpty();
    }

    @Test
    void putting_a_setting_again_replaces_it() {
        settings.put("queue.locked", "true");
        settings.put("queue.locked", "false");

        assertThat(settings.get("queue.locked")).contains("false");
    }

    @Test
    void putting_null_removes_a_setting() {
        settings.put("queue.locked", "true");
        settings.put("queue.locked", null);

        assertThat(settings.get("queue.locked")).isEmpty();
    }
}
