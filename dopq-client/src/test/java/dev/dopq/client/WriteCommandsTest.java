package dev.dopq.client;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.dopq.api.ExitCodes;
import dev.dopq.api.LogChunk;

import static org.assertj.core.api.Assertions.assertThat;

class WriteCommandsTest {
    private final FakeSession session = new FakeSession();

    @Test
    void logs_prints_the_whole_log_in_chunks() {
        session.logChunks.add(new LogChunk("line 1\n", 7, false));
        session.logChunks.add(new LogChunk("line 2\n", 14, false));

        CliRun.Result result = CliRun.run(session, "logs", "41");

        assertThat(result.out()).isEqualTo("line 1\nline 2\n");
        assertThat(session.logOffsets).containsExactly(0L, 7L, 14L);
    }

    @Test
    void logs_tail_asks_for_the_last_lines_with_a_negative_offset() {
        session.logChunks.add(new LogChunk("last\n", 500, false));

        CliRun.run(session, "logs", "41", "--tail", "5");

        assertThat(session.logOffsets.get(0)).isEqualTo(-5L);
    }

    @Test
    void logs_follow_keeps_reading_until_the_job_has_ended() {
        session.logChunks.add(new LogChunk("a\n", 2, false));
        session.logChunks.add(new LogChunk("", 2, false));
        session.logChunks.add(new LogChunk("b\n", 4, false));
        session.logChunks.add(new LogChunk("", 4, false));
        session.logChunks.add(new LogChunk("c\n", 6, true));

        CliRun.Result result = CliRun.run(session, "logs", "41", "--follow");

        assertThat(result.out()).isEqualTo("a\nb\nc\n");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(session.logChunks).isEmpty();
    }

    @Test
    void logs_json_prints_the_log_read_so_far_as_one_object() throws Exception {
        session.logChunks.add(new LogChunk("line 1\n", 7, false));
        session.logChunks.add(new LogChunk("line 2\n", 14, false));
        session.logChunks.add(new LogChunk("", 14, false));

        CliRun.Result result = CliRun.run(session, "logs", "41", "--json");

        JsonNode json = JsonMapper.builder().build().readTree(result.out());
        assertThat(json.get("id").asText()).isEqualTo("41");
        assertThat(json.get("text").asText()).isEqualTo("line 1\nline 2\n");
        assertThat(json.get("offset").asLong()).isEqualTo(14);
        assertThat(json.get("complete").asBoolean()).isFalse();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void logs_follow_json_prints_one_line_per_piece_of_output_and_ends_with_the_job() throws Exception {
        session.logChunks.add(new LogChunk("a\n", 2, false));
        session.logChunks.add(new LogChunk("", 2, false));
        session.logChunks.add(new LogChunk("b\n", 4, true));

        CliRun.Result result = CliRun.run(session, "logs", "41", "--follow", "--json");

        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(2);
        JsonMapper mapper = JsonMapper.builder().build();
        assertThat(mapper.readTree(lines.get(0)).get("text").asText()).isEqualTo("a\n");
        assertThat(mapper.readTree(lines.get(1)).get("text").asText()).isEqualTo("b\n");
        assertThat(mapper.readTree(lines.get(1)).get("complete").asBoolean()).isTrue();
        assertThat(session.logChunks).isEmpty();
    }

    @Test
    void cancel_says_the_job_is_stopping_and_for_how_long() {
        CliRun.Result result = CliRun.run(session, "cancel", "41");

        assertThat(result.out()).isEqualTo("stopping job 41 (grace 30s)\n");
        assertThat(session.calls).containsExactly("cancel:41");
        assertThat(session.lastCancelNow).isFalse();
    }

    @Test
    void lock_and_unlock_call_the_server() {
        CliRun.run(session, "lock");
        CliRun.run(session, "unlock");

        assertThat(session.calls).containsExactly("lock", "unlock");
    }

    @Test
    void shutdown_leaves_running_jobs_unless_asked_to_stop_them() {
        CliRun.run(session, "shutdown");
        CliRun.run(session, "shutdown", "--stop-running");

        assertThat(session.calls).containsExactly("shutdown:false", "shutdown:true");
    }

    @Test
    void clear_history_before_a_local_date_uses_the_start_of_that_day() {
        CliRun.Result result = CliRun.run(session, "clear-history", "--before", "2024-04-01");

        assertThat(session.lastClearBefore).isEqualTo(Instant.parse("2024-04-01T00:00:00Z"));
        assertThat(result.out()).isEqualTo("removed 3 jobs from the history\n");
    }

    @Test
    void clear_history_with_all_clears_everything_without_asking() {
        CliRun.Result result = CliRun.run(session, "clear-history", "--all");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(session.calls).containsExactly("clearHistory");
        assertThat(session.lastClearBefore).isNull();
    }

    @Test
    void history_passes_filters_and_reads_ages_against_the_clock() {
        CliRun.run(session, "history", "--user", "bob", "--since", "7d", "--limit", "5", "--before-id", "30");

        assertThat(session.lastHistoryQuery.user()).isEqualTo("bob");
        assertThat(session.lastHistoryQuery.since()).isEqualTo(Instant.parse("2024-04-24T12:00:00Z"));
        assertThat(session.lastHistoryQuery.limit()).isEqualTo(5);
        assertThat(session.lastHistoryQuery.beforeId()).isEqualTo("30");
    }

    @Test
    void history_reads_iso_instants_and_local_times() {
        CliRun.run(session, "history", "--since", "2024-04-30T08:15:00+02:00");
        assertThat(session.lastHistoryQuery.since()).isEqualTo(Instant.parse("2024-04-30T06:15:00Z"));

        CliRun.run(session, "history", "--since", "2024-04-30T08:15");
        assertThat(session.lastHistoryQuery.since()).isEqualTo(Instant.parse("2024-04-30T08:15:00Z"));
    }

    @Test
    void user_add_prints_only_the_token_on_stdout() {
        CliRun.Result result = CliRun.run(session, "user", "add", "dora", "--admin");

        assertThat(result.out()).isEqualTo("dora.s3cr3t\n");
        assertThat(result.err()).contains("user dora added as admin");
        assertThat(session.calls).containsExactly("addUser:dora,true");
    }

    @Test
    void user_remove_and_token_call_the_server() {
        CliRun.run(session, "user", "remove", "bob");
        CliRun.Result token = CliRun.run(session, "user", "token", "ana");

        assertThat(session.calls).containsExactly("removeUser:bob", "newToken:ana");
        assertThat(token.out()).isEqualTo("ana.n3w\n");
    }

    @Test
    void empty_lists_print_a_short_line() {
        FakeSession empty = new FakeSession();
        empty.queued = List.of();

        assertThat(CliRun.run(empty, "queue").out()).isEqualTo("queue is empty\n");
        assertThat(CliRun.run(empty, "queue", "--json").out()).isEqualTo(
                "{\n  \"total\": 0,\n  \"matching\": 0,\n  \"offset\": 0,\n  \"remaining\": 0,\n  \"jobs\": []\n}\n");
    }
}
