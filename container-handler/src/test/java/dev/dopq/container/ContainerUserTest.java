package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainerUserTest {

    @Test
    void a_uid_without_gid_takes_the_default_group() {
        assertThat(ContainerUser.parse("1234", 99)).isEqualTo(new ContainerUser(1234, 99));
        assertThat(ContainerUser.parse("1234:5", 99)).isEqualTo(new ContainerUser(1234, 5));
        assertThat(ContainerUser.parse("1234:5", 99).toString()).isEqualTo("1234:5");
    }

    @Test
    void names_and_out_of_range_numbers_are_not_numeric_users() {
        assertThat(ContainerUser.parse("nobody", 1)).isNull();
        assertThat(ContainerUser.parse("1000:staff", 1)).isNull();
        assertThat(ContainerUser.parse("99999999999", 1)).isNull();
    }

    @Test
    void root_user_or_group_is_root() {
        assertThat(new ContainerUser(0, 5).root()).isTrue();
        assertThat(new ContainerUser(5, 0).root()).isTrue();
        assertThat(new ContainerUser(5, 5).root()).isFalse();
        assertThat(ContainerUser.namesRoot("root:1")).isTrue();
        assertThat(ContainerUser.namesRoot("00")).isTrue();
        assertThat(ContainerUser.namesRoot("1000:100")).isFalse();
    }
}
