package dev.dopq.server.provider;

import dev.dopq.docker.ImageBuilder;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;

/**
 * When a job reaches a terminal state, however it got there: its result goes to the share, its image is removed
 * (per config; only images dopq built for it) and its kept zip is deleted (the logs stay).
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

    @Override
    public void changed(Job before, Job after) {
        if (!after.state().isTerminal() || (before != null && before.state().isTerminal())) {
            return;
        }
        JobFolder folder = JobFolder.of(after.workDir());
        share.writeResult(after, folder.attemptLog(after.attempt()));
        if (removeImages && after.image() != null && after.image().startsWith("dopq/")) {
            try {
                images.remove(after.image());
            } catch (RuntimeException e) {
                LOG.warn("could not remove image {} of job {}: {}", after.image(), after.id(), e.toString());
            }
        }
        try {
            Files.deleteIfExists(folder.zip());
            JobPreparer.deleteTree(folder.extracted());
        } catch (IOException e) {
            LOG.warn("could not clean the folder of job {}: {}", after.id(), e.toString());
        }
    }
}
