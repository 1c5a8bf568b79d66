package dev.dopq.server.slurm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.dopq.api.DopqSession;
import dev.dopq.docker.DockerEngine;
import dev.dopq.api.JobView;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * dopq on a two-node Slurm cluster of real daemons on this machine, each node with its own Docker engine: jobs from
 * the users' share folders are admitted to Slurm, run as containers on the engine of the node Slurm picked (their
 * image loaded there from the shared folder) with the GPUs it allocated, and end as on the local engine.
 */
class SlurmIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern ALLOCATION = Pattern.compile("Nodes=(\\S+) CPU_IDs=\\S+ Mem=\\d+ GRES=gpu[^(\\s]*\\(IDX:([0-9,\\-]+)\\)");

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
    void jobs_of_both_users_run_on_both_nodes_each_container_on_the_gpu_slurm_allocated() throws Exception {
        for (String user : List.of("ana", "bob")) {
            for (int i = 1; i <= 2; i++) {
                aZip().name(user + "-gpu-" + i).user(user)
                        .command("sh", "-c", "echo visible=$NVIDIA_VISIBLE_DEVICES; sleep 6")
                        .writeInto(server.inbox().resolve(user), user + "-" + i + ".zip");
            }
        }
        Set<String> allocatedWhileRunning = new HashSet<>();
        Instant deadline = Instant.now().plus(WAIT);
        while (finished(j -> j.name().contains("-gpu-")) < 4 && Instant.now().isBefore(deadline)) {
            allocatedWhileRunning.addAll(slurmAllocations());
            Thread.sleep(300);
        }

        List<JobView> jobs = admin.history(dev.dopq.api.HistoryQuery.latest(100)).stream()
                .filter(j -> j.name().contains("-gpu-")).toList();
        assertThat(jobs).hasSize(4).allSatisfy(j -> assertThat(j.state()).isEqualTo("SUCCEEDED"));
        assertThat(jobs.stream().map(JobView::node).distinct()).containsExactlyInAnyOrder("n1", "n2");
        for (JobView job : jobs) {
            assertThat(job.gpus()).hasSize(1);
            String[] nodeGpu = job.gpus().get(0).split(":");
            assertThat(nodeGpu[0]).isEqualTo(job.node());
            assertThat(admin.logs(job.id(), 0, 4096).text()).contains("visible=" + nodeGpu[1] + "\n");
            assertThat(allocatedWhileRunning).as("what Slurm allocated while the jobs ran")
                    .contains(job.node() + ":" + nodeGpu[1]);
            assertThat(imageOnEngineOf(job.node(), admin.job(job.id()).image()))
                    .as("the image of job %s was loaded into the engine of %s", job.id(), job.node()).isTrue();
        }
    }

    @Test
    void a_cancelled_job_stops_within_its_grace_and_leaves_no_slurm_job_behind() throws Exception {
        aZip().name("long").user("ana").command("sleep", "300")
                .writeInto(server.inbox().resolve("ana"), "long.zip");
        JobView running = awaitRunningOnANode("long");

        Instant cancelled = Instant.now();
        admin.cancel(running.id());
        JobView ended = TestServer.awaitHistory(admin, j -> j.id().equals(running.id()), WAIT).orElseThrow();

        assertThat(ended.state()).isEqualTo("CANCELLED");
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(cluster.slurm("squeue", "-h", "-t", "PENDING,RUNNING,COMPLETING", "-o", "%j"))
                .doesNotContain("-" + running.id() + "-");
    }

    @Test
    void a_job_past_its_timeout_is_stopped_and_fails_saying_so() throws Exception {
        aZip().name("slow").user("bob").field("timeout", "\"3s\"").command("sleep", "300")
                .writeInto(server.inbox().resolve("bob"), "slow.zip");

        JobView ended = TestServer.awaitHistory(admin, j -> j.name().equals("slow"), WAIT).orElseThrow();

        assertThat(ended.state()).isEqualTo("FAILED");
        assertThat(ended.reason()).startsWith("timed out after 3s");
    }

    @Test
    void a_restarted_server_re_adopts_the_slurm_job_still_running_by_its_name_and_records_its_end() throws Exception {
        aZip().name("survivor").user("ana").command("sh", "-c", "echo before; sleep 12; echo after")
                .writeInto(server.inbox().resolve("ana"), "survivor.zip");
        JobView running = awaitRunningOnANode("survivor");

        server.stop(false);
        server = dopq.restart();
        admin = server.admin();
        JobView ended = TestServer.awaitHistory(admin, j -> j.id().equals(running.id()), WAIT).orElseThrow();

        assertThat(ended.state()).isEqualTo("SUCCEEDED");
        assertThat(ended.attempt()).isEqualTo(1);
        assertThat(ended.node()).isEqualTo(running.node());
        assertThat(admin.logs(ended.id(), 0, 4096).text()).isEqualTo("before\nafter\n");
    }

    private static boolean imageOnEngineOf(String node, String image) throws Exception {
        try (DockerClient engine = DockerEngine.connect(cluster.engineOf(node))) {
            engine.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private JobView awaitRunningOnANode(String name) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            Optional<JobView> hit = admin.running().stream()
                    .filter(j -> j.name().equals(name) && j.node() != null && !j.node().isBlank()).findFirst();
            if (hit.isPresent()) {
                return hit.get();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("job " + name + " did not run on a node within " + WAIT);
    }

    private long finished(Predicate<JobView> test) throws Exception {
        return admin.history(dev.dopq.api.HistoryQuery.latest(100)).stream().filter(test).count();
    }

    /** {@code node:index} of every GPU Slurm has allocated now, from its job records. */
    private Set<String> slurmAllocations() throws Exception {
        Set<String> out = new HashSet<>();
        Matcher m = ALLOCATION.matcher(cluster.slurm("scontrol", "show", "job", "-d", "-o"));
        while (m.find()) {
            for (String part : m.group(2).split(",")) {
                String[] range = part.split("-");
                for (int i = Integer.parseInt(range[0]); i <= Integer.parseInt(range[range.length - 1]); i++) {
                    out.add(m.group(1) + ":" + i);
                }
            }
        }
        return out;
    }
}
