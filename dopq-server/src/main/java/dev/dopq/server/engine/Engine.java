package dev.dopq.server.engine;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.docker.Images;

/**
 * The container engine the server runs jobs on: its containers, its images, and how to let go of it. The server
 * takes one from outside ({@link DockerEngines} for the real one), so everything above it runs against any
 * implementation.
 *
 * @param runtime    creates, starts, watches and removes job containers
 * @param images     builds, loads and removes job images
 * @param connection closed once, at the end of the server's stop
 */
public record Engine(ContainerRuntime runtime, Images images, AutoCloseable connection) {
}
