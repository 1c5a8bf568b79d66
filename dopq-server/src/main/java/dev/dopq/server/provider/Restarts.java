package dev.dopq.server.provider;

import dev.dopq.container.JobSpec;
import dev.dopq.docker.Images;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PriorityLimits;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.Trees;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.RestartRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Runs an ended job again ({@code dopq restart}): a new QUEUED job with the ended job's spec and image, in its own
 * folder, recording which job it re-runs. Nothing is built: the image must still be on the engine (built images
 * go with their job's end unless {@code [provider] remove_images = no}; images named by {@code image} stay).
 * <p>
 * The new job keeps the ended one's name, resources, retries and array index, and the priority its zip asked for
 * (checked again against the user's maximum); not an admin's later priority, not a hold, and not its dependencies
 * (they were met, or it would not have run). Once the new job is stored it names the image, so the finish stage no
 * longer removes it; an image removed just before that is caught by looking again after the insert.
 */
final class Restarts {
    private static final Logger LOG = LoggerFactory.getLogger(Restarts.class);
    static final String IMAGE_GONE = "image removed after the job ended; resubmit the zip";

    private final Jobs jobs;
    private final Images images;
    private final Intake intake;
    private final Supplier<PriorityLimits> priorities;
    private final Clock clock;

    Restarts(Jobs jobs, Images images, Intake intake, Supplier<PriorityLimits> priorities) {
        this.jobs = jobs;
        this.images = images;
        this.intake = intake;
        this.priorities = priorities;
        this.clock = intake.clock();
    }

    Job restart(Job ended, String actor) throws IOException {
        if (!ended.state().isTerminal() || ended.state() == JobState.REJECTED || ended.image() == null) {
            throw new IllegalArgumentException("job " + ended.id() + " (" + ended.state() + ") cannot be restarted");
        }
        if (!images.exists(ended.image())) {
            throw new RestartRefusedException(IMAGE_GONE);
        }
        int priority = JobSpec.fromJson(ended.specJson()).priority();
        String refused = priorities.get().refusal(ended.user(), priority);
        if (refused != null) {
            throw new RestartRefusedException(refused);
        }
        JobFolder folder = intake.newFolder();
        Job fresh;
        try {
            fresh = jobs.insert(copy(ended, priority, folder), actor);
            Files.writeString(folder.idMarker(), Long.toString(fresh.id()), JobFolder.noLinks());
        } catch (IOException | RuntimeException e) {
            Trees.deleteTree(folder.dir());
            throw e;
        }
        if (!images.exists(ended.image())) {
            // removed between the first look and the insert: the new job cannot run
            jobs.move(fresh, JobState.FAILED, actor, b -> b.finishedAt(clock.instant()).reason(IMAGE_GONE));
            throw new RestartRefusedException(IMAGE_GONE);
        }
        LOG.info("job {} ({}) queued as a restart of job {} with image {}", fresh.id(), fresh.user(), ended.id(),
                fresh.image());
        return fresh;
    }

    private Job copy(Job ended, int priority, JobFolder folder) {
        return Job.builder()
                .name(ended.name()).user(ended.user()).state(JobState.QUEUED).submittedAt(clock.instant())
                .gpusRequested(ended.gpusRequested()).memoryBytes(ended.memoryBytes()).timeout(ended.timeout())
                .maxRetries(ended.maxRetries()).image(ended.image()).specJson(ended.specJson())
                .workDir(folder.dir().toString())
                .arrayId(ended.arrayId()).arrayIndex(ended.arrayIndex()).maxParallel(ended.maxParallel())
                .priority(priority).restartOf(ended.id())
                // the creation event says so too; the note goes when the job starts
                .reason("restart of " + ended.id())
                .build();
    }
}
