package dev.dopq.server.store;

import dev.dopq.server.store.UserStore.StoredUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class H2UserStoreTest extends UserStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected UserStore newStore() {
        database = Database.open(dir.resolve("dopq"));
        return database.users();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void users_survive_a_restart() {
        StoredUser ana = new StoredUser("ana", true, "hash", false, Instant.parse("2026-01-01T00:00:00.123456789Z"));
        users.put(ana);
        database.close();

        database = Database.open(dir.resolve("dopq"));

        assertThat(database.users().find("ana")).contains(ana);
    }
}
