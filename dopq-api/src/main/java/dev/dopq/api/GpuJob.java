package dev.dopq.api;

import java.io.Serializable;

/**
 * A running job on a GPU, as {@code dopq gpus} lists it.
 *
 * @param job         the job's id
 * @param user        its owner
 * @param memoryAsked GPU memory in bytes it asked for ({@code gpu_memory}) when it shares the GPU; 0 when the GPU
 *                    is its own
 */
public record GpuJob(String job, String user, long memoryAsked) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Whether the job shares its GPU with other jobs that declare {@code gpu_memory}. */
    public boolean shares() {
        return memoryAsked > 0;
    }
}
