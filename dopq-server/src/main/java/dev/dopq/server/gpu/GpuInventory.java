package dev.dopq.server.gpu;

import java.util.List;

/**
 * The GPUs of this machine. Allocation is not its business (the queue owns that); it says which GPUs exist
 * and which are busy with processes that are not ours.
 */
public interface GpuInventory extends AutoCloseable {

    /** The GPUs now, ordered by id; a fresh reading on every call. */
    List<GpuDevice> devices();

    /** One line for logs and the status view, e.g. "NVML: 2 GPUs (NVIDIA A100-SXM4-40GB)". */
    String describe();

    /** Releases native resources; the inventory is not used afterwards. */
    @Override
    default void close() {
    }
}
