package dev.dopq.server.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPUs that jobs with {@code gpu_memory} share, within one scheduling pass: each GPU's memory, and the room
 * left on the GPUs that already hold sharing jobs. A sharing job goes where the sum of what the GPU's jobs asked
 * stays within its memory, best fit first: the shared GPU with the least room that is enough, so whole GPUs stay
 * whole for exclusive jobs; only then a free GPU, the smallest that is big enough. A GPU holding a sharing job is
 * never free, so an exclusive job never lands next to one.
 */
final class GpuShares {
    private final Map<String, Long> memory;
    private final Map<String, Long> room = new LinkedHashMap<>();

    /**
     * @param memory  bytes jobs may use on each GPU (its memory less what foreign processes use); a GPU missing
     *                here, or with 0, has no known memory and hosts no sharing job
     * @param running jobs running now: the sharing ones use up room on their GPU
     */
    GpuShares(Map<String, Long> memory, List<Job> running) {
        this.memory = Map.copyOf(memory);
        for (Job job : running) {
            if (job.sharesGpu()) {
                job.gpus().forEach(gpu -> room.merge(gpu, job.gpuMemory(), Long::sum));
            }
        }
        room.replaceAll((gpu, used) -> memoryOf(gpu) - used);
    }

    long memoryOf(String gpu) {
        Long bytes = memory.get(gpu);
        return bytes == null || bytes < 0 ? 0 : bytes;
    }

    /** The largest memory of the given GPUs (0 when none has a known memory). */
    long largest(Collection<String> gpus) {
        return gpus.stream().mapToLong(this::memoryOf).max().orElse(0);
    }

    /**
     * Where a sharing job asking {@code bytes} goes now: the shared GPU with the least room that is enough, else
     * the free GPU with the least memory that is enough (first listed on ties), else null.
     */
    String target(long bytes, Collection<String> free) {
        String best = null;
        long bestRoom = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : room.entrySet()) {
            if (e.getValue() >= bytes && e.getValue() < bestRoom) {
                best = e.getKey();
                bestRoom = e.getValue();
            }
        }
        if (best != null) {
            return best;
        }
        for (String gpu : free) {
            long m = memoryOf(gpu);
            if (m >= bytes && m < bestRoom) {
                best = gpu;
                bestRoom = m;
            }
        }
        return best;
    }

    /** Whether the GPU already holds sharing jobs (so it is not one of the free ones). */
    boolean shared(String gpu) {
        return room.containsKey(gpu);
    }

    /** Books {@code bytes} on {@code gpu}; a free GPU becomes a shared one. */
    void take(String gpu, long bytes) {
        room.merge(gpu, memoryOf(gpu) - bytes, (left, ignored) -> left - bytes);
    }

    /** The fraction of {@code gpu} that {@code bytes} is, for fair share (1 when its memory is unknown). */
    double share(String gpu, long bytes) {
        long m = memoryOf(gpu);
        return m <= 0 ? 1.0 : Math.min(1.0, (double) bytes / m);
    }

    /** The most room a sharing job could find now: on a shared GPU, or a whole free one. */
    long mostRoom(Collection<String> free) {
        long most = largest(free);
        for (long left : room.values()) {
            most = Math.max(most, left);
        }
        return most;
    }

    /** The room left on each shared GPU. */
    Map<String, Long> rooms() {
        return room;
    }
}
