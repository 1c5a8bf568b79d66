package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * What the server is doing.
 *
 * @param locked        true when starting new jobs is paused
 * @param queued        number of QUEUED jobs
 * @param running       number of RUNNING jobs
 * @param building      number of RECEIVED or BUILDING jobs
 * @param startedAt     when the server started
 * @param intake        null when intake works, else why zips wait in the inbox (e.g. low disk)
 * @param cpuLoad       host CPU load 0..1, or -1 when unknown
 * @param memoryTotal   host memory in bytes, or -1
 * @param memoryAvailable host memory available in bytes, or -1
 * @param diskFree      free bytes of the work dir's file system, or -1
 * @param gpus          every GPU of the inventory
 * @param liveRestore   whether the container engine keeps jobs running across its own restarts (live-restore);
 *                      null while the engine has not said
 */
public record SystemStatus(
        boolean locked,
        int queued,
        int running,
        int building,
        Instant startedAt,
        String intake,
        double cpuLoad,
        long memoryTotal,
        long memoryAvailable,
        long diskFree,
        List<GpuView> gpus,
        Boolean liveRestore) implements Serializable {

    private static final long serialVersionUID = 1L;

    public SystemStatus {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
