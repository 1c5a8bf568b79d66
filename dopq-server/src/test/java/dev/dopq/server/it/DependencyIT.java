package dev.dopq.server.it;

import dev.dopq.api.JobView;
import dev.dopq.server.testutil.ServerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** after / after_any on the real engine: steps run in order, a failed step cancels what comes after it. */
class DependencyIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @RegisterExtension
    static final ServerFixture server = ServerFixture.withGpus("0,1");

    private static String submit(String name, String command, String after, String afterAny) throws Exception {
        var zip = aZip().name(name).user("ana").command("sh", "-c", command);
        if (after != null) {
            zip.field("after", after);
        }
        if (afterAny != null) {
            zip.field("after_any", afterAny);
        }
        return server.submit(name + ".zip", zip.bytes());
    }

    private static JobView ended(String id) throws Exception {
        return server.ended(id, WAIT);
    }

    @Test
    void steps_run_in_order_and_a_failed_step_cancels_the_steps_after_it() throws Exception {
        String prep = submit("prep", "sleep 3; echo prepared", null, null);
        // free GPUs do not start a step before its dependency succeeded
        String train = submit("train", "echo trained", "[" + prep + "]", null);
        String broken = submit("broken", "sleep 1; exit 3", "[\"prep\"]", null);
        String eval = submit("eval", "echo never", "[" + broken + "]", null);
        String report = submit("report", "echo reported", null, "[" + broken + "]");

        String why = server.waiting(train, "waits for job " + prep, WAIT);
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
        List<JobView> none = server.admin().running();
        assertThat(none).noneMatch(j -> j.id().equals(orphan));
    }
}
