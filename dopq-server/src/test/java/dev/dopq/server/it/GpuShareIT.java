package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.GpuJob;
import dev.dopq.api.GpuView;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four jobs with {@code gpu_memory 10g} on two declared 24g GPUs run two per GPU at once, on the real engine,
 * while an exclusive job waits for a whole GPU. Each sharing job runs until the test writes its release file into
 * the user's output folder, so the overlap is shown by state, not by timing.
 */
class GpuShareIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final long G = 1024L * 1024 * 1024;

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0:24g,1:24g", "[docker]\noutput = output\n\n");
        admin = server.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    /** A sharing job that ends once {@code /output/go-NAME} exists. */
    private static String submitSharing(String name) throws Exception {
        byte[] zip = aZip().name(name).user("ana").field("gpu_memory", "\"10g\"")
                .command("sh", "-c", "while [ ! -e /output/go-" + name + " ]; do sleep 1; done; echo released")
                .bytes();
        return Uploads.submit(admin, name + ".zip", zip).id();
    }

    private static void release(String name) throws Exception {
        Path go = dir.resolve("output").resolve("ana").resolve("go-" + name);
        Files.writeString(go, "go\n");
    }

    private static JobView ended(String id) throws Exception {
        return Await.until("job " + id + " ended", WAIT, () -> admin.history(HistoryQuery.latest(100)).stream()
                .filter(j -> j.id().equals(id)).findFirst());
    }

    @Test
    void four_sharing_jobs_run_two_per_gpu_while_an_exclusive_job_waits_for_a_whole_gpu() throws Exception {
        List<String> names = List.of("s1", "s2", "s3", "s4");
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String name : names) {
            ids.put(name, submitSharing(name));
        }

        List<JobView> running = Await.until("all four sharing jobs running at once", WAIT, () -> {
            List<JobView> now = admin.running();
            return now.size() == 4 ? Optional.of(now) : Optional.empty();
        });
        Map<String, List<String>> byGpu = running.stream().collect(Collectors.groupingBy(
                j -> String.join(",", j.gpus()), java.util.TreeMap::new,
                Collectors.mapping(JobView::id, Collectors.toList())));
        assertThat(byGpu.keySet()).containsExactly("0", "1");
        assertThat(byGpu.values()).allSatisfy(jobs -> assertThat(jobs).hasSize(2));

        List<GpuView> gpus = admin.gpus();
        assertThat(gpus).allSatisfy(g -> {
            assertThat(g.memoryTotal()).isEqualTo(24 * G);
            assertThat(g.memoryAsked()).as("GPU %s", g.id()).isEqualTo(20 * G);
            assertThat(g.jobs()).extracting(GpuJob::job).containsExactlyInAnyOrderElementsOf(byGpu.get(g.id()));
        });

        assertThat(admin.job(ids.get("s1")).gpuMemory()).isEqualTo(10 * G);

        byte[] zip = aZip().name("whole").user("bob").command("sh", "-c", "echo whole").bytes();
        String whole = Uploads.submit(admin, "whole.zip", zip).id();
        String why = Await.until("the exclusive job queued with a reason", WAIT, () -> {
            String reason = admin.job(whole).waiting();
            return reason != null && reason.contains("needs 1 GPU, 0 free") ? Optional.of(reason) : Optional.empty();
        });
        assertThat(why).contains("start time unknown");

        List<String> onGpu0 = byGpu.get("0");
        List<String> namesOnGpu0 = new ArrayList<>();
        ids.forEach((name, id) -> {
            if (onGpu0.contains(id)) {
                namesOnGpu0.add(name);
            }
        });
        assertThat(admin.history(HistoryQuery.latest(100))).as("nothing ended before its release").isEmpty();
        release(namesOnGpu0.get(0));
        JobView first = ended(onGpu0.get(0));
        assertThat(admin.job(whole).waiting()).as("one of GPU 0's jobs still runs").isNotNull();
        release(namesOnGpu0.get(1));
        JobView second = ended(onGpu0.get(1));

        JobView wholeRun = ended(whole);
        assertThat(wholeRun.state()).as("exclusive job: %s", wholeRun.reason()).isEqualTo("SUCCEEDED");
        assertThat(wholeRun.gpus()).containsExactly("0");
        assertThat(wholeRun.startedAt()).isAfterOrEqualTo(first.finishedAt()).isAfterOrEqualTo(second.finishedAt());
        assertThat(admin.running()).as("GPU 1's sharing jobs still run").extracting(JobView::id)
                .containsExactlyInAnyOrderElementsOf(byGpu.get("1"));

        for (String name : names) {
            if (!namesOnGpu0.contains(name)) {
                release(name);
            }
        }
        for (String id : ids.values()) {
            assertThat(ended(id).state()).isEqualTo("SUCCEEDED");
        }
    }
}
