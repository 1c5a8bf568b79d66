package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ImagePatternsTest {

    @Test
    void a_star_stands_for_any_tag_and_a_bare_name_means_latest() {
        assertThat(ImagePatterns.matchesAny(List.of("nvidia/cuda:*"), "nvidia/cuda:12.4.1-base-ubuntu22.04")).isTrue();
        assertThat(ImagePatterns.matchesAny(List.of("nvidia/cuda:*"), "nvidia/cuda")).isTrue();
        assertThat(ImagePatterns.matchesAny(List.of("busybox:latest"), "busybox")).isTrue();
        assertThat(ImagePatterns.matchesAny(List.of("nvidia/cuda:*"), "nvidia/cudagl:11")).isFalse();
        assertThat(ImagePatterns.matchesAny(List.of("pytorch/pytorch:2.?-*"), "pytorch/pytorch:2.1-cuda12")).isTrue();
        assertThat(ImagePatterns.matchesAny(List.of(), "busybox")).isFalse();
    }

    @Test
    void a_registry_port_is_not_taken_for_a_tag() {
        assertThat(ImagePatterns.withDefaultTag("registry:5000/lab/base")).isEqualTo("registry:5000/lab/base:latest");
        assertThat(ImagePatterns.withDefaultTag("lab/base@sha256:abc")).isEqualTo("lab/base@sha256:abc");
    }

    @Test
    @Timeout(2)
    void a_pattern_full_of_stars_matches_in_linear_time() {
        String pattern = "*a".repeat(200) + "b";
        String text = "a".repeat(20_000);

        assertThat(ImagePatterns.matches(pattern, text)).isFalse();
        assertThat(ImagePatterns.matches(pattern, text + "b")).isTrue();
    }
}
