package dev.dopq.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.dopq.api.ApiException;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobDetail;
import dev.dopq.api.NotFoundException;

import static org.assertj.core.api.Assertions.assertThat;

class WaitCommandTest {

    /** Answers each job's states one call after the other; the last one stays. */
    private static final class Progress extends FakeSession {
        final Map<String, Deque<String>> states = new HashMap<>();
        final Map<String, Integer> asked = new HashMap<>();

        Progress job(String id, String... sequence) {
            states.put(id, new ArrayDeque<>(List.of(sequence)));
            return this;
        }

        @Override
        public JobDetail job(String id) throws ApiException {
            Deque<String> left = states.get(id);
            if (left == null) {
                throw new NotFoundException("no job " + id);
            }
            asked.merge(id, 1, Integer::sum);
            String state = left.size() > 1 ? left.poll() : left.peek();
            String reason = state.equals("FAILED") ? "exited with code 3" : null;
            return new JobDetail(FakeSession.job(id, "j" + id, "ana", state, List.of(), 1, null,
                    FakeSession.at("11:00:00"), null, null, reason, 1), null, 0, -1, 0, null, List.of(), null, null);
        }
    }

    @Test
    void wait_returns_0_once_every_job_has_succeeded() {
        Progress session = new Progress().job("7", "QUEUED", "RUNNING", "SUCCEEDED").job("8", "SUCCEEDED");

        CliRun.Result result = CliRun.run(session, "wait", "7", "8");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEqualTo("job 7 succeeded\njob 8 succeeded\n");
        assertThat(session.asked).containsEntry("7", 3).containsEntry("8", 1);
    }

    @Test
    void wait_exits_non_zero_when_a_job_did_not_succeed_and_says_why() {
        Progress session = new Progress().job("7", "RUNNING", "FAILED").job("8", "SUCCEEDED");

        CliRun.Result result = CliRun.run(session, "wait", "7", "8");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OTHER);
        assertThat(result.out()).isEqualTo("job 7 failed: exited with code 3\njob 8 succeeded\n");
    }

    @Test
    void wait_for_an_unknown_job_exits_not_found() {
        CliRun.Result result = CliRun.run(new Progress(), "wait", "99");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
