package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.JobZips;
import dev.dopq.server.testutil.ServerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** A zip with a {@code jobs} list on the real engine: one image, steps in order, a failed step cancels the rest. */
class PipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @RegisterExtension
    static final ServerFixture server = ServerFixture.withGpus("0,1");

    /** A pipeline zip of ana: CPU-only by default, with these entries (JSON objects). */
    private static JobZips pipeline(String name, String... entries) {
        return aZip().name(name).user("ana").gpus(0).field("jobs", "[" + String.join(",\n", entries) + "]");
    }

    /** The job that waits for {@code id} to succeed, once it is queued. */
    private static String waitingFor(String id) throws Exception {
        return Await.until("a job queued after " + id, WAIT, () -> {
            Optional<JobView> queued = server.admin().queue().stream().filter(j -> j.after().contains(id)).findFirst();
            Optional<JobView> ended = server.history().stream().filter(j -> j.after().contains(id)).findFirst();
            return queued.or(() -> ended).map(JobView::id);
        });
    }

    @Test
    void a_pipeline_runs_its_steps_in_order_from_one_image_and_all_succeed() throws Exception {
        // listed out of order: the order comes from "after"
        String prep = server.submit("pipeline.zip", pipeline("pipeline",
                "{\"name\": \"eval\", \"command\": \"echo evaluated\", \"after\": [\"train\"]}",
                "{\"name\": \"train\", \"num_gpus\": 1, \"command\": \"echo trained\", \"after\": [\"prep\"]}",
                "{\"name\": \"prep\", \"command\": [\"sh\", \"-c\", \"sleep 3; echo prepared\"]}").bytes());

        String train = waitingFor(prep);
        assertThat(server.waiting(train, "waits for job " + prep, WAIT))
                .as("free GPUs do not start train before prep succeeded")
                .contains("waits for job " + prep + " to succeed (it is ");
        String eval = waitingFor(train);

        JobView prepDone = server.ended(prep, WAIT);
        JobView trainDone = server.ended(train, WAIT);
        JobView evalDone = server.ended(eval, WAIT);

        assertThat(List.of(prepDone, trainDone, evalDone)).extracting(JobView::state).containsOnly("SUCCEEDED");
        assertThat(List.of(prepDone, trainDone, evalDone)).extracting(JobView::name)
                .containsExactly("prep", "train", "eval");
        assertThat(trainDone.startedAt()).isAfterOrEqualTo(prepDone.finishedAt());
        assertThat(evalDone.startedAt()).isAfterOrEqualTo(trainDone.finishedAt());
        assertThat(trainDone.after()).containsExactly(prep);
        assertThat(evalDone.after()).containsExactly(train);
        assertThat(trainDone.gpus()).as("its own num_gpus").hasSize(1);
        assertThat(evalDone.gpus()).as("the top level's num_gpus: 0").isEmpty();
        assertThat(server.admin().logs(prep, 0, 65536).text()).contains("prepared");
        assertThat(server.admin().logs(train, 0, 65536).text()).contains("trained");
        assertThat(server.admin().logs(eval, 0, 65536).text()).contains("evaluated");
        String image = server.admin().job(prep).image();
        assertThat(List.of(server.admin().job(train).image(), server.admin().job(eval).image()))
                .as("one image for all steps").containsOnly(image);
        awaitImageRemoved(prep);
    }

    /** The shared image goes with the end of the list's last job, not with the first one's. */
    private static void awaitImageRemoved(String firstId) throws Exception {
        try (DockerClient docker = DockerEngine.connect(null)) {
            Await.until("the shared image of job " + firstId + " removed", WAIT, () -> docker.listImagesCmd()
                    .withLabelFilter(Map.of("dopq.instance", server.instance(), "dopq.job", firstId)).exec()
                    .isEmpty() ? Optional.of(true) : Optional.empty());
        }
    }

    @Test
    void when_the_first_step_exits_1_the_steps_after_it_end_cancelled_naming_their_failed_dependency()
            throws Exception {
        String fetch = server.submit("broken.zip", pipeline("broken",
                "{\"name\": \"fetch\", \"command\": [\"sh\", \"-c\", \"sleep 1; exit 1\"]}",
                "{\"name\": \"fit\", \"command\": \"echo never\", \"after\": \"fetch\"}",
                "{\"name\": \"score\", \"command\": \"echo never\", \"after\": \"fit\"}",
                "{\"name\": \"report\", \"command\": \"echo reported\", \"after_any\": \"score\"}").bytes());
        String fit = waitingFor(fetch);
        String score = waitingFor(fit);

        JobView fetchDone = server.ended(fetch, WAIT);
        JobView fitDone = server.ended(fit, WAIT);
        JobView scoreDone = server.ended(score, WAIT);
        JobView reportDone = Await.until("the job after any end of score", WAIT, () -> server.history().stream()
                .filter(j -> j.afterAny().contains(score)).findFirst());

        assertThat(fetchDone.state()).isEqualTo("FAILED");
        assertThat(fetchDone.exitCode()).isEqualTo(1);
        assertThat(fitDone.state()).isEqualTo("CANCELLED");
        assertThat(fitDone.reason()).isEqualTo("dependency " + fetch + " failed");
        assertThat(scoreDone.state()).isEqualTo("CANCELLED");
        assertThat(scoreDone.reason()).isEqualTo("dependency " + fit + " failed");
        assertThat(List.of(fitDone, scoreDone)).extracting(JobView::startedAt).as("neither ran").containsOnlyNulls();
        assertThat(reportDone.state()).as("after_any runs after any end").isEqualTo("SUCCEEDED");
        assertThat(reportDone.startedAt()).isAfterOrEqualTo(scoreDone.finishedAt());
    }

    @Test
    void a_cyclic_pipeline_is_rejected_with_the_cycle_in_its_reason_and_its_zip_kept_in_failed() throws Exception {
        JobZips loop = pipeline("loop",
                "{\"name\": \"a\", \"command\": \"true\", \"after\": \"b\"}",
                "{\"name\": \"b\", \"command\": \"true\", \"after\": \"a\"}");
        String reason = "jobs: cycle: a -> b -> a (each job waits for the one before it)";

        loop.dropInto(server.inbox(), "loop.zip");
        JobView dropped = Await.until("the dropped loop.zip refused", WAIT, () -> server.history().stream()
                .filter(j -> j.name().equals("loop")).findFirst());
        String submitted = server.submit("loop-api.zip", loop.bytes());
        JobView uploaded = server.ended(submitted, WAIT);

        assertThat(dropped.state()).isEqualTo("REJECTED");
        assertThat(dropped.reason()).isEqualTo(reason);
        SubmissionIT.assertQuarantinedWithReason(server.inbox().resolve("ana"), "loop", reason);
        assertThat(uploaded.state()).isEqualTo("REJECTED");
        assertThat(uploaded.reason()).as("the same reason through dopq submit").isEqualTo(reason);
        assertThat(server.history()).as("no job of the loop was made").noneMatch(j -> j.name().equals("a")
                || j.name().equals("b"));
    }
}
