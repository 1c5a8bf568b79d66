package dev.dopq.client;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import dev.dopq.api.QueueQuery;

import static org.assertj.core.api.Assertions.assertThat;

class QueueCommandTest {

    private static FakeSession aQueueOf(int jobs) {
        FakeSession session = new FakeSession();
        List<JobView> queued = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            queued.add(FakeSession.job(String.valueOf(100 + i), "job-" + i, i % 2 == 0 ? "ana" : "bob", "QUEUED",
                    List.of(), 1, null, FakeSession.at("11:00:00"), null, null, null, 1));
        }
        session.queued = queued;
        return session;
    }

    @Test
    void the_queue_shows_its_first_twenty_jobs_and_says_how_many_more_wait() {
        FakeSession session = aQueueOf(25);

        CliRun.Result result = CliRun.run(session, "queue");

        assertThat(session.queueQueries).containsExactly(new QueueQuery(null, 0, 20));
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(1 + 20 + 1);
        assertThat(lines.get(20)).startsWith("20  119");
        assertThat(lines.get(21)).isEqualTo("... 5 more (use --all / --limit)");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void a_queue_that_fits_the_page_has_no_more_line() {
        CliRun.Result result = CliRun.run(aQueueOf(20), "queue");

        assertThat(result.out()).doesNotContain("more");
    }

    @Test
    void queue_all_reads_page_after_page_until_every_job_is_shown() throws Exception {
        FakeSession session = aQueueOf(2500);

        CliRun.Result result = CliRun.run(session, "queue", "--all", "--json");

        assertThat(session.queueQueries).extracting(QueueQuery::offset).containsExactly(0, 1000, 2000);
        JsonNode json = JsonMapper.builder().build().readTree(result.out());
        assertThat(json.get("jobs")).hasSize(2500);
        assertThat(json.get("jobs").get(2499).get("position").asInt()).isEqualTo(2500);
        assertThat(json.get("remaining").asInt()).isZero();
    }

    @Test
    void the_queue_of_one_user_keeps_the_positions_of_the_whole_queue() {
        FakeSession session = new FakeSession();

        CliRun.Result result = CliRun.run(session, "queue", "--user", "ana");

        assertThat(result.out().lines().toList()).hasSize(2);
        assertThat(result.out().lines().toList().get(1)).startsWith("2  44  ana");
    }

    @Test
    void the_json_of_a_page_tells_scripts_how_many_jobs_follow() throws Exception {
        CliRun.Result result = CliRun.run(aQueueOf(25), "queue", "--limit", "10", "--offset", "10", "--json");

        JsonNode json = JsonMapper.builder().build().readTree(result.out());
        assertThat(json.get("total").asInt()).isEqualTo(25);
        assertThat(json.get("offset").asInt()).isEqualTo(10);
        assertThat(json.get("remaining").asInt()).isEqualTo(5);
        assertThat(json.get("jobs").get(0).get("position").asInt()).isEqualTo(11);
        assertThat(json.get("jobs").get(0).get("id").asText()).isEqualTo("110");
    }

    @Test
    void an_offset_past_the_end_says_so_instead_of_calling_the_queue_empty() {
        CliRun.Result result = CliRun.run(aQueueOf(5), "queue", "--offset", "40");

        assertThat(result.out()).isEqualTo("no queued jobs at offset 40 (5 in all)\n");
    }

    @Test
    void a_queue_limit_out_of_range_exits_with_usage_before_contacting_the_server() {
        FakeSession session = new FakeSession();

        CliRun.Result result = CliRun.run(session, "queue", "--limit", "1001");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("dopq: --limit must be between 1 and 1000, not 1001");
        assertThat(session.calls).isEmpty();
    }

    @Test
    void the_waiting_jobs_of_an_array_are_one_line_unless_expanded() {
        FakeSession session = new FakeSession();
        List<JobView> queued = new ArrayList<>();
        for (int i : new int[] {0, 1, 2, 3, 7}) {
            queued.add(new JobView(String.valueOf(50 + i), "sweep[" + i + "]", "ana", "QUEUED", List.of(), 1, null,
                    FakeSession.at("11:00:00"), null, null, null, 1, null, "50", i, false, null, null, null));
        }
        queued.add(FakeSession.job("60", "solo", "bob", "QUEUED", List.of(), 1, null, FakeSession.at("11:30:00"),
                null, null, null, 1));
        session.queued = queued;

        List<String> folded = CliRun.run(session, "queue").out().lines().toList();
        List<String> expanded = CliRun.run(session, "queue", "--expand").out().lines().toList();

        assertThat(folded).hasSize(3);
        assertThat(folded.get(1)).startsWith("1  50  ana   sweep[0-3,7] (5 waiting)");
        assertThat(folded.get(2)).contains("60").contains("solo");
        assertThat(expanded).hasSize(7);
        assertThat(expanded.get(5)).contains("sweep[7]");
    }
}
