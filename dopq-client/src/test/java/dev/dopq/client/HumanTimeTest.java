package dev.dopq.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HumanTimeTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final HumanTime time = new HumanTime(Clock.fixed(NOW, ZoneId.of("Europe/Berlin")));

    @ParameterizedTest(name = "{0}s before now reads \"{1}\"")
    @CsvSource({"0, just now", "9, just now", "45, 45s ago", "180, 3m ago", "7199, 1h ago", "90000, 1d ago",
            "604799, 6d ago", "604800, 2024-04-24", "-120, in 2m 0s"})
    void past_times_read_as_ages_and_old_ones_as_local_dates(long secondsAgo, String expected) {
        assertThat(time.ago(NOW.minusSeconds(secondsAgo))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}s lasts \"{1}\"")
    @CsvSource({"0, 0s", "59, 59s", "192, 3m 12s", "4320, 1h 12m", "183600, 2d 3h", "-5, 0s"})
    void durations_show_the_two_largest_units(long seconds, String expected) {
        assertThat(HumanTime.duration(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @Test
    void a_running_job_lasts_until_now_and_a_missing_time_is_a_dash() {
        assertThat(time.between(NOW.minusSeconds(4320), null)).isEqualTo("1h 12m");
        assertThat(time.between(null, null)).isEqualTo("-");
        assertThat(time.ago(null)).isEqualTo("-");
    }

    @Test
    void absolute_times_are_shown_in_the_clock_zone() {
        assertThat(time.full(NOW.minusSeconds(180))).isEqualTo("2024-05-01 13:57:00 (3m ago)");
    }
}
