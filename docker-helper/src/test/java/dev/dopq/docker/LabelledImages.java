package dev.dopq.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;

import java.util.List;
import java.util.Map;

/** Removes what a test built on the shared engine, by the labels it gave its builds. */
final class LabelledImages {
    private LabelledImages() {
    }

    /**
     * Removes every image with these labels: a failed build leaves its finished steps behind as untagged cache
     * images, each with the build's labels; a parent goes in a later round, once its child is gone.
     */
    static void removeAll(DockerClient client, Map<String, String> labels) {
        for (int round = 0; round < 10; round++) {
            List<Image> left = client.listImagesCmd().withShowAll(true).withLabelFilter(labels).exec();
            if (left.isEmpty()) {
                return;
            }
            left.forEach(image -> removeIfPresent(client, image.getId()));
        }
    }

    static void removeIfPresent(DockerClient client, String image) {
        try {
            client.removeImageCmd(image).withForce(true).exec();
        } catch (NotFoundException | ConflictException goneOrParentOfAnother) {
            // gone with a child already, or removed in a later round once its child is gone
        }
    }
}
