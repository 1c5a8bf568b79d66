package dev.dopq.server.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class H2UidStoreTest extends UidStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected UidStore newStore() {
        database = Database.open(dir.resolve("dopq"));
        return database.uids();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void a_users_uid_survives_a_restart() {
        long uid = uids.allocate("ana", 200_000, 265_535);
        database.close();

        database = Database.open(dir.resolve("dopq"));

        assertThat(database.uids().find("ana")).hasValue(uid);
    }
}
