package dev.dopq.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.LoadResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds images from build contexts and loads image tars, writing what the engine says into a build log. */
public final class ImageBuilder implements Images {

    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);
    private static final String DOCKERFILE = "Dockerfile";
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final DockerClient client;
    private final Duration timeout;
    private final long memoryBytes;

    /** @param client the engine to build on, e.g. from {@link DockerEngine#connect(String)}; no time or memory limit */
    public ImageBuilder(DockerClient client) {
        this(client, null, 0);
    }

    /**
     * @param client      the engine to build on
     * @param timeout     longest a build or load may take ({@code null} = no limit); then it is aborted
     * @param memoryBytes memory (and swap) limit of each build step's container ({@code 0} = none)
     */
    public ImageBuilder(DockerClient client, Duration timeout, long memoryBytes) {
        this.client = client;
        this.timeout = timeout;
        this.memoryBytes = memoryBytes;
    }

    /**
     * Builds {@code contextDir} (with its Dockerfile at the root) without pulling newer base images, removing
     * intermediate containers even when the build fails. Every output line goes to {@code buildLog} (created or
     * overwritten). Steps that succeeded before a failure stay in the engine's build cache, as with
     * {@code docker build}, so that a corrected resubmission does not redo them.
     *
     * @param labels labels of the final image (null means none)
     * @return the id of the built image
     * @throws ImageBuildException carrying the last error line, e.g.
     *                             "The command '/bin/sh -c exit 3' returned a non-zero code: 3"
     */
    public String build(Path contextDir, String tag, Map<String, String> labels, Path buildLog) {
        return buildTimed(contextDir, tag, labels, buildLog).imageId();
    }

    /** As {@link #build}, also telling how long sending the context and the engine's build took. */
    public Built buildTimed(Path contextDir, String tag, Map<String, String> labels, Path buildLog) {
        return buildTimed(new FolderBuildContext(contextDir), tag, labels, buildLog);
    }

    /**
     * Builds {@code context} while its tar is written, so reading the context and uploading it overlap.
     *
     * @throws ZipRejectedException when the zip behind the context was refused part way: the upload is aborted,
     *                              so the engine builds nothing (an image made anyway is removed)
     */
    @Override
    public Built buildTimed(BuildContext context, String tag, Map<String, String> labels, Path buildLog) {
        if (!context.hasDockerfile()) {
            throw new ImageBuildException("no Dockerfile in the zip");
        }
        long start = System.nanoTime();
        try (BuildLog log = BuildLog.open(buildLog); ContextPipe pipe = ContextPipe.start(context)) {
            BuildCallback callback = new BuildCallback(log);
            var cmd = client.buildImageCmd()
                    .withTarInputStream(pipe.input())
                    .withTags(Set.of(tag))
                    .withLabels(labels == null ? Map.of() : labels)
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true);
            if (memoryBytes > 0) {
                cmd.withMemory(memoryBytes).withMemswap(memoryBytes);
            }
            cmd.exec(callback);
            String error = awaitError(callback, log, "build");
            refuseOnContextFailure(pipe.failure(), callback.imageId, tag, log);
            if (error == null && callback.imageId != null) {
                Built built = new Built(callback.imageId, pipe.bytes(), Duration.ofNanos(pipe.packingNanos()),
                        Duration.ofNanos(System.nanoTime() - start));
                LOG.info("built image {} as {} ({} context bytes sent in {} ms, engine build {} ms)",
                        built.imageId(), tag, built.contextBytes(), built.contextSent().toMillis(),
                        built.engineBuild().toMillis());
                return built;
            }
            throw new ImageBuildException(error != null ? error : "the build ended without an image id");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stream build context " + context.describe(), e);
        }
    }

    /** A context that failed part way makes the build fail with the context's reason, never the engine's. */
    private void refuseOnContextFailure(Exception packing, String imageId, String tag, BuildLog log) {
        if (packing == null) {
            return;
        }
        discardPartialBuild(imageId, tag);
        log.line("ERROR: " + packing.getMessage());
        if (packing instanceof ZipRejectedException rejected) {
            throw new ZipRejectedException(rejected.getMessage(), rejected);
        }
        throw new ImageBuildException("could not send the build context: " + packing.getMessage(), packing);
    }

    /**
     * {@code docker load} of an image tar (as written by {@code docker save}) under a tag of our own only: the names
     * the tar gives its image are removed before the engine sees it (see {@link ImageTarTags}), so loading can never
     * move an existing tag to the tar's image. The image is then tagged {@code tag}.
     *
     * @return {@code tag}
     * @throws ImageBuildException when the tar is no single image or the engine refuses it, with the reason
     */
    @Override
    public String load(Path imageTar, String tag, Path buildLog) {
        ImageTarTags names = new ImageTarTags();
        try (BuildLog log = BuildLog.open(buildLog); InputStream file = Files.newInputStream(imageTar);
             CopyPipe pipe = CopyPipe.start(out -> names.copy(file, out), "dopq-image-load")) {
            LoadCallback callback = new LoadCallback(log);
            client.loadImageAsyncCmd(pipe.input()).exec(callback);
            String error = awaitError(callback, log, "image load");
            if (pipe.failure() != null) {
                log.line("ERROR: " + pipe.failure().getMessage());
                throw new ImageBuildException("could not read the image tar: " + pipe.failure().getMessage(),
                        pipe.failure());
            }
            if (error != null || callback.loaded == null) {
                throw new ImageBuildException(error != null ? error : "the image tar contained no image");
            }
            if (!names.removedTags().isEmpty()) {
                log.line("the tar's own names " + names.removedTags() + " were not applied; the job's image is " + tag);
            }
            int colon = tag.lastIndexOf(':');
            client.tagImageCmd(callback.loaded, tag.substring(0, colon), tag.substring(colon + 1)).exec();
            LOG.info("loaded image {} from {} as {} (its own names {} not applied)", callback.loaded, imageTar, tag,
                    names.removedTags());
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image tar " + imageTar, e);
        }
    }

    /**
     * The values of label {@code key} on the engine's images that carry label {@code filterKey=filterValue},
     * mapped to the images' first tags (or ids when untagged).
     */
    @Override
    public Map<String, String> labelled(String filterKey, String filterValue, String key) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        List<Image> images;
        try {
            images = client.listImagesCmd().withLabelFilter(Map.of(filterKey, filterValue)).exec();
        } catch (RuntimeException e) {
            throw new DockerHelperException("cannot list images: " + Messages.rootFirstLine(e), e);
        }
        for (Image image : images) {
            Map<String, String> labels = image.getLabels();
            String value = labels == null ? null : labels.get(key);
            if (value != null) {
                String[] tags = image.getRepoTags();
                out.put(value, tags != null && tags.length > 0 && !tags[0].startsWith("<none>") ? tags[0] : image.getId());
            }
        }
        return out;
    }

    /** The full id ({@code sha256:...}) of the image this reference names, or null when there is none. */
    @Override
    public String imageId(String imageRef) {
        try {
            return client.inspectImageCmd(imageRef).exec().getId();
        } catch (NotFoundException e) {
            return null;
        } catch (RuntimeException e) {
            throw new DockerHelperException("cannot look up image " + imageRef + ": " + Messages.rootFirstLine(e), e);
        }
    }

    /** True when the engine has an image with this reference (repo:tag or id). */
    @Override
    public boolean exists(String imageRef) {
        try {
            client.inspectImageCmd(imageRef).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw new DockerHelperException("cannot look up image " + imageRef + ": " + Messages.rootFirstLine(e), e);
        }
    }

    /**
     * Removes an image without force (an image a container still uses stays, and the engine's conflict error is
     * thrown) and with its untagged parents. An image that is already gone is not an error.
     */
    @Override
    public void remove(String imageRef) {
        try {
            client.removeImageCmd(imageRef).withForce(false).withNoPrune(false).exec();
            LOG.debug("removed image {}", imageRef);
        } catch (NotFoundException e) {
            LOG.debug("image {} was already gone", imageRef);
        } catch (RuntimeException e) {
            throw new DockerHelperException("cannot remove image " + imageRef + ": " + Messages.rootFirstLine(e), e);
        }
    }

    /** An image built from part of a context must not be used; normally the aborted upload prevents it. */
    private void discardPartialBuild(String imageId, String tag) {
        if (imageId != null) {
            LOG.warn("image {} was built from an incomplete context; removing {}", imageId, tag);
            remove(tag);
        }
    }

    /**
     * Waits for the stream to end; returns the last error line the engine sent, or null.
     *
     * @throws ImageBuildTimeoutException when the limit passed first; the stream is closed, which makes the engine
     *                                    abort the build
     */
    private String awaitError(StreamCallback<?> callback, BuildLog log, String what) {
        try {
            if (timeout == null) {
                callback.awaitCompletion();
            } else if (!callback.awaitCompletion(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                closeQuietly(callback);
                String message = what + " timed out after " + ImageBuildTimeoutException.human(timeout);
                log.line("ERROR: " + message);
                throw new ImageBuildTimeoutException(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(callback);
            throw new ImageBuildException("the build was interrupted", e);
        }
        if (callback.failure != null) {
            callback.error = engineMessage(callback.failure);
        }
        if (callback.error != null) {
            log.line("ERROR: " + callback.error);
        }
        return callback.error;
    }

    private static void closeQuietly(StreamCallback<?> callback) {
        try {
            callback.close();
        } catch (IOException e) {
            LOG.debug("closing an aborted engine stream: {}", e.toString());
        }
    }

    /**
     * The engine's own words from a failed call: docker-java reports HTTP errors as
     * {@code Status 500: {"message":"..."}}; the message inside is what a user can act on.
     */
    static String engineMessage(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        Matcher json = JSON_MESSAGE.matcher(message);
        if (failure instanceof DockerException && json.find()) {
            message = json.group(1).replace("\\\"", "\"").replace("\\n", "\n");
        }
        return lastLine(message);
    }

    /** The last non-blank line of an engine message, which names the actual cause. */
    static String lastLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String[] lines = message.strip().split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "unknown error";
    }

    /** Logs every item of an engine progress stream and remembers its last error. */
    private abstract static class StreamCallback<T extends ResponseItem> extends ResultCallback.Adapter<T> {
        final BuildLog log;
        volatile String error;
        volatile Throwable failure;

        StreamCallback(BuildLog log) {
            this.log = log;
        }

        /** A failed build is an expected outcome here: record it for the caller instead of logging an error. */
        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            LOG.debug("engine stream failed: {}", throwable.toString());
            closeQuietly(this);
        }

        @Override
        public void onNext(T item) {
            log.write(item.getStream());
            // pull progress repeats every fraction of a second per layer; only the milestones are worth keeping
            if (item.getStatus() != null && !isProgressTick(item)) {
                log.line(item.getId() == null ? item.getStatus() : item.getId() + ": " + item.getStatus());
            }
            if (item.isErrorIndicated()) {
                error = lastLine(errorMessage(item));
            }
        }

        private static boolean isProgressTick(ResponseItem item) {
            return item.getProgressDetail() != null && item.getProgressDetail().getCurrent() != null;
        }

        /** The structured error detail, else the plain "error" field that older engines send alone. */
        @SuppressWarnings("deprecation")
        private static String errorMessage(ResponseItem item) {
            if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
                return item.getErrorDetail().getMessage();
            }
            return item.getError();
        }
    }

    private static final class BuildCallback extends StreamCallback<BuildResponseItem> {
        volatile String imageId;

        BuildCallback(BuildLog log) {
            super(log);
        }

        @Override
        public void onNext(BuildResponseItem item) {
            super.onNext(item);
            if (item.getImageId() != null) {
                imageId = item.getImageId();
            }
        }
    }

    private static final class LoadCallback extends StreamCallback<LoadResponseItem> {
        private static final String LOADED = "Loaded image: ";
        private static final String LOADED_ID = "Loaded image ID: ";
        volatile String loaded;

        LoadCallback(BuildLog log) {
            super(log);
        }

        @Override
        public void onNext(LoadResponseItem item) {
            super.onNext(item);
            String stream = item.getStream() == null ? "" : item.getStream().strip();
            if (loaded == null && stream.startsWith(LOADED_ID)) {
                loaded = stream.substring(LOADED_ID.length()).strip();
            } else if (loaded == null && stream.startsWith(LOADED)) {
                loaded = stream.substring(LOADED.length()).strip();
            }
        }
    }
}
