package dev.dopq.server.rmi;

import dev.dopq.server.backend.ExecutionBackend;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.queue.QueueRunner;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.QuotaBook;
import dev.dopq.server.service.RecentGpuUsage;
import dev.dopq.server.service.NotifyTargets;
import dev.dopq.server.store.InMemorySettingsStore;
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
 * @param calls     told how long each API call took (for the metrics)
 * @param notifyTargets each user's notification targets
 */
public record Backend(Jobs jobs, QueueRunner queue, Submissions provider, Accounts accounts, PenaltyPolicy penalties,
                      SystemProbe system, Path workDir, Clock clock, Instant startedAt, Shutdown shutdown,
                      boolean anonymousRead, ExecutionBackend execution, CallTimer calls,
                      NotifyTargets notifyTargets, QuotaBook quotas, RecentGpuUsage usage) {

    /** A backend whose call durations go nowhere and whose users have no notification targets of their own. */
    public Backend(Jobs jobs, QueueRunner queue, Submissions provider, Accounts accounts, PenaltyPolicy penalties,
                   SystemProbe system, Path workDir, Clock clock, Instant startedAt, Shutdown shutdown,
                   boolean anonymousRead, ExecutionBackend execution) {
        this(jobs, queue, provider, accounts, penalties, system, workDir, clock, startedAt, shutdown, anonymousRead,
                execution, (method, nanos) -> { }, new NotifyTargets(new InMemorySettingsStore()),
                new QuotaBook(dev.dopq.server.core.Quotas.NONE, new InMemorySettingsStore()), new RecentGpuUsage(clock));
    }

    /** Told the duration of each API call. */
    @FunctionalInterface
    public interface CallTimer {
        void took(String method, long nanos);
    }

    /** Stops the server. */
    @FunctionalInterface
    public interface Shutdown {
        void request(boolean stopRunning, String by);
    }
}
