package dev.dopq.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dopq.api.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionSettingsTest {
    @TempDir
    Path home;

    private final AtomicReference<ConnectionSettings> used = new AtomicReference<>();

    private CliRun.Result run(Map<String, String> env, String... args) {
        return CliRun.run(settings -> {
            used.set(settings);
            return new FakeSession();
        }, new Environment(env, home), args);
    }

    private void tokenFile(String content) throws IOException {
        Files.createDirectories(home.resolve(".dopq"));
        Files.writeString(home.resolve(".dopq/token"), content);
    }

    @Test
    void without_any_token_the_session_is_anonymous_on_the_default_address() {
        run(Map.of(), "whoami");

        assertThat(used.get()).isEqualTo(new ConnectionSettings("127.0.0.1", 7777, null, false));
    }

    @Test
    void the_token_file_is_read_from_its_first_line_trimmed() throws IOException {
        tokenFile("  ana.fromfile  \nsecond line\n");

        run(Map.of(), "whoami");

        assertThat(used.get().token()).isEqualTo("ana.fromfile");
        assertThat(used.get().user()).isEqualTo("ana");
    }

    @Test
    void the_environment_token_wins_over_the_file() throws IOException {
        tokenFile("ana.fromfile\n");

        run(Map.of("DOPQ_TOKEN", "bob.fromenv"), "whoami");

        assertThat(used.get().token()).isEqualTo("bob.fromenv");
    }

    @Test
    void the_option_wins_over_environment_and_file() throws IOException {
        tokenFile("ana.fromfile\n");

        run(Map.of("DOPQ_TOKEN", "bob.fromenv"), "whoami", "--token", "carl.fromflag.with.dots");

        assertThat(used.get().token()).isEqualTo("carl.fromflag.with.dots");
        assertThat(used.get().user()).isEqualTo("carl");
    }

    @Test
    void host_port_and_tls_come_from_the_environment_unless_given_as_options() {
        run(Map.of("DOPQ_HOST", "gpu1.lab", "DOPQ_PORT", "7000", "DOPQ_TLS", "1"), "--port", "7100", "queue");

        assertThat(used.get()).isEqualTo(new ConnectionSettings("gpu1.lab", 7100, null, true));
    }

    @Test
    void options_may_come_before_or_after_the_command() {
        run(Map.of(), "--host", "gpu2.lab", "queue", "--tls");

        assertThat(used.get()).isEqualTo(new ConnectionSettings("gpu2.lab", 7777, null, true));
    }

    @Test
    void a_token_without_a_user_part_is_a_usage_error() {
        CliRun.Result result = run(Map.of("DOPQ_TOKEN", "justsecret"), "whoami");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("dopq: the token must look like NAME.SECRET");
        assertThat(used.get()).isNull();
    }

    @Test
    void a_port_in_the_environment_that_is_not_a_number_is_a_usage_error() {
        CliRun.Result result = run(Map.of("DOPQ_PORT", "seventy"), "whoami");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("dopq: DOPQ_PORT: \"seventy\" is not a port");
    }

    @Test
    void the_token_never_appears_in_the_settings_text() {
        assertThat(new ConnectionSettings("h", 1, "ana.topsecret", false).toString()).doesNotContain("topsecret");
    }
}
