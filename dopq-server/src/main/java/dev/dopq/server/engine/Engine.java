package dev.dopq.server.engine;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.docker.EngineSecurity;
import dev.dopq.docker.Images;
import dev.dopq.server.backend.DockerBackend;
import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.gpu.GpuInventories;
import dev.dopq.server.gpu.OurProcesses;

/**
 * What the server runs jobs on: where they run, their images, what the engine allows, and how to let go of it. The
 * server takes one from outside ({@link DockerEngines} for the real one), so everything above it runs against any
 * implementation.
 *
 * @param backend    where jobs run (this machine's engine or a Slurm cluster): creates, starts, watches and removes
 *                   their runs, and has the GPUs
 * @param images     builds, loads and removes job images
 * @param security   whether the engine remaps container users (root in a container is allowed only then)
 * @param connection closed once, at the end of the server's stop, after the backend
 */
public record Engine(ExecutionBackend backend, Images images, EngineSecurity security, AutoCloseable connection) {

    /**
     * One machine's engine given as a runtime and images (an engine in memory in tests), with the GPUs of
     * {@code [gpu]}; the engine does not remap users.
     */
    public static Engine local(DopqConfig config, ContainerRuntime runtime, Images images, AutoCloseable connection) {
        OurProcesses ours = new OurProcesses();
        return new Engine(new DockerBackend(runtime, GpuInventories.create(config.gpu().mode().name().toLowerCase(),
                config.gpu().ids(), config.gpu().memory(), config.gpu().respectForeign(), ours), ours), images,
                EngineSecurity.PLAIN, connection);
    }

    /** Starts, watches, stops and lists the runs of jobs. */
    public ContainerRuntime runtime() {
        return backend.runtime();
    }
}
