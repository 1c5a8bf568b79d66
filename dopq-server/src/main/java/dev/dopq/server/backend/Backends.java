package dev.dopq.server.backend;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.container.DockerContainerRuntime;
import dev.dopq.server.backend.slurm.SlurmBackend;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.gpu.GpuInventories;
import dev.dopq.server.gpu.OurProcesses;

/** Picks the backend of {@code [backend] kind}. */
public final class Backends {

    private Backends() {
    }

    /** @param docker the local engine: runs jobs (docker) or builds and saves their images (slurm) */
    public static ExecutionBackend create(DopqConfig config, DockerClient docker) {
        if (config.backend().isSlurm()) {
            return new SlurmBackend(config.backend().slurm(), config.queue().stopGrace(),
                    config.gpu().nvidiaRuntime(), docker);
        }
        OurProcesses ours = new OurProcesses();
        return new DockerBackend(new DockerContainerRuntime(docker, config.queue().maxLogBytes()),
                GpuInventories.create(config.gpu().mode().name().toLowerCase(), config.gpu().ids(),
                        config.gpu().memory(), config.gpu().respectForeign(), ours), ours);
    }
}
