package dev.dopq.client;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.dopq.api.ConflictException;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.PermissionDeniedException;

import static org.assertj.core.api.Assertions.assertThat;

class ControlCommandsTest {
    private final FakeSession session = new FakeSession();

    @Test
    void priority_sends_the_number_and_prints_the_job_s_new_priority() {
        CliRun.Result result = CliRun.run(session, "priority", "43", "20");

        assertThat(session.calls).containsExactly("priority:43,20");
        assertThat(result.out()).isEqualTo("job 43: priority 20\n");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void a_negative_priority_is_a_number_not_an_option() {
        CliRun.Result result = CliRun.run(session, "priority", "43", "-5");

        assertThat(session.calls).containsExactly("priority:43,-5");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void a_refused_priority_prints_the_server_s_reason_on_one_line_with_its_exit_code() {
        session.failing("priority", new PermissionDeniedException("only an admin can set priorities; you are ana"));

        CliRun.Result result = CliRun.run(session, "priority", "43", "20");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PERMISSION_DENIED);
        assertThat(result.err()).contains("only an admin can set priorities; you are ana").doesNotContain("\n\n");
    }

    @Test
    void hold_and_release_act_on_every_id_and_say_what_changed() {
        CliRun.Result held = CliRun.run(session, "hold", "43", "44");
        CliRun.Result released = CliRun.run(session, "release", "43");

        assertThat(session.calls).containsExactly("hold:43", "hold:44", "release:43");
        assertThat(held.out()).isEqualTo("job 43 held by ana\njob 44 held by ana\n");
        assertThat(released.out()).isEqualTo("job 43 released\n");
    }

    @Test
    void holding_a_running_job_prints_the_conflict_and_goes_on_with_the_other_ids() {
        session.failing("hold:41", new ConflictException("job 41 is running; only a waiting job can be held"));

        CliRun.Result result = CliRun.run(session, "hold", "41", "43");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.err()).isEqualTo("dopq: job 41: job 41 is running; only a waiting job can be held\n");
        assertThat(result.out()).isEqualTo("job 43 held by ana\n");
    }

    @Test
    void hold_user_holds_every_waiting_job_of_the_user_and_prints_json_on_request() throws Exception {
        CliRun.Result result = CliRun.run(session, "hold", "--user", "bob", "--json");

        assertThat(session.calls).containsExactly("holdUser:bob,true");
        JsonNode json = JsonMapper.builder().build().readTree(result.out());
        assertThat(json.get("user").asText()).isEqualTo("bob");
        assertThat(json.get("held").asInt()).isEqualTo(3);
    }

    @Test
    void release_user_releases_the_user_s_jobs() {
        CliRun.Result result = CliRun.run(session, "release", "--user", "bob");

        assertThat(session.calls).containsExactly("holdUser:bob,false");
        assertThat(result.out()).isEqualTo("released 3 waiting jobs of bob\n");
    }

    @Test
    void ids_and_user_together_or_neither_are_a_usage_error() {
        assertThat(CliRun.run(session, "hold", "43", "--user", "bob").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(session, "release").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(session.calls).isEmpty();
    }

    @Test
    void restart_prints_the_new_job_s_id_or_its_json() throws Exception {
        CliRun.Result plain = CliRun.run(session, "restart", "40");
        CliRun.Result json = CliRun.run(session, "restart", "40", "--json");

        assertThat(plain.out()).isEqualTo("46\n");
        JsonNode job = JsonMapper.builder().build().readTree(json.out());
        assertThat(job.get("id").asText()).isEqualTo("46");
        assertThat(job.get("restartOf").asText()).isEqualTo("40");
    }

    @Test
    void a_refused_restart_prints_the_reason() {
        session.failing("restart", new ConflictException(
                "job 40 cannot be restarted: image removed after the job ended; resubmit the zip"));

        CliRun.Result result = CliRun.run(session, "restart", "40");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.err()).contains("image removed after the job ended; resubmit the zip");
    }
}
