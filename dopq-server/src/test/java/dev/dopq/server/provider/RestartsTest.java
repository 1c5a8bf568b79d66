package dev.dopq.server.provider;

import dev.dopq.container.JobSpec;
import dev.dopq.docker.BuildContext;
import dev.dopq.docker.Images;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PriorityLimits;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.RestartRefusedException;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.testutil.FakeImages;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartsTest {
    private static final String IMAGE = "dopq/train:inst-7";

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final FakeImages images = new FakeImages();
    private InMemoryJobStore store;
    private Jobs jobs;
    private Intake intake;

    @BeforeEach
    void setUp() throws Exception {
        store = new InMemoryJobStore(clock);
        jobs = new Jobs(store);
        Files.createDirectories(dir.resolve("inbox"));
        intake = new Intake(dir.resolve("inbox"), dir.resolve("work"), jobs, clock);
        images.images.put(IMAGE, Map.of());
    }

    private Restarts restarts(Images with, PriorityLimits limits) {
        return new Restarts(jobs, with, intake, () -> limits);
    }

    private Job ended(JobState state, int zipPriority) {
        String spec = new JobSpec("train", "ana", 1, 0, true, null, null, List.of("sh"), null, Map.of(), null, null,
                0, 0, null, 2, false, false, List.of("end"), List.of(), 0, List.of(), List.of(), 0L, zipPriority)
                .toJson();
        return store.insert(aJob().name("train[3]").user("ana").state(state).gpusRequested(2).maxRetries(2)
                .image(IMAGE).specJson(spec).arrayId(40).arrayIndex(3).maxParallel(2).priority(70)
                .heldBy(null).after(List.of(12L)).workDir(dir.resolve("old").toString())
                .submittedAt(clock.instant().minusSeconds(3600)).build(), "test");
    }

    private long jobFolders() throws Exception {
        Path jobsDir = dir.resolve("work/jobs");
        if (!Files.isDirectory(jobsDir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(jobsDir)) {
            return s.count();
        }
    }

    @Test
    void a_restart_is_a_new_queued_job_with_the_same_spec_and_image_in_its_own_folder() throws Exception {
        Job old = ended(JobState.SUCCEEDED, 0);

        Job fresh = restarts(images, PriorityLimits.NONE).restart(old, "ana");

        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(fresh.state()).isEqualTo(JobState.QUEUED);
        assertThat(fresh.restartOf()).isEqualTo(old.id());
        assertThat(store.events(fresh.id())).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("restart of " + old.id()))
                .satisfies(e -> assertThat(e.actor()).isEqualTo("ana"));
        assertThat(fresh.image()).isEqualTo(IMAGE);
        assertThat(fresh.specJson()).isEqualTo(old.specJson());
        assertThat(fresh.name()).isEqualTo("train[3]");
        assertThat(fresh.gpusRequested()).isEqualTo(2);
        assertThat(fresh.maxRetries()).isEqualTo(2);
        assertThat(fresh.arrayId()).isEqualTo(40);
        assertThat(fresh.arrayIndex()).isEqualTo(3);
        assertThat(fresh.submittedAt()).isEqualTo(clock.instant());
        assertThat(fresh.after()).as("its dependencies were met when it ran").isEmpty();
        assertThat(fresh.priority()).as("the zip's priority, not the admin's later one").isZero();
        assertThat(fresh.held()).isFalse();
        JobFolder folder = JobFolder.of(fresh.workDir());
        assertThat(folder.dir()).isNotEqualTo(Path.of(old.workDir()));
        assertThat(Files.readString(folder.idMarker())).isEqualTo(Long.toString(fresh.id()));
    }

    @Test
    void a_restart_whose_image_is_gone_is_refused_and_records_nothing() throws Exception {
        Job old = ended(JobState.FAILED, 0);
        images.images.clear();

        assertThatThrownBy(() -> restarts(images, PriorityLimits.NONE).restart(old, "ana"))
                .isInstanceOf(RestartRefusedException.class)
                .hasMessage("image removed after the job ended; resubmit the zip");
        assertThat(store.inStates(List.of(JobState.QUEUED))).isEmpty();
        assertThat(jobFolders()).isZero();
    }

    @Test
    void an_image_removed_while_the_restart_was_recorded_ends_the_new_job_failed_with_the_reason() throws Exception {
        Job old = ended(JobState.CANCELLED, 0);
        AtomicInteger looks = new AtomicInteger();
        Images vanishing = new DelegatingImages(images) {
            @Override
            public boolean exists(String imageRef) {
                return looks.incrementAndGet() == 1;
            }
        };

        assertThatThrownBy(() -> restarts(vanishing, PriorityLimits.NONE).restart(old, "ana"))
                .isInstanceOf(RestartRefusedException.class);
        assertThat(store.inStates(List.of(JobState.QUEUED))).isEmpty();
        assertThat(store.inStates(List.of(JobState.FAILED))).filteredOn(j -> j.restartOf() == old.id())
                .singleElement().satisfies(j -> assertThat(j.reason())
                        .isEqualTo("image removed after the job ended; resubmit the zip"));
    }

    @Test
    void the_zip_s_priority_is_checked_again_against_the_user_s_maximum() throws Exception {
        Job old = ended(JobState.SUCCEEDED, 8);

        assertThatThrownBy(() -> restarts(images, new PriorityLimits(0, Map.of("ana", 5))).restart(old, "ana"))
                .isInstanceOf(RestartRefusedException.class)
                .hasMessageStartingWith("priority 8 is above what ana may ask for (max_priority 5)");
        assertThat(restarts(images, new PriorityLimits(0, Map.of("ana", 10))).restart(old, "ana").priority())
                .isEqualTo(8);
    }

    @Test
    void only_an_ended_job_that_got_an_image_can_be_restarted() {
        Job rejected = store.insert(aJob().state(JobState.REJECTED).image(null).build(), "test");
        Job queued = store.insert(aJob().state(JobState.QUEUED).build(), "test");

        assertThatThrownBy(() -> restarts(images, PriorityLimits.NONE).restart(rejected, "ana"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> restarts(images, PriorityLimits.NONE).restart(queued, "ana"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Images that answer like another, except where a test overrides. */
    private static class DelegatingImages implements Images {
        private final Images to;

        DelegatingImages(Images to) {
            this.to = to;
        }

        @Override
        public Built buildTimed(BuildContext context, String tag, Map<String, String> labels, Path buildLog) {
            return to.buildTimed(context, tag, labels, buildLog);
        }

        @Override
        public String load(Path imageTar, String tag, Path buildLog) {
            return to.load(imageTar, tag, buildLog);
        }

        @Override
        public Map<String, String> labelled(String filterKey, String filterValue, String key) {
            return to.labelled(filterKey, filterValue, key);
        }

        @Override
        public String imageId(String imageRef) {
            return to.imageId(imageRef);
        }

        @Override
        public boolean exists(String imageRef) {
            return to.exists(imageRef);
        }

        @Override
        public void remove(String imageRef) {
            to.remove(imageRef);
        }
    }
}
