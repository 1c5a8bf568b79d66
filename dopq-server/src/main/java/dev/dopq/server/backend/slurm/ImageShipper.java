package dev.dopq.server.backend.slurm;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.container.ContainerRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets a job's image to the nodes without a registry: the server saves it once ({@code docker save} from the
 * engine that built it) into the shared folder; a node whose engine lacks it loads that tar. Built once, never
 * per node.
 */
final class ImageShipper {
    private static final Logger LOG = LoggerFactory.getLogger(ImageShipper.class);

    private final DockerClient docker;
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    ImageShipper(DockerClient docker) {
        this.docker = docker;
    }

    /** Saves {@code image} to {@code tar} unless it is there already. */
    void ensureSaved(String image, Path tar) {
        synchronized (locks.computeIfAbsent(tar, t -> new Object())) {
            if (Files.isRegularFile(tar, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            long started = System.nanoTime();
            Path tmp = tar.resolveSibling("." + tar.getFileName() + ".part");
            try {
                Files.createDirectories(tar.getParent());
                Files.deleteIfExists(tmp);
                try (InputStream in = docker.saveImageCmd(image).exec()) {
                    Files.copy(in, tmp);
                }
                Files.move(tmp, tar, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next save replaces it
                }
                throw new ContainerRuntimeException("cannot save image " + image + " for the nodes: " + e.getMessage(),
                        e);
            }
            LOG.info("saved image {} for the nodes in {} ms ({} bytes)", image,
                    (System.nanoTime() - started) / 1_000_000, size(tar));
        }
    }

    /** Deletes a saved image (no run uses it any more). */
    void delete(Path tar) {
        try {
            Files.deleteIfExists(tar);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", tar, e.toString());
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

}
