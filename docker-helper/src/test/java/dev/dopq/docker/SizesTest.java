package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({"20g, 21474836480", "512m, 536870912", "1.5g, 1610612736", "1024, 1024", "1k, 1024",
            "512MB, 536870912", "2GiB, 2147483648", "100b, 100", "1t, 1099511627776"})
    void sizes_read_with_docker_binary_units(String text, long bytes) {
        assertThat(Sizes.parseBytes(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "g", "-1g", "1x", "1.g", "twenty", "99999999999t"})
    void text_that_is_not_a_size_is_refused(String text) {
        assertThatThrownBy(() -> Sizes.parseBytes(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"2h, 7200", "90m, 5400", "3600s, 3600", "3600, 3600", "1h30m, 5400", "1d, 86400", "1.5h, 5400"})
    void durations_read_with_units_or_as_seconds(String text, long seconds) {
        assertThat(Sizes.parseDuration(text)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "1m500ms, 60500", "2s, 2000"})
    void durations_read_in_milliseconds_too_as_config_ini_writes_them(String text, long millis) {
        assertThat(Sizes.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "h", "2 hours", "-5m", "5m3", "soon", "5mss"})
    void text_that_is_not_a_duration_is_refused(String text) {
        assertThatThrownBy(() -> Sizes.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"100, 100 B", "1024, 1 KiB", "536870912, 512 MiB", "1610612736, 1.5 GiB", "21474836480, 20 GiB"})
    void sizes_format_for_people(long bytes, String text) {
        assertThat(Sizes.formatBytes(bytes)).isEqualTo(text);
    }
}
