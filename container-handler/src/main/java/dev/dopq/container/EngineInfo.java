package dev.dopq.container;

import java.time.Instant;
import java.util.Set;

/**
 * What the engine says about itself ({@code docker info}).
 *
 * @param runtimes    names of the container runtimes it offers ({@code runc}, {@code nvidia}, ...)
 * @param liveRestore whether containers keep running while the engine daemon restarts
 * @param systemTime  the engine's clock when it answered, or null when it did not say
 */
public record EngineInfo(Set<String> runtimes, boolean liveRestore, Instant systemTime) {

    public EngineInfo {
        runtimes = runtimes == null ? Set.of() : Set.copyOf(runtimes);
    }

    /** Whether the engine can hand GPUs to containers through the NVIDIA runtime. */
    public boolean nvidiaRuntime() {
        return runtimes.contains("nvidia");
    }
}
