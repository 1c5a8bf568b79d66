package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.api.LogChunk;
import dev.dopq.server.testutil.ServerFixture;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** One user's build or output cannot stall the service: builds time out, logs are capped (real engine). */
class ServiceLimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int MIB = 1 << 20;

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withGpus("0").withIni("[queue]\nmax_log = 1m\n").withEnv(Map.of("DOPQ_PROVIDER_BUILD_TIMEOUT", "4s"));
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() {
        server = fixture.server();
        admin = fixture.admin();
    }

    @Test
    void a_build_that_runs_out_of_time_ends_the_job_failed_with_the_reason() throws Exception {
        aZip().name("slow-build").user("ana").gpus(0)
                .dockerfile("FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"sleep\", \"60\"]\n")
                .writeInto(server.inbox().resolve("ana"), "slow-build.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("slow-build"), WAIT).orElseThrow();

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.reason()).isEqualTo("build timed out after 4s");
    }

    @Test
    void a_huge_output_keeps_its_head_and_tail_within_max_log() throws Exception {
        // 3 MiB of numbered lines: the head starts at line 1, the tail ends at the last line
        aZip().name("chatty").user("bob").gpus(0)
                .command("sh", "-c", "i=0; while [ $i -lt 200000 ]; do echo \"line $i of the output\"; i=$((i+1));"
                        + " done")
                .writeInto(server.inbox().resolve("bob"), "chatty.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("chatty"), WAIT).orElseThrow();

        assertThat(job.state()).as("chatty: %s", job.reason()).isEqualTo("SUCCEEDED");
        StringBuilder log = new StringBuilder();
        long offset = 0;
        for (LogChunk c = admin.logs(job.id(), 0, MIB); ; c = admin.logs(job.id(), offset, MIB)) {
            log.append(c.text());
            offset = c.offset();
            if (c.complete() || c.text().isEmpty()) {
                break;
            }
        }
        assertThat(log.length()).isBetween(MIB, MIB + 200);
        assertThat(log.toString()).startsWith("line 0 of the output\n").endsWith("line 199999 of the output\n")
                .contains("bytes of output left out here; the log keeps the first 524288 and the last 524288"
                        + " bytes ([queue] max_log)]");
    }
}
