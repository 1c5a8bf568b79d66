package dev.dopq.server.it;

import dev.dopq.api.JobView;
import dev.dopq.server.testutil.ServerFixture;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** Many zips dropped on the share at once: each is taken once, the good ones run, the bad ones are explained. */
class BurstIT {
    private static final int GOOD = 40;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @RegisterExtension
    static final ServerFixture server = ServerFixture.withGpus("0");

    /** Ten ways to get a zip wrong, each with a word the reason must contain. */
    private static Map<String, ShareZips> badZips() {
        String ok = "\"executor_name\": \"ana\", \"num_gpus\": 0, \"run_params\": {\"command\": \"true\"}";
        Map<String, ShareZips> bad = new LinkedHashMap<>();
        bad.put("bad-user", config("{\"name\": \"bad-user\", \"executor_name\": \"mallory\", \"num_gpus\": 0}"));
        bad.put("bad-key", config("{\"name\": \"bad-key\", \"num_gpu\": 0, \"executor_name\": \"ana\"}"));
        bad.put("bad-gpus", config("{\"name\": \"bad-gpus\", \"executor_name\": \"ana\", \"num_gpus\": 3}"));
        bad.put("bad-privileged", config("{\"name\": \"bad-privileged\", \"executor_name\": \"ana\","
                + " \"num_gpus\": 0, \"run_params\": {\"privileged\": true}}"));
        bad.put("bad-json", config("{\"name\": \"bad-json\", " + ok));
        bad.put("bad-no-dockerfile", config("{\"name\": \"bad-no-dockerfile\", " + ok + "}").without("Dockerfile"));
        bad.put("bad-no-config", ShareZips.withConfig("{}").without("container_config.json"));
        bad.put("bad-build", config("{\"name\": \"bad-build\", " + ok + "}")
                .file("Dockerfile", ShareZips.BUSYBOX_DOCKERFILE + "RUN exit 3\n"));
        bad.put("bad-path", config("{\"name\": \"bad-path\", " + ok + "}").file("../escape.txt", "out"));
        bad.put("bad-memory", config("{\"name\": \"bad-memory\", " + ok + ", \"required_memory\": \"lots\"}"));
        return bad;
    }

    private static ShareZips config(String json) {
        return ShareZips.withConfig(json);
    }

    @Test
    void forty_good_and_ten_bad_zips_dropped_at_once_end_as_forty_successes_and_ten_explained_refusals()
            throws Exception {
        Map<String, ShareZips> bad = badZips();
        for (int i = 1; i <= GOOD; i++) {
            String name = String.format("good-%02d", i);
            aZip().name(name).user(i % 2 == 0 ? "ana" : "bob").gpus(0).command("true")
                    .dropInto(server.inbox(), name + ".zip");
        }
        for (Map.Entry<String, ShareZips> b : bad.entrySet()) {
            b.getValue().dropInto(server.inbox(), "ana", b.getKey() + ".zip");
        }

        List<JobView> history = awaitHistorySize(GOOD + bad.size());

        Map<String, List<JobView>> byState = history.stream().collect(Collectors.groupingBy(JobView::state));
        assertThat(byState.get("SUCCEEDED")).hasSize(GOOD)
                .allSatisfy(j -> assertThat(j.name()).startsWith("good-"));
        assertThat(history.stream().map(JobView::name)).as("no zip was processed twice").doesNotHaveDuplicates();
        List<JobView> refused = history.stream().filter(j -> !j.state().equals("SUCCEEDED")).toList();
        assertThat(refused).extracting(JobView::name).containsExactlyInAnyOrderElementsOf(bad.keySet());
        for (JobView job : refused) {
            assertThat(job.reason()).as("reason of %s", job.name()).isNotBlank();
            SubmissionIT.assertQuarantinedWithReason(server.inbox().resolve("ana"), job.name(), job.reason());
        }
        assertThat(reasonFiles()).hasSize(bad.size());
        assertThat(inboxEntries()).as("one folder per user, nothing else").containsExactlyInAnyOrder("admin", "ana",
                "bob");
        assertThat(entries(server.inbox().resolve("ana"))).containsExactlyInAnyOrder("failed", "results");
        assertThat(entries(server.inbox().resolve("bob"))).containsExactlyInAnyOrder("results");
        assertThat(server.admin().queue()).isEmpty();
        assertThat(server.admin().running()).isEmpty();
    }

    private static List<JobView> awaitHistorySize(int expected) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        List<JobView> history = server.history();
        while (history.size() < expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            history = server.history();
        }
        // a zip taken twice would show up as one more job by the time a zip dropped now has run: that takes
        // later scans of the inbox than the ones that took the burst
        aZip().name("sentinel").user("ana").gpus(0).command("true").writeInto(server.inbox().resolve("ana"), "sentinel.zip");
        TestServer.awaitHistory(server.admin(), j -> j.name().equals("sentinel"), WAIT).orElseThrow();
        history = server.history().stream().filter(j -> !j.name().equals("sentinel"))
                .toList();
        assertThat(history).as("jobs in the history").hasSize(expected);
        return history;
    }

    private static List<Path> reasonFiles() throws Exception {
        try (Stream<Path> files = Files.list(server.inbox().resolve("ana/failed"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".reason.txt")).toList();
        }
    }

    private static List<String> inboxEntries() throws Exception {
        return entries(server.inbox());
    }

    private static List<String> entries(Path folder) throws Exception {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
