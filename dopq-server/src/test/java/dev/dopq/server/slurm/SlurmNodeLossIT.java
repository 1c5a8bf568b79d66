package dev.dopq.server.slurm;

import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.api.NodeView;
import dev.dopq.server.testutil.SlurmCluster;
import dev.dopq.server.testutil.SlurmDopq;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node-loss drill: a node dies mid-run (its slurmd, its job steps and its own Docker engine with its containers,
 * at once). Slurm marks
 * it down and ends its jobs; dopq records each as a lost attempt (node and reason, no retry used), runs it again
 * on the other node, and every job ends SUCCEEDED exactly once.
 */
class SlurmNodeLossIT {
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final int JOBS = 4;

    @TempDir
    static Path dir;
    static SlurmDopq dopq;
    static SlurmCluster cluster;
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        dopq = SlurmDopq.start(dir);
        cluster = dopq.cluster();
        server = dopq.server();
        admin = dopq.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (dopq != null) {
            dopq.close();
        }
    }

    @Test
    void killing_a_node_mid_run_still_ends_every_job_succeeded_exactly_once() throws Exception {
        for (int i = 1; i <= JOBS; i++) {
            String user = i % 2 == 0 ? "bob" : "ana";
            aZip().name("drill-" + i).user(user).command("sh", "-c", "echo start; sleep 25; echo done")
                    .writeInto(server.inbox().resolve(user), "drill-" + i + ".zip");
        }
        List<JobView> onN1 = awaitRunningOn("n1");

        Instant killed = Instant.now();
        cluster.killNode("n1");
        cluster.awaitNodeState("n1", "down", Duration.ofSeconds(120));
        Instant down = Instant.now();
        assertThat(admin.nodes()).extracting(NodeView::name, NodeView::state).contains(
                org.assertj.core.groups.Tuple.tuple("n1", "down"));

        Instant deadline = Instant.now().plus(WAIT);
        List<JobView> ended = List.of();
        while (ended.size() < JOBS && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            ended = admin.history(HistoryQuery.latest(100)).stream().filter(j -> j.name().startsWith("drill-"))
                    .toList();
        }
        Instant allDone = Instant.now();

        assertThat(ended).hasSize(JOBS).allSatisfy(j -> assertThat(j.state()).isEqualTo("SUCCEEDED"));
        for (JobView job : ended) {
            List<JobEventView> events = admin.job(job.id()).events();
            assertThat(events.stream().filter(e -> "SUCCEEDED".equals(e.to()))).as("job %s", job.id()).hasSize(1);
            boolean wasOnN1 = onN1.stream().anyMatch(j -> j.id().equals(job.id()));
            if (wasOnN1) {
                assertThat(job.node()).isEqualTo("n2");
                assertThat(job.attempt()).isEqualTo(2);
                assertThat(events).anySatisfy(e -> assertThat(e.reason()).isNotNull()
                        .contains("attempt 1 lost on node n1").contains("without using a retry"));
                assertThat(admin.job(job.id()).retries()).as("a lost attempt leaves the job's retries as submitted")
                        .isZero();
            }
            assertThat(admin.logs(job.id(), 0, 4096).text()).endsWith("start\ndone\n");
        }
        System.out.printf("node-loss drill: %d jobs, %d on n1 when it died; n1 down %d s after the kill; every job"
                        + " SUCCEEDED once %d s after the kill%n", JOBS, onN1.size(),
                Duration.between(killed, down).toSeconds(), Duration.between(killed, allDone).toSeconds());
    }

    /** Waits until every drill job runs and at least one is on {@code node}; returns those on it. */
    private List<JobView> awaitRunningOn(String node) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        List<JobView> running = List.of();
        while (Instant.now().isBefore(deadline)) {
            running = admin.running().stream().filter(j -> j.name().startsWith("drill-") && j.node() != null)
                    .toList();
            if (running.size() == JOBS && running.stream().anyMatch(j -> node.equals(j.node()))) {
                return running.stream().filter(j -> node.equals(j.node())).toList();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the drill jobs did not all run with one on " + node + ": " + running);
    }
}
