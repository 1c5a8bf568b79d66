package dev.dopq.server.testutil;

import dev.dopq.docker.BuildContext;
import dev.dopq.docker.ImageBuildException;
import dev.dopq.docker.Images;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Images as names in memory, for unit tests of what builds, loads and removes images (ITs use the real engine). */
public final class FakeImages implements Images {
    /** Image reference -> its labels. */
    public final Map<String, Map<String, String>> images = new ConcurrentHashMap<>();
    public final List<String> built = new CopyOnWriteArrayList<>();
    public final List<String> removed = new CopyOnWriteArrayList<>();
    /** When set, a build fails with this engine error line. */
    public volatile String buildError;
    /** Engine error lines for the next builds, one per build, before {@link #buildError} applies. */
    public final java.util.Queue<String> nextBuildErrors = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** When set, runs at the start of every build (a change made to the job while it is built). */
    public volatile Runnable beforeBuild;

    @Override
    public Built buildTimed(BuildContext context, String tag, Map<String, String> labels, Path buildLog) {
        Runnable hook = beforeBuild;
        if (hook != null) {
            hook.run();
        }
        if (!context.hasDockerfile()) {
            throw new ImageBuildException("no Dockerfile in the zip");
        }
        // the whole context is read as the engine would read it, so a zip refused part way fails here too
        try {
            context.writeTar(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new ImageBuildException("could not send the build context: " + e.getMessage(), e);
        }
        String once = nextBuildErrors.poll();
        if (once != null) {
            throw new ImageBuildException(once);
        }
        if (buildError != null) {
            throw new ImageBuildException(buildError);
        }
        images.put(tag, labels == null ? Map.of() : Map.copyOf(labels));
        built.add(tag);
        return new Built("sha256:" + Integer.toHexString(tag.hashCode()), 0, Duration.ZERO, Duration.ZERO);
    }

    @Override
    public String load(Path imageTar, String tag, Path buildLog) {
        if (!Files.isRegularFile(imageTar)) {
            throw new ImageBuildException("could not read the image tar: " + imageTar.getFileName());
        }
        images.put(tag, Map.of());
        return tag;
    }

    @Override
    public Map<String, String> labelled(String filterKey, String filterValue, String key) {
        Map<String, String> found = new ConcurrentHashMap<>();
        images.forEach((ref, labels) -> {
            if (filterValue.equals(labels.get(filterKey)) && labels.containsKey(key)) {
                found.put(labels.get(key), ref);
            }
        });
        return found;
    }

    @Override
    public String imageId(String imageRef) {
        return images.containsKey(imageRef) ? "sha256:" + Integer.toHexString(imageRef.hashCode()) : null;
    }

    @Override
    public boolean exists(String imageRef) {
        return images.containsKey(imageRef);
    }

    @Override
    public void remove(String imageRef) {
        images.remove(imageRef);
        removed.add(imageRef);
    }

    /** The references of the images present. */
    public Set<String> present() {
        return Set.copyOf(images.keySet());
    }
}
