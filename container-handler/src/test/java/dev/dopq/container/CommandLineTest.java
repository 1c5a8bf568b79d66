package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void words_are_split_on_whitespace() {
        assertThat(CommandLine.split("  python  train.py\t--lr 0.1 ")).containsExactly("python", "train.py", "--lr", "0.1");
    }

    @Test
    void quotes_keep_spaces_and_are_removed() {
        assertThat(CommandLine.split("sh -c 'echo \"a b\"; exit 3'")).containsExactly("sh", "-c", "echo \"a b\"; exit 3");
        assertThat(CommandLine.split("echo \"it's \\\"x\\\"\" x\"\"y ''")).containsExactly("echo", "it's \"x\"", "xy", "");
    }

    @Test
    void a_backslash_escapes_the_next_character() {
        assertThat(CommandLine.split("a\\ b c")).containsExactly("a b", "c");
    }

    @Test
    void an_unclosed_quote_is_refused() {
        assertThatThrownBy(() -> CommandLine.split("echo \"oops")).hasMessage("has an unclosed \" quote");
    }
}
