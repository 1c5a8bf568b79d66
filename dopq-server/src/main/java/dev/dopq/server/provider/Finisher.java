package dev.dopq.server.provider;

import dev.dopq.docker.ImageBuilder;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * When a job reaches a terminal state, however it got there: its result goes to the share, its kept zip is
 * deleted (the logs stay) and, if it never had a container, its image is removed (per config; only images dopq
 * built for it).
 */
public final class Finisher implements Jobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Finisher.class);

    private final ShareWriter share;
    private final ImageBuilder images;
    private final boolean removeImages;

    public Finisher(ShareWriter share, ImageBuilder images, boolean removeImages) {
        this.share = share;
        this.images = images;
        this.removeImages = removeImages;
    }

    /**
     * Removes the image dopq built for a job that ended. Jobs that ran call this after their container is
     * removed (an image in use cannot be removed); jobs that never ran get it when they end.
     */
    public void removeImage(Job job) {
        if (removeImages && job.image() != null && job.image().startsWith("dopq/")) {
            try {
                images.remove(job.image());
            } catch (RuntimeException e) {
                LOG.warn("could not remove image {} of job {}: {}", job.image(), job.id(), e.toString());
            }
        }
    }

    /**
     * Finishes jobs that reached their terminal state just before a crash, before their result reached the share:
     * such a job still has its zip in its folder. Repeating the finish is harmless.
     */
    public void catchUp(Path jobsDir, Jobs jobs) {
        if (!Files.isDirectory(jobsDir)) {
            return;
        }
        try (var dirs = Files.list(jobsDir)) {
            for (Path dir : dirs.toList()) {
                JobFolder f = new JobFolder(dir);
                if (!Files.exists(f.zip()) || !Files.exists(f.idMarker())) {
                    continue;
                }
                long id = Long.parseLong(Files.readString(f.idMarker()).strip());
                jobs.find(id).filter(j -> j.state().isTerminal() && !wasRefused(j)).ifPresent(j -> {
                    LOG.info("finishing job {} ({}) whose result had not reached the share", j.id(), j.state());
                    changed(null, j);
                });
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not look for unfinished results in {}: {}", jobsDir, e.toString());
        }
    }

    /**
     * Removes the images this server built for jobs that have ended, which a crash left behind: an ended job's
     * image goes after its container, so a kill between the two leaves an image no container points to any more.
     * Call after the containers of ended jobs are gone (the start's reconcile).
     */
    public void sweepImages(Jobs jobs, String instance) {
        if (!removeImages) {
            return;
        }
        Map<String, String> byJob;
        try {
            byJob = images.labelled("dopq.instance", instance, "dopq.job");
        } catch (RuntimeException e) {
            LOG.warn("could not list the images of ended jobs: {}", e.toString());
            return;
        }
        byJob.forEach((id, image) -> parseId(id).flatMap(jobs::find)
                .filter(j -> j.state().isTerminal() && image.equals(j.image()))
                .ifPresent(j -> {
                    LOG.info("removing image {} of ended job {}, left behind by a stop", image, j.id());
                    removeImage(j);
                }));
    }

    private static Optional<Long> parseId(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean wasRefused(Job job) {
        return job.state() == JobState.REJECTED || (job.state() == JobState.FAILED && job.startedAt() == null);
    }

    @Override
    public void changed(Job before, Job after) {
        if (!after.state().isTerminal() || (before != null && before.state().isTerminal())) {
            return;
        }
        JobFolder folder = JobFolder.of(after.workDir());
        if (after.state() != JobState.REJECTED) {
            // a refused zip's outcome is its reason in failed/; it may not even have a user to file results under
            share.writeResult(after, folder.attemptLog(after.attempt()));
        }
        if (after.containerId() == null) {
            removeImage(after);
        }
        try {
            if (wasRefused(after) && Files.exists(folder.zip())) {
                // a refused zip is normally in failed/ by now; if the share could not take it, this is the only copy
                LOG.warn("keeping the zip of refused job {} at {}", after.id(), folder.zip());
            } else {
                Files.deleteIfExists(folder.zip());
            }
            JobPreparer.deleteTree(folder.extracted());
        } catch (IOException e) {
            LOG.warn("could not clean the folder of job {}: {}", after.id(), e.toString());
        }
    }
}
