package dev.dopq.server.gpu;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * GPUs read through NVML ({@code libnvidia-ml}, via JNA). The library is loaded on {@link #open()} (or the first
 * {@link #devices()}), never when the class is merely referenced. A GPU is {@link GpuDevice#foreignBusy()} when a
 * compute process whose host pid is not one of ours runs on it (and foreign processes are respected).
 */
public final class NvmlGpuInventory implements GpuInventory {
    private static final Logger LOG = LoggerFactory.getLogger(NvmlGpuInventory.class);
    /** Processes can appear between the size query and the read: ask for a few more, retry a few times. */
    private static final int PROCESS_SLACK = 8;
    private static final int PROCESS_TRIES = 3;

    private final Supplier<NvmlLibrary> loader;
    private final boolean respectForeign;
    private final LongPredicate isOurPid;
    private NvmlLibrary nvml;
    private boolean closed;

    /**
     * @param respectForeign when true, a GPU used by a process that is not ours counts as busy
     * @param isOurPid       tells whether a host pid belongs to one of our containers
     */
    public NvmlGpuInventory(boolean respectForeign, LongPredicate isOurPid) {
        this(() -> Native.load("nvidia-ml", NvmlLibrary.class), respectForeign, isOurPid);
    }

    NvmlGpuInventory(Supplier<NvmlLibrary> loader, boolean respectForeign, LongPredicate isOurPid) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.respectForeign = respectForeign;
        this.isOurPid = Objects.requireNonNull(isOurPid, "isOurPid");
    }

    /**
     * Loads and initialises NVML (idempotent).
     *
     * @throws UnsatisfiedLinkError when libnvidia-ml cannot be loaded
     * @throws NvmlException        when {@code nvmlInit_v2} fails (e.g. driver/library mismatch)
     */
    public synchronized NvmlGpuInventory open() {
        if (closed) {
            throw new IllegalStateException("NVML inventory is closed");
        }
        if (nvml == null) {
            NvmlLibrary lib = loader.get();
            check(lib, "nvmlInit_v2", lib.nvmlInit_v2());
            nvml = lib;
        }
        return this;
    }

    @Override
    public synchronized List<GpuDevice> devices() {
        open();
        IntByReference count = new IntByReference();
        check(nvml, "nvmlDeviceGetCount_v2", nvml.nvmlDeviceGetCount_v2(count));
        List<GpuDevice> devices = new ArrayList<>();
        for (int i = 0; i < count.getValue(); i++) {
            devices.add(device(i));
        }
        return devices;
    }

    @Override
    public String describe() {
        try {
            List<GpuDevice> devices = devices();
            List<String> names = devices.stream().map(GpuDevice::name).distinct().toList();
            return "NVML: " + devices.size() + (devices.size() == 1 ? " GPU" : " GPUs")
                    + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
        } catch (RuntimeException | LinkageError e) {
            return "NVML: unavailable (" + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (nvml != null && !closed) {
            int rc = nvml.nvmlShutdown();
            if (rc != NvmlLibrary.SUCCESS) {
                LOG.warn("nvmlShutdown returned {}", rc);
            }
        }
        closed = true;
    }

    /** One GPU; a GPU NVML cannot even give a handle for is reported busy so nothing is placed on it. */
    private GpuDevice device(int index) {
        String id = Integer.toString(index);
        PointerByReference ref = new PointerByReference();
        int rc = nvml.nvmlDeviceGetHandleByIndex_v2(index, ref);
        if (rc != NvmlLibrary.SUCCESS) {
            String why = nvml.nvmlErrorString(rc);
            LOG.warn("NVML cannot open GPU {}: {} (code {}); treating it as busy", index, why, rc);
            return new GpuDevice(id, null, "unavailable: " + why, true, -1, -1, -1, -1);
        }
        Pointer handle = ref.getValue();
        NvmlLibrary.Memory memory = new NvmlLibrary.Memory();
        boolean hasMemory = nvml.nvmlDeviceGetMemoryInfo(handle, memory) == NvmlLibrary.SUCCESS;
        NvmlLibrary.Utilization utilization = new NvmlLibrary.Utilization();
        boolean hasUtilization = nvml.nvmlDeviceGetUtilizationRates(handle, utilization) == NvmlLibrary.SUCCESS;
        IntByReference temperature = new IntByReference(-1);
        boolean hasTemperature = nvml.nvmlDeviceGetTemperature(handle, NvmlLibrary.TEMPERATURE_GPU, temperature)
                == NvmlLibrary.SUCCESS;
        long foreign = respectForeign ? foreignMemory(index, handle) : 0;
        return new GpuDevice(id, text(handle, true), nameOr(handle, id), respectForeign && foreign != 0,
                hasUtilization ? utilization.gpu : -1,
                hasMemory ? memory.used : -1,
                hasMemory ? memory.total : -1,
                hasTemperature ? temperature.getValue() : -1,
                Math.max(0, foreign));
    }

    private String nameOr(Pointer handle, String id) {
        String name = text(handle, false);
        return name != null ? name : "GPU " + id;
    }

    private String text(Pointer handle, boolean uuid) {
        byte[] buffer = new byte[NvmlLibrary.STRING_BUFFER];
        int rc = uuid ? nvml.nvmlDeviceGetUUID(handle, buffer, buffer.length)
                : nvml.nvmlDeviceGetName(handle, buffer, buffer.length);
        return rc == NvmlLibrary.SUCCESS ? Native.toString(buffer) : null;
    }

    /**
     * Bytes that compute processes not ours use on the GPU: 0 when none runs, -1 when one runs but NVML does not
     * say how much (the GPU is then busy but takes nothing from the memory jobs may share), and when the process
     * list cannot be read (busy, treated as all used).
     */
    private long foreignMemory(int index, Pointer handle) {
        IntByReference count = new IntByReference(0);
        int rc = nvml.nvmlDeviceGetComputeRunningProcesses_v3(handle, count, null);
        for (int attempt = 0; attempt < PROCESS_TRIES && rc == NvmlLibrary.ERROR_INSUFFICIENT_SIZE; attempt++) {
            NvmlLibrary.ProcessInfo[] infos = (NvmlLibrary.ProcessInfo[])
                    new NvmlLibrary.ProcessInfo().toArray(count.getValue() + PROCESS_SLACK);
            count.setValue(infos.length);
            rc = nvml.nvmlDeviceGetComputeRunningProcesses_v3(handle, count, infos);
            if (rc == NvmlLibrary.SUCCESS) {
                return foreignUse(infos, count.getValue());
            }
        }
        if (rc == NvmlLibrary.SUCCESS || rc == NvmlLibrary.ERROR_NOT_SUPPORTED) {
            // SUCCESS on the size query means no process at all.
            return 0;
        }
        LOG.warn("NVML cannot list processes on GPU {}: {} (code {}); treating it as busy", index,
                nvml.nvmlErrorString(rc), rc);
        return Long.MAX_VALUE;
    }

    /** Sum of the foreign processes' memory; -1 when there are some but NVML gives no number for them. */
    private long foreignUse(NvmlLibrary.ProcessInfo[] infos, int count) {
        boolean any = false;
        long bytes = 0;
        for (int i = 0; i < Math.min(count, infos.length); i++) {
            long pid = Integer.toUnsignedLong(infos[i].pid);
            if (!isOurPid.test(pid)) {
                any = true;
                // NVML_VALUE_NOT_AVAILABLE (unsigned long long -1) reads as a negative number here
                bytes += Math.max(0, infos[i].usedGpuMemory);
            }
        }
        return !any ? 0 : bytes > 0 ? bytes : -1;
    }

    private static void check(NvmlLibrary lib, String call, int rc) {
        if (rc != NvmlLibrary.SUCCESS) {
            throw new NvmlException(call, rc, lib.nvmlErrorString(rc));
        }
    }
}
