package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.ServerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** Job arrays on the real engine: one zip, one image, one job per index. */
class ArrayIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @RegisterExtension
    static final ServerFixture server = ServerFixture.withGpus("0,1");

    private static List<JobView> arrayJobs(String arrayId) throws Exception {
        return server.history().stream().filter(j -> arrayId.equals(j.arrayId())).toList();
    }

    @Test
    void an_array_0_3_runs_four_jobs_from_one_image_whose_logs_print_their_indexes() throws Exception {
        byte[] zip = aZip().name("sweep").user("ana").field("array", "\"0-3\"")
                .command("sh", "-c", "echo index=$DOPQ_ARRAY_INDEX array=$DOPQ_ARRAY_JOB_ID").bytes();
        String arrayId = server.submit("sweep.zip", zip);

        List<JobView> ended = Await.until("the array's four jobs ended", WAIT, () -> {
            List<JobView> jobs = arrayJobs(arrayId);
            return jobs.size() == 4 ? Optional.of(jobs) : Optional.empty();
        });

        assertThat(ended).extracting(JobView::state).containsOnly("SUCCEEDED");
        assertThat(ended).extracting(JobView::arrayIndex).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(ended).extracting(JobView::name)
                .containsExactlyInAnyOrder("sweep[0]", "sweep[1]", "sweep[2]", "sweep[3]");
        assertThat(ended).filteredOn(j -> j.id().equals(arrayId)).singleElement()
                .satisfies(first -> assertThat(first.arrayIndex()).isZero());
        for (JobView job : ended) {
            assertThat(server.admin().logs(job.id(), 0, 65536).text()).as("log of %s", job.name())
                    .contains("index=" + job.arrayIndex() + " array=" + arrayId);
        }
        assertThat(ended).extracting(j -> server.admin().job(j.id()).image()).as("one image for all").containsOnly(
                server.admin().job(arrayId).image());
        // the last job's end removes the shared image, not the first one's
        try (DockerClient docker = DockerEngine.connect(null)) {
            Await.until("the shared image removed", WAIT, () -> docker.listImagesCmd()
                    .withLabelFilter(Map.of("dopq.instance", server.instance(), "dopq.job", arrayId)).exec()
                    .isEmpty() ? Optional.of(true) : Optional.empty());
        }
    }

    @Test
    void max_parallel_bounds_the_running_jobs_and_cancel_of_the_array_id_ends_them_all() throws Exception {
        byte[] zip = aZip().name("slow").user("bob").gpus(0).field("array", "\"0-5\"").field("max_parallel", "2")
                .command("sh", "-c", "sleep 60").bytes();
        String arrayId = server.submit("slow.zip", zip);

        Await.until("two of the array's jobs running and four waiting", WAIT, () -> {
            long running = server.admin().running().stream().filter(j -> arrayId.equals(j.arrayId())).count();
            long waiting = server.admin().queue().stream().filter(j -> arrayId.equals(j.arrayId())).count();
            return running == 2 && waiting == 4 ? Optional.of(true) : Optional.empty();
        });
        String why = server.admin().queue().stream().filter(j -> arrayId.equals(j.arrayId())).findFirst()
                .map(j -> uncheckedWaiting(j.id())).orElseThrow();
        assertThat(why).contains("array " + arrayId + ": 2 of its jobs run (max_parallel 2)");

        server.admin().cancel(arrayId);

        List<JobView> ended = Await.until("all six jobs ended", WAIT, () -> {
            List<JobView> jobs = arrayJobs(arrayId);
            return jobs.size() == 6 ? Optional.of(jobs) : Optional.empty();
        });
        assertThat(ended).extracting(JobView::state).containsOnly("CANCELLED");
    }

    private static String uncheckedWaiting(String id) {
        try {
            return server.admin().job(id).waiting();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
