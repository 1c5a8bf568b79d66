package dev.dopq.server.gpu;

import dev.dopq.server.core.DopqException;

/** An NVML call failed; carries NVML's return code. */
public class NvmlException extends DopqException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public NvmlException(String call, int code, String nvmlMessage) {
        super(call + " failed: " + nvmlMessage + " (NVML code " + code + ")");
        this.code = code;
    }

    public int code() {
        return code;
    }
}
