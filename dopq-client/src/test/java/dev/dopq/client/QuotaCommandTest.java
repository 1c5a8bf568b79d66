package dev.dopq.client;

import org.junit.jupiter.api.Test;

import dev.dopq.api.ExitCodes;
import dev.dopq.api.PermissionDeniedException;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaCommandTest {
    private final FakeSession session = new FakeSession();

    @Test
    void quota_shows_the_default_then_each_user_with_what_they_use_of_it() {
        CliRun.Result result = CliRun.run(session, "quota");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                USER           GPUS  WAITING  GPU-HOURS/24H  SOURCE
                * (default)       2       20           none  config
                ana          3 of 4  5 of 20    12.50 of 48  config, run time
                bob          0 of 2  0 of 20   0.00 of none  default
                """);
    }

    @Test
    void quota_set_sends_user_key_and_value_and_prints_the_result() {
        CliRun.Result result = CliRun.run(session, "quota", "set", "ana", "max_gpus", "4", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(session.calls).containsExactly("setQuota:ana,max_gpus,4");
        assertThat(result.out()).contains("\"user\": \"ana\"").contains("\"maxGpuHoursPerDay\": 48.0");
    }

    @Test
    void quota_set_of_an_unknown_key_is_a_usage_error_before_the_server_is_asked() {
        CliRun.Result result = CliRun.run(session, "quota", "set", "ana", "max_gpu", "4");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("KEY must be max_gpus, max_queued or max_gpu_hours_per_day");
        assertThat(session.calls).isEmpty();
    }

    @Test
    void quota_set_by_a_user_who_is_no_admin_is_refused() {
        session.failing("setQuota", new PermissionDeniedException("only admins can change quotas"));

        CliRun.Result result = CliRun.run(session, "quota", "set", "*", "max_gpus", "1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertThat(result.err()).contains("only admins can change quotas");
    }
}
