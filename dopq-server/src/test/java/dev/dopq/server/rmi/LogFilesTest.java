package dev.dopq.server.rmi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilesTest {
    @TempDir
    Path dir;

    @Test
    void the_tail_is_the_last_lines() throws IOException {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\nfour\n");

        assertThat(LogFiles.tail(log, 2, true).text()).isEqualTo("three\nfour\n");
        assertThat(LogFiles.tail(log, 10, true).text()).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(LogFiles.tail(log, 1, false).offset()).isEqualTo(Files.size(log));
    }

    @Test
    void a_last_line_without_newline_counts_and_gets_one() throws IOException {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree");

        assertThat(LogFiles.tail(log, 2, true).text()).isEqualTo("two\nthree\n");
    }

    @Test
    void a_line_longer_than_the_cap_is_cut_at_the_front_not_read_whole() throws IOException {
        Path log = dir.resolve("huge.log");
        byte[] block = "x".repeat(1 << 16).getBytes();
        try (OutputStream out = Files.newOutputStream(log)) {
            for (int i = 0; i < 64; i++) { // 4 MiB without a newline
                out.write(block);
            }
            out.write("end".getBytes());
        }

        String text = LogFiles.tail(log, 20, true).text();

        assertThat(text).hasSize(LogFiles.MAX_TAIL_BYTES + 1).endsWith("xend\n");
    }
}
