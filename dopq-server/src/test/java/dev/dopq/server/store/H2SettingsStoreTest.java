package dev.dopq.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class H2SettingsStoreTest extends SettingsStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected SettingsStore newStore() {
        database = Database.open(dir.resolve("dopq"));
        return database.settings();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void the_queue_lock_survives_a_restart() {
        settings.put("queue.locked", "true");
        database.close();

        database = Database.open(dir.resolve("dopq"));

        assertThat(database.settings().get("queue.locked")).contains("true");
    }
}
