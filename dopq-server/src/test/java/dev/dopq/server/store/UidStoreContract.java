package dev.dopq.server.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link UidStore} must do; run against each implementation by a subclass. */
abstract class UidStoreContract {
    protected UidStore uids;

    protected abstract UidStore newStore();

    @BeforeEach
    void createStore() {
        uids = newStore();
    }

    @Test
    void each_user_gets_the_lowest_free_uid_of_the_range_once() {
        assertThat(uids.allocate("ana", 500, 502)).isEqualTo(500);
        assertThat(uids.allocate("bo", 500, 502)).isEqualTo(501);
        assertThat(uids.allocate("ana", 500, 502)).isEqualTo(500);
        assertThat(uids.find("bo")).hasValue(501);
        assertThat(uids.find("cy")).isEmpty();
    }

    @Test
    void a_full_range_is_an_error_that_says_what_to_do() {
        uids.allocate("ana", 500, 500);

        assertThatThrownBy(() -> uids.allocate("bo", 500, 500)).isInstanceOf(StoreException.class)
                .hasMessageContaining("every uid of 500-500 is taken");
    }

    @Test
    void a_narrower_range_later_skips_uids_already_given() {
        uids.allocate("ana", 700, 710);

        assertThat(uids.allocate("bo", 700, 710)).isEqualTo(701);
    }
}
