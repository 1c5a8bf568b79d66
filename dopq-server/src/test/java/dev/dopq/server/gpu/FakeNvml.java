package dev.dopq.server.gpu;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** NVML in Java: GPUs with fixed readings and compute processes, answering like libnvidia-ml does. */
final class FakeNvml implements NvmlLibrary {
    record Gpu(String uuid, String name, long used, long total, int utilization, int temperature, List<Long> pids) {
    }

    final List<Gpu> gpus = new ArrayList<>();
    int initResult = SUCCESS;
    int inits;
    int shutdowns;
    int processCalls;
    /** Memory NVML reports per process; a pid not listed reads as NVML_VALUE_NOT_AVAILABLE (-1 as a long). */
    final java.util.Map<Long, Long> processMemory = new java.util.HashMap<>();

    FakeNvml gpu(String uuid, String name, Long... pids) {
        gpus.add(new Gpu(uuid, name, 1_000, 16_000, 42, 55, List.of(pids)));
        return this;
    }

    private Gpu at(Pointer device) {
        return gpus.get((int) Pointer.nativeValue(device) - 1);
    }

    @Override
    public int nvmlInit_v2() {
        inits++;
        return initResult;
    }

    @Override
    public int nvmlShutdown() {
        shutdowns++;
        return SUCCESS;
    }

    @Override
    public String nvmlErrorString(int result) {
        return result == 9 ? "Driver Not Loaded" : "error " + result;
    }

    @Override
    public int nvmlDeviceGetCount_v2(IntByReference count) {
        count.setValue(gpus.size());
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device) {
        device.setValue(new Pointer(index + 1L));
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length) {
        return copy(at(device).uuid(), uuid);
    }

    @Override
    public int nvmlDeviceGetName(Pointer device, byte[] name, int length) {
        return copy(at(device).name(), name);
    }

    private static int copy(String value, byte[] buffer) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        buffer[bytes.length] = 0;
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory) {
        memory.total = at(device).total();
        memory.used = at(device).used();
        memory.free = memory.total - memory.used;
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization) {
        utilization.gpu = at(device).utilization();
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temperature) {
        temperature.setValue(at(device).temperature());
        return SUCCESS;
    }

    @Override
    public int nvmlDeviceGetComputeRunningProcesses_v3(Pointer device, IntByReference count, ProcessInfo[] infos) {
        processCalls++;
        List<Long> pids = at(device).pids();
        if (count.getValue() < pids.size()) {
            count.setValue(pids.size());
            return ERROR_INSUFFICIENT_SIZE;
        }
        for (int i = 0; i < pids.size(); i++) {
            infos[i].pid = pids.get(i).intValue();
            infos[i].usedGpuMemory = processMemory.getOrDefault(pids.get(i), -1L);
        }
        count.setValue(pids.size());
        return SUCCESS;
    }
}
