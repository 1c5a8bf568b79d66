package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** after / after_any on the real engine: steps run in order, a failed step cancels what comes after it. */
class DependencyIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0,1", "");
        admin = server.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    private static String submit(String name, String command, String after, String afterAny) throws Exception {
        var zip = aZip().name(name).user("ana").command("sh", "-c", command);
        if (after != null) {
            zip.field("after", after);
        }
        if (afterAny != null) {
            zip.field("after_any", afterAny);
        }
        return Uploads.submit(admin, name + ".zip", zip.bytes()).id();
    }

    private static JobView ended(String id) throws Exception {
        return Await.until("job " + id + " ended", WAIT, () -> admin.history(HistoryQuery.latest(100)).stream()
                .filter(j -> j.id().equals(id)).findFirst());
    }

    @Test
    void steps_run_in_order_and_a_failed_step_cancels_the_steps_after_it() throws Exception {
        String prep = submit("prep", "sleep 3; echo prepared", null, null);
        // free GPUs do not start a step before its dependency succeeded
        String train = submit("train", "echo trained", "[" + prep + "]", null);
        String broken = submit("broken", "sleep 1; exit 3", "[\"prep\"]", null);
        String eval = submit("eval", "echo never", "[" + broken + "]", null);
        String report = submit("report", "echo reported", null, "[" + broken + "]");

        String why = Await.until("train waiting for prep", WAIT, () -> {
            String w = admin.job(train).waiting();
            return w != null && w.contains("waits for job " + prep) ? Optional.of(w) : Optional.empty();
        });
        assertThat(why).contains("waits for job " + prep + " to succeed");

        JobView prepDone = ended(prep);
        JobView trainDone = ended(train);
        JobView brokenDone = ended(broken);
        JobView evalDone = ended(eval);
        JobView reportDone = ended(report);

        assertThat(prepDone.state()).isEqualTo("SUCCEEDED");
        assertThat(trainDone.state()).isEqualTo("SUCCEEDED");
        assertThat(trainDone.startedAt()).isAfterOrEqualTo(prepDone.finishedAt());
        assertThat(brokenDone.state()).as("the name \"prep\" resolved to job %s", prep).isEqualTo("FAILED");
        assertThat(brokenDone.startedAt()).isAfterOrEqualTo(prepDone.finishedAt());
        assertThat(evalDone.state()).isEqualTo("CANCELLED");
        assertThat(evalDone.reason()).isEqualTo("dependency " + broken + " failed");
        assertThat(evalDone.startedAt()).as("eval never ran").isNull();
        assertThat(reportDone.state()).as("after_any runs after any end").isEqualTo("SUCCEEDED");
        assertThat(reportDone.startedAt()).isAfterOrEqualTo(brokenDone.finishedAt());
    }

    @Test
    void a_dependency_on_no_job_of_the_user_rejects_the_zip() throws Exception {
        String orphan = submit("orphan", "true", "[\"no-such-step\"]", null);

        JobView rejected = ended(orphan);

        assertThat(rejected.state()).isEqualTo("REJECTED");
        assertThat(rejected.reason())
                .isEqualTo("after: unknown dependency \"no-such-step\": no job of ana has that id or name");
        List<JobView> none = admin.running();
        assertThat(none).noneMatch(j -> j.id().equals(orphan));
    }
}
