package dev.dopq.server.service;

import dev.dopq.container.ContainerUser;
import dev.dopq.docker.EngineSecurity;
import dev.dopq.server.store.InMemoryUidStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobUidsTest {
    private static final HostAccounts HOST = HostAccounts.parse(List.of(
            "root:x:0:0:root:/root:/bin/bash",
            "carl:x:1005:100:Carl:/home/carl:/bin/bash",
            "wheel:x:1006:0::/home/wheel:/bin/sh",
            "broken line"));

    private JobUids uids(EngineSecurity engine) {
        return new JobUids(Map.of("ana", new ContainerUser(1001, 1001)), HOST, new InMemoryUidStore(), 200_000,
                265_535, engine);
    }

    @Test
    void the_configured_uid_wins_then_the_host_account_then_a_kept_uid_from_the_range() {
        JobUids uids = uids(EngineSecurity.PLAIN);

        assertThat(uids.runAs("ana", null)).isEqualTo("1001:1001");
        assertThat(uids.runAs("carl", null)).isEqualTo("1005:100");
        assertThat(uids.runAs("bo", null)).isEqualTo("200000:200000");
        assertThat(uids.runAs("dee", null)).isEqualTo("200001:200001");
        assertThat(uids.runAs("bo", null)).as("kept").isEqualTo("200000:200000");
    }

    @Test
    void host_accounts_of_root_never_count() {
        JobUids uids = uids(EngineSecurity.PLAIN);

        assertThat(uids.owner("root")).isEqualTo(new ContainerUser(200_000, 200_000));
        assertThat(uids.owner("wheel")).isEqualTo(new ContainerUser(200_001, 200_001));
    }

    @Test
    void a_job_may_choose_another_non_root_uid_keeping_its_users_group() {
        assertThat(uids(EngineSecurity.PLAIN).runAs("ana", "4242")).isEqualTo("4242:1001");
        assertThat(uids(EngineSecurity.PLAIN).runAs("ana", "4242:7")).isEqualTo("4242:7");
    }

    @Test
    void root_or_a_name_is_refused_on_an_engine_that_does_not_remap() {
        JobUids uids = uids(EngineSecurity.PLAIN);

        for (String asked : List.of("root", "0", "0:0", "4242:0", "nobody")) {
            assertThatThrownBy(() -> uids.runAs("ana", asked)).as(asked)
                    .isInstanceOf(JobUids.RunAsRefusedException.class)
                    .hasMessageContaining("jobs never run as root");
        }
    }

    @Test
    void root_is_allowed_where_the_engine_remaps_users() {
        JobUids uids = uids(new EngineSecurity(true, 165_536, 165_536));

        assertThat(uids.runAs("ana", "root")).isEqualTo("root");
        assertThat(uids.runAs("ana", "0")).isEqualTo("0:1001");
        assertThat(uids.runAs("ana", null)).isEqualTo("1001:1001");
    }
}
