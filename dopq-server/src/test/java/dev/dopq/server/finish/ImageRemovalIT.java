package dev.dopq.server.finish;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import dev.dopq.docker.DockerEngine;
import dev.dopq.docker.ImageBuilder;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** The finish stage never removes an image that a job which has not ended still names (real engine). */
class ImageRemovalIT {
    private final String run = "dopq-removal-" + UUID.randomUUID().toString().substring(0, 8);
    private final String tag = "dopq/" + run + ":1";
    private final List<Job> unfinished = new ArrayList<>();
    private DockerClient docker;
    private ImageBuilder images;
    private String imageId;

    @TempDir
    Path dir;

    @BeforeEach
    void buildImage() throws Exception {
        docker = DockerEngine.connect(null);
        images = new ImageBuilder(docker);
        Path context = Files.createDirectories(dir.resolve("ctx"));
        Files.copy(Path.of("/usr/bin/busybox"), context.resolve("busybox"));
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
        imageId = images.imageId(images.build(context, tag, Map.of("dopq.test", run), dir.resolve("b.log")));
    }

    @AfterEach
    void removeImage() throws Exception {
        try {
            docker.removeImageCmd(imageId).withForce(true).exec();
        } catch (DockerException e) {
            // removed by the test
        }
        docker.close();
    }

    private Finisher finisher() {
        return new Finisher(new ShareWriter(dir.resolve("inbox")), images, true, Runnable::run,
                () -> (Collection<Job>) List.copyOf(unfinished));
    }

    @Test
    void an_image_a_queued_job_names_by_tag_or_id_stays_and_goes_once_no_one_needs_it() {
        Job ended = aJob().id(1).state(JobState.SUCCEEDED).image(tag).build();
        unfinished.add(aJob().id(2).state(JobState.QUEUED).image(tag).build());

        finisher().removeImage(ended);
        assertThat(images.exists(tag)).as("kept for job 2 (same tag)").isTrue();

        unfinished.set(0, aJob().id(2).state(JobState.RUNNING).image(imageId).build());
        finisher().removeImage(ended);
        assertThat(images.exists(tag)).as("kept for job 2 (by id)").isTrue();

        unfinished.clear();
        finisher().removeImage(ended);
        assertThat(images.exists(tag)).as("removed once no job needs it").isFalse();
    }
}
