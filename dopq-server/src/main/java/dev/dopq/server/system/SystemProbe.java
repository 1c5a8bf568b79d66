package dev.dopq.server.system;

import java.nio.file.Path;

/** Figures about this machine for the status view and intake checks. Calls never block for a measurement. */
public interface SystemProbe {

    /** CPU load of the whole machine, 0..1, over the time since the previous call (or since boot at first). */
    double cpuLoad();

    /** Physical memory, bytes. */
    long memoryTotal();

    /** Memory available to new processes without swapping, bytes. */
    long memoryAvailable();

    /** Bytes usable by us on the file system holding {@code path} (or its nearest existing parent); -1 if unknown. */
    long diskFree(Path path);

    /** Size of the file system holding {@code path} (or its nearest existing parent); -1 if unknown. */
    long diskTotal(Path path);
}
