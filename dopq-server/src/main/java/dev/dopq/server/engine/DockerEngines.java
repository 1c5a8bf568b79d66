package dev.dopq.server.engine;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.container.DockerContainerRuntime;
import dev.dopq.docker.DockerEngine;
import dev.dopq.docker.ImageBuilder;

/** The one place of the server that knows the engine is Docker: connects docker-java and wraps it. */
public final class DockerEngines {
    private DockerEngines() {
    }

    /** Connects to the Docker engine at {@code host} (e.g. {@code unix:///var/run/docker.sock}). */
    public static Engine connect(String host) {
        DockerClient docker = DockerEngine.connect(host);
        return new Engine(new DockerContainerRuntime(docker), new ImageBuilder(docker), docker);
    }
}
