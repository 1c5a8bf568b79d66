package dev.dopq.server.testutil;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import dev.dopq.docker.DockerEngine;

import java.util.Map;

/**
 * Removes what one test server left on the shared engine: only containers and images carrying its
 * {@code dopq.instance} label, never anything else (other tests use the same engine at the same time).
 */
public final class EngineLeftovers {
    private EngineLeftovers() {
    }

    public static void removeOf(String instance) throws Exception {
        Map<String, String> ours = Map.of("dopq.instance", instance);
        try (DockerClient docker = DockerEngine.connect(null)) {
            for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec()) {
                quietly(() -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
            }
            for (Image i : docker.listImagesCmd().withLabelFilter(ours).exec()) {
                quietly(() -> docker.removeImageCmd(i.getId()).withForce(true).exec());
            }
        }
    }

    private static void quietly(Runnable removal) {
        try {
            removal.run();
        } catch (DockerException e) {
            // already gone: the server's own cleanup may have raced us
        }
    }
}
