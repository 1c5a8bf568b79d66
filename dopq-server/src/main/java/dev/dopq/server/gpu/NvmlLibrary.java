package dev.dopq.server.gpu;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few functions of {@code libnvidia-ml} we need, mapped with JNA. Every function returns an
 * {@code nvmlReturn_t} (0 = success). Device handles ({@code nvmlDevice_t}) are opaque pointers.
 * Only loaded when an NVML inventory is opened.
 */
interface NvmlLibrary extends Library {
    int SUCCESS = 0;
    int ERROR_NOT_SUPPORTED = 3;
    int ERROR_INSUFFICIENT_SIZE = 7;
    int TEMPERATURE_GPU = 0;
    /** NVML_DEVICE_UUID_V2_BUFFER_SIZE and NVML_DEVICE_NAME_V2_BUFFER_SIZE. */
    int STRING_BUFFER = 96;

    int nvmlInit_v2();

    int nvmlShutdown();

    String nvmlErrorString(int result);

    int nvmlDeviceGetCount_v2(IntByReference count);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temperature);

    /** {@code infos} may be null with {@code count} 0 to ask how many there are. */
    int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference count, ProcessInfo[] infos);

    /** {@code nvmlMemory_t}: bytes. */
    @Structure.FieldOrder({"total", "free", "used"})
    class Memory extends Structure {
        public long total;
        public long free;
        public long used;
    }

    /** {@code nvmlUtilization_t}: percent. */
    @Structure.FieldOrder({"gpu", "memory"})
    class Utilization extends Structure {
        public int gpu;
        public int memory;
    }

    /** {@code nvmlProcessInfo_t} as taken by the _v3 call (a.k.a. nvmlProcessInfo_v2_t); pid is a host pid. */
    @Structure.FieldOrder({"pid", "usedGpuMemory", "gpuInstanceId", "computeInstanceId"})
    class ProcessInfo extends Structure {
        public int pid;
        public long usedGpuMemory;
        public int gpuInstanceId;
        public int computeInstanceId;
    }
}
