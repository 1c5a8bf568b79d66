package dev.dopq.server.engine;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.docker.DockerEngine;
import dev.dopq.docker.EngineSecurity;
import dev.dopq.docker.ImageBuilder;
import dev.dopq.server.backend.Backends;
import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.config.DopqConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place of the server that knows the engine is Docker: connects docker-java and wraps it. */
public final class DockerEngines {
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngines.class);

    private DockerEngines() {
    }

    /**
     * Connects to the Docker engine of {@code [docker] host}: it runs the jobs ({@code [backend] kind = docker}) or
     * builds and saves their images for the nodes ({@code slurm}).
     */
    public static Engine connect(DopqConfig config) {
        DockerClient docker = DockerEngine.connect(config.docker().host());
        ExecutionBackend backend = Backends.create(config, docker);
        ImageBuilder images = new ImageBuilder(docker, config.provider().buildTimeout(),
                config.provider().buildMemoryBytes());
        return new Engine(backend, images, engineSecurity(docker), docker);
    }

    /**
     * Whether the engine remaps container users. When it cannot be asked, jobs are treated as on a plain engine:
     * root stays refused, which is the safe side.
     */
    private static EngineSecurity engineSecurity(DockerClient client) {
        EngineSecurity engine;
        try {
            engine = EngineSecurity.of(client);
        } catch (RuntimeException e) {
            LOG.warn("could not ask the engine whether it remaps users ({}); jobs never run as root", e.toString());
            engine = EngineSecurity.PLAIN;
        }
        if (engine.remapped() && engine.uidOffset() == 0) {
            LOG.warn("the engine remaps container users but its data root does not tell the host uid of container"
                    + " root; output folders are given to the container uids as they are");
        }
        LOG.info("jobs run as their users' non-root uids; the engine {}", engine.remapped()
                ? "remaps container users (host uid = " + engine.uidOffset() + " + container uid), so root is allowed"
                : "does not remap container users, so root in a container is refused");
        return engine;
    }
}
