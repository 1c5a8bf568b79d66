package dev.dopq.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The images jobs run: built from a build context, loaded from a tar, found by label, removed. {@link ImageBuilder}
 * does it on a Docker engine; tests of what uses it can do it in memory.
 */
public interface Images {

    /**
     * What a build produced and where its time went.
     *
     * @param imageId      the id of the built image
     * @param contextBytes size of the build context tar sent to the engine
     * @param contextSent  from the start until the whole context was packed and handed to the upload
     * @param total        from the start until the engine reported the image
     */
    record Built(String imageId, long contextBytes, Duration contextSent, Duration total) {
        /** The engine's share: the build steps after the context arrived. */
        public Duration engineBuild() {
            return total.minus(contextSent);
        }
    }

    /**
     * Builds {@code context} (its Dockerfile at the root) as {@code tag} with {@code labels}, writing the
     * engine's output to {@code buildLog}, and tells how long sending the context and the build took.
     *
     * @throws ImageBuildException  with the engine's last error line when the build fails
     * @throws ZipRejectedException when the zip behind the context is refused part way; nothing is built
     */
    Built buildTimed(BuildContext context, String tag, Map<String, String> labels, Path buildLog);

    /**
     * Loads an image tar (as written by {@code docker save}) under {@code tag} only: the names the tar gives its
     * image are ignored, so loading can never move an existing tag to the tar's image.
     *
     * @return {@code tag}
     * @throws ImageBuildException when the tar is no single image or is refused, with the reason
     */
    String load(Path imageTar, String tag, Path buildLog);

    /**
     * The values of label {@code key} on the images that carry label {@code filterKey=filterValue}, mapped to the
     * images' first tags (or ids when untagged).
     */
    Map<String, String> labelled(String filterKey, String filterValue, String key);

    /** The id of the image with this reference (repo:tag or id), or null when there is none. */
    String imageId(String imageRef);

    /** True when an image with this reference (repo:tag or id) exists. */
    boolean exists(String imageRef);

    /** Removes an image that no container uses; one that is already gone is not an error. */
    void remove(String imageRef);
}
