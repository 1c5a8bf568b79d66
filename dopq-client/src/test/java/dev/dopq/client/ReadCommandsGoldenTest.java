package dev.dopq.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.dopq.api.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;

class ReadCommandsGoldenTest {

    @ParameterizedTest(name = "dopq {0} prints {1}")
    @CsvSource(delimiter = '|', value = {
            "status                | status.txt",
            "status --json         | status.json",
            "queue                 | queue.txt",
            "queue --json          | queue.json",
            "running               | running.txt",
            "running --json        | running.json",
            "history               | history.txt",
            "history --json        | history.json",
            "users                 | users.txt",
            "users --json          | users.json",
            "job 43                | job.txt",
            "job 43 --json         | job.json",
            "job 44                | job-after.txt",
            "gpus                  | gpus.txt",
            "gpus --json           | gpus.json",
            "nodes                 | nodes.txt",
            "nodes --json          | nodes.json",
            "whoami                | whoami.txt",
            "whoami --json         | whoami.json",
            "user list             | user-list.txt",
            "user list --json      | user-list.json",
            "top                   | top.txt"})
    void read_commands_print_tables_by_default_and_json_on_request(String args, String golden) {
        CliRun.Result result = CliRun.run(new FakeSession(), args.trim().split("\\s+"));

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        result.matchesGolden(golden);
    }
}
