package dev.dopq.server.rmi;

import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.queue.QueueRunner;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.Submissions;
import dev.dopq.server.system.SystemProbe;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * What the API needs of the running server.
 *
 * @param shutdown  called with {@code stopRunning} and the admin's name to stop the server (asynchronously)
 * @param execution where jobs run (for the nodes view)
 */
public record Backend(Jobs jobs, QueueRunner queue, Submissions provider, Accounts accounts, PenaltyPolicy penalties,
                      SystemProbe system, Path workDir, Clock clock, Instant startedAt, Shutdown shutdown,
                      boolean anonymousRead, ExecutionBackend execution) {

    /** Stops the server. */
    @FunctionalInterface
    public interface Shutdown {
        void request(boolean stopRunning, String by);
    }
}
