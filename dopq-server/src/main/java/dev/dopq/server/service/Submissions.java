package dev.dopq.server.service;

import dev.dopq.server.core.Job;

import java.io.IOException;
import java.nio.file.Path;

/** What the API needs of intake: taking an uploaded zip, and why intake is paused, if it is. */
public interface Submissions {
    /** Takes an uploaded zip as a new job of {@code uploader}; the zip file is moved, not copied. */
    Job takeUpload(Path zip, String fileName, String uploader) throws IOException;

    /**
     * Re-submits the ended job {@code ended} as a new QUEUED job with the same spec and image, recording
     * {@code restartOf}; {@code actor} asked for it.
     *
     * @throws RestartRefusedException when the image is gone or the spec's priority is no longer allowed
     * @throws ServerStoppingException when the server is stopping
     */
    Job restart(Job ended, String actor) throws IOException;

    /** Why intake is paused (for example a full disk), or null when it is not. */
    String intakeProblem();
}
