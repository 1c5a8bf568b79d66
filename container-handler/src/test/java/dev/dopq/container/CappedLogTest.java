package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CappedLogTest {
    @TempDir
    Path dir;

    private static String numbered(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    @Test
    void output_below_the_limit_is_kept_whole_and_in_order() throws IOException {
        Path file = dir.resolve("output.log");
        try (CappedLog log = new CappedLog(file, 100)) {
            for (int i = 0; i < 80; i += 8) {
                log.write(numbered(i, i + 8).getBytes(StandardCharsets.US_ASCII));
            }
        }

        assertThat(Files.readString(file)).isEqualTo(numbered(0, 80));
        assertThat(dir.resolve("output.log.tail")).doesNotExist();
    }

    @Test
    void longer_output_keeps_head_and_tail_with_a_marker_between() throws IOException {
        Path file = dir.resolve("output.log");
        String all = numbered(0, 1000);
        try (CappedLog log = new CappedLog(file, 100)) {
            for (int i = 0; i < 1000; i += 7) {
                log.write(all.substring(i, Math.min(1000, i + 7)).getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(Files.size(file)).as("while running, the file holds the head only").isEqualTo(50);
        }

        assertThat(Files.readString(file)).isEqualTo(all.substring(0, 50)
                + "\n[dopq: 900 bytes of output left out here; the log keeps the first 50 and the last 50 bytes"
                + " ([queue] max_log)]\n" + all.substring(950));
        assertThat(dir.resolve("output.log.tail")).doesNotExist();
    }

    @Test
    void one_huge_write_keeps_only_its_last_bytes_as_tail() throws IOException {
        Path file = dir.resolve("output.log");
        String all = numbered(0, 10_000);
        try (CappedLog log = new CappedLog(file, 100)) {
            log.write(all.getBytes(StandardCharsets.US_ASCII));
        }

        String text = Files.readString(file);
        assertThat(text).startsWith(all.substring(0, 50)).endsWith("max_log)]\n" + all.substring(9_950));
    }

    @Test
    void a_link_planted_at_the_log_file_is_refused_and_its_target_left_alone() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere.txt"), "precious\n");
        Path log = Files.createSymbolicLink(dir.resolve("output.log"), target);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CappedLog(log, 100))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("precious\n");
    }
}
