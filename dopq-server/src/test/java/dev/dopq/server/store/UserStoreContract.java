package dev.dopq.server.store;

import dev.dopq.server.store.UserStore.StoredUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link UserStore} must do; run against each implementation by a subclass. */
abstract class UserStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    protected UserStore users;

    protected abstract UserStore newStore();

    @BeforeEach
    void createStore() {
        users = newStore();
    }

    @Test
    void a_stored_user_is_found_by_name_in_any_case() {
        StoredUser ana = new StoredUser("ana", true, "hash", false, T0);
        users.put(ana);

        assertThat(users.find("ANA")).contains(ana);
        assertThat(users.find("bo")).isEmpty();
    }

    @Test
    void names_are_stored_lower_case() {
        users.put(new StoredUser("Bo", false, null, true, T0));

        assertThat(users.all()).containsExactly(new StoredUser("bo", false, null, true, T0));
    }

    @Test
    void putting_a_user_again_replaces_it() {
        users.put(new StoredUser("ana", false, null, true, T0));
        StoredUser withToken = new StoredUser("ana", true, "new-hash", true, T0);

        users.put(withToken);

        assertThat(users.all()).containsExactly(withToken);
    }

    @Test
    void all_users_come_sorted_by_name() {
        users.put(new StoredUser("cy", false, null, false, T0));
        users.put(new StoredUser("ana", false, null, false, T0));
        users.put(new StoredUser("bo", false, null, false, T0));

        assertThat(users.all()).extracting(StoredUser::name).containsExactly("ana", "bo", "cy");
    }

    @Test
    void removing_says_whether_the_user_existed() {
        users.put(new StoredUser("ana", false, null, false, T0));

        assertThat(users.remove("Ana")).isTrue();
        assertThat(users.remove("ana")).isFalse();
        assertThat(users.find("ana")).isEmpty();
    }

    @Test
    void email_and_import_time_are_kept_and_survive_a_token_change() {
        StoredUser imported = new StoredUser("reza", false, "h1", false, T0, "reza@lab.example", T0.plusSeconds(5));
        users.put(imported);

        assertThat(users.find("reza")).contains(imported);
        users.put(imported.withTokenHash("h2"));
        assertThat(users.find("reza")).hasValueSatisfying(u -> {
            assertThat(u.tokenHash()).isEqualTo("h2");
            assertThat(u.email()).isEqualTo("reza@lab.example");
            assertThat(u.importedAt()).isEqualTo(T0.plusSeconds(5));
        });
    }
}
