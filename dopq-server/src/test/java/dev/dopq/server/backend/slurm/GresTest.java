package dev.dopq.server.backend.slurm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GresTest {

    @Test
    void gpu_counts_are_read_with_or_without_a_type_and_socket_notes() {
        assertThat(Gres.count("gpu:2")).isEqualTo(2);
        assertThat(Gres.count("gpu:a100:4(S:0-1)")).isEqualTo(4);
        assertThat(Gres.count("gpu:a100:2,gpu:v100:1")).isEqualTo(3);
        assertThat(Gres.count("(null)")).isZero();
        assertThat(Gres.count(null)).isZero();
    }

    @Test
    void allocated_indices_are_read_from_single_values_lists_and_ranges() {
        assertThat(Gres.indices("gpu:1(IDX:0)")).containsExactly(0);
        assertThat(Gres.indices("gpu:2(IDX:0-1)")).containsExactly(0, 1);
        assertThat(Gres.indices("gpu:a100:3(IDX:0,2-3)")).containsExactly(0, 2, 3);
        assertThat(Gres.indices("gpu:0")).isEmpty();
        assertThat(Gres.indices("gpu:1(IDX:N/A)")).isEmpty();
    }
}
