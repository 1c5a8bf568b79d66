package dev.dopq.server.core;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReasonsTest {

    @Test
    void penalties_are_written_with_two_decimals_rounded_half_up() {
        assertThat(Reasons.number(0.37)).isEqualTo("0.37");
        assertThat(Reasons.number(1.2)).isEqualTo("1.20");
        assertThat(Reasons.number(0.125)).isEqualTo("0.13");
        assertThat(Reasons.number(0)).isEqualTo("0.00");
        assertThat(Reasons.number(123456.789)).isEqualTo("123456.79");
    }

    @Test
    void penalties_read_exactly_as_the_percent_format_wrote_them() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            double value = random.nextDouble() * Math.pow(10, random.nextInt(8));

            assertThat(Reasons.number(value)).isEqualTo(String.format(Locale.ROOT, "%.2f", value));
        }
    }
}
