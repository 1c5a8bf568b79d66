package dev.dopq.client;

import dev.dopq.api.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotifyCommandsTest {
    private final FakeSession session = new FakeSession();

    @Test
    void notify_set_sends_the_given_targets_and_prints_the_result() {
        CliRun.Result result = CliRun.run(session, "notify", "set", "--email", "ana@lab.example");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("e-mail:  ana@lab.example").contains("webhook: -");
    }

    @Test
    void notify_set_without_a_target_is_a_usage_error() {
        CliRun.Result result = CliRun.run(session, "notify", "set");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--webhook URL and/or --email ADDRESS");
    }

    @Test
    void notify_show_json_prints_the_settings_as_json() {
        CliRun.Result result = CliRun.run(session, "notify", "show", "--json");

        assertThat(result.out()).contains("\"user\"").contains("\"ana\"").contains("\"webhook\"");
    }
}
