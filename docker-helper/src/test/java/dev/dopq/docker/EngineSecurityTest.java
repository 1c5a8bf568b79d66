package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSecurityTest {

    @Test
    void an_engine_without_userns_maps_nothing() {
        EngineSecurity plain = EngineSecurity.from(List.of("name=seccomp,profile=default", "name=cgroupns"),
                "/var/lib/docker");

        assertThat(plain.remapped()).isFalse();
        assertThat(plain.hostUid(1000)).isEqualTo(1000);
    }

    @Test
    void a_remapping_engine_tells_its_offset_in_its_data_root() {
        EngineSecurity remapped = EngineSecurity.from(List.of("name=seccomp,profile=default", "name=userns"),
                "/var/lib/docker/165536.165536");

        assertThat(remapped.remapped()).isTrue();
        assertThat(remapped.hostUid(0)).isEqualTo(165536);
        assertThat(remapped.hostGid(100)).isEqualTo(165636);
    }

    @Test
    void no_security_options_means_no_remapping() {
        assertThat(EngineSecurity.from(null, null)).isEqualTo(EngineSecurity.PLAIN);
    }
}
