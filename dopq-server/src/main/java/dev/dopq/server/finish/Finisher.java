package dev.dopq.server.finish;

import dev.dopq.docker.Images;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.files.Trees;
import dev.dopq.server.service.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The finish stage. When a job reaches a terminal state, however it got there, its finish is handed to the
 * stage's own executor, so the thread that committed the transition (the queue, an exit worker, an RMI call)
 * never waits for the share or the engine: a refused zip goes back to the share's {@code failed/} with its reason,
 * a job that ended otherwise gets its result on the share, its kept zip is deleted (the logs stay) and, if it
 * never had a container, its image is removed (per config; only images dopq built for it).
 * What a stop or a crash leaves undone is done by {@link #catchUp} at the next start.
 */
public final class Finisher implements Jobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Finisher.class);

    private final ShareWriter share;
    private final Images images;
    private final boolean removeImages;
    private volatile java.util.function.Predicate<Job> imageStillNeeded = j -> false;
    private final Executor executor;
    private final Supplier<Collection<Job>> unfinished;

    /**
     * @param executor where finishes run: the server passes the stage's own named worker; tests may pass
     *                 {@code Runnable::run} to finish on the committing thread
     */
    public Finisher(ShareWriter share, Images images, boolean removeImages, Executor executor) {
        this(share, images, removeImages, executor, List::of);
    }

    /** @param unfinished the jobs that have not ended, whose images are never removed */
    public Finisher(ShareWriter share, Images images, boolean removeImages, Executor executor,
                    Supplier<Collection<Job>> unfinished) {
        this.share = share;
        this.images = images;
        this.removeImages = removeImages;
        this.executor = executor;
        this.unfinished = unfinished;
    }

    /**
     * The jobs of an array share one image: {@code stillNeeded} tells whether a job that ended is not its array's
     * last one (whose end removes the image).
     */
    public void keepSharedImages(java.util.function.Predicate<Job> stillNeeded) {
        this.imageStillNeeded = stillNeeded;
    }

    /**
     * Removes the image dopq built for a job that ended. Jobs that ran call this after their container is
     * removed (an image in use cannot be removed); jobs that never ran get it when they end.
     */
    public void removeImage(Job job) {
        if (job.inArray() && imageStillNeeded.test(job)) {
            LOG.debug("keeping image {} of job {}: other jobs of array {} still need it", job.image(), job.id(),
                    job.arrayId());
            return;
        }
        if (removeImages && job.image() != null && job.image().startsWith("dopq/")) {
            try {
                String id = images.imageId(job.image());
                Optional<Job> user = id == null ? Optional.empty() : stillUsing(job, id);
                if (user.isPresent()) {
                    LOG.info("keeping image {} of job {}: job {} still uses it", job.image(), job.id(),
                            user.get().id());
                    return;
                }
                images.remove(job.image());
            } catch (RuntimeException e) {
                LOG.warn("could not remove image {} of job {}: {}", job.image(), job.id(), e.toString());
            }
        }
    }

    /**
     * A job that has not ended and names the same image, by the same reference or by its id. (A job naming another
     * tag of the same image is safe: removing one tag of an image with several only removes that tag.)
     */
    private Optional<Job> stillUsing(Job ended, String imageId) {
        String shortId = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
        return unfinished.get().stream()
                .filter(j -> j.id() != ended.id() && !j.state().isTerminal() && j.image() != null)
                .filter(j -> j.image().equals(ended.image()) || j.image().equals(imageId)
                        || j.image().length() >= 12 && shortId.startsWith(j.image().replace("sha256:", "")))
                .findFirst();
    }

    /**
     * Finishes jobs that reached their terminal state just before a crash (or a stop), before their outcome reached
     * the share: such a job still has its zip in its folder. Repeating the finish is harmless. Runs on the calling
     * thread, at start, before intake and dispatch begin.
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
                jobs.find(id).filter(j -> j.state().isTerminal()).ifPresent(j -> {
                    LOG.info("finishing job {} ({}) whose outcome had not reached the share", j.id(), j.state());
                    finish(j);
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
        try {
            executor.execute(() -> finish(after));
        } catch (RejectedExecutionException stopping) {
            // the stage is stopping: the zip is still in the job's folder, so the next start's catch-up finishes it
            LOG.info("job {} ended while the finish stage stops; its outcome reaches the share at the next start",
                    after.id());
        }
    }

    private void finish(Job job) {
        try {
            JobFolder folder = JobFolder.of(job.workDir());
            boolean zipKept = wasRefused(job) ? giveBack(job, folder) : writeResult(job, folder);
            if (job.containerId() == null) {
                removeImage(job);
            }
            if (!zipKept) {
                Files.deleteIfExists(folder.zip());
            }
            Trees.deleteTree(folder.extracted());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not finish job {} ({}): {}", job.id(), job.state(), e.toString());
        }
    }

    private boolean writeResult(Job job, JobFolder folder) {
        share.writeResult(job, folder.attemptLog(job.attempt()));
        return false;
    }

    /**
     * Gives a refused zip back on the share with its reason. When the share cannot take it, the zip stays in the
     * job's folder (its only copy) and the next start tries again. Returns whether the zip is still there.
     */
    private boolean giveBack(Job job, JobFolder folder) throws IOException {
        if (!Files.exists(folder.zip())) {
            return false;
        }
        SourceInfo source = Files.exists(folder.source()) ? SourceInfo.read(folder.source())
                : new SourceInfo("job.zip", job.name() + ".zip", "");
        String user = job.ownerKnown() && job.user().equals(source.folder().toLowerCase(java.util.Locale.ROOT))
                ? job.user() : null;
        try {
            share.quarantine(folder.zip(), user, source.baseName(), job.reason());
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.error("job {}: could not put its zip into {} ({}); it stays at {}", job.id(), share.failedDir(),
                    e.toString(), folder.zip());
            return true;
        }
    }
}
