package dev.dopq.server.metrics;

import dev.dopq.server.core.Decision;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.gpu.GpuDevice;
import dev.dopq.server.queue.QueueRunner;
import dev.dopq.server.service.Jobs;

import java.time.Clock;
import java.util.List;

/**
 * What the metrics read of the running server.
 *
 * @param hostname the {@code hostname} label of GPU series, as dcgm-exporter writes it (lower case)
 */
public record MetricsSources(Jobs jobs, QueueView queue, PenaltyPolicy penalties, Clock clock, String hostname) {

    /** What the metrics read of the queue runner. */
    public interface QueueView {
        boolean locked();

        /** The current decision (may be computed; cached briefly by the runner). */
        Decision preview();

        /** The decision of the last scheduling pass. */
        Decision lastDecision();

        /** The GPUs as last seen. */
        List<GpuDevice> lastDevices();
    }

    /** The queue runner as the metrics see it. */
    public static QueueView of(QueueRunner runner) {
        return new QueueView() {
            @Override
            public boolean locked() {
                return runner.locked();
            }

            @Override
            public Decision preview() {
                return runner.preview();
            }

            @Override
            public Decision lastDecision() {
                return runner.lastDecision();
            }

            @Override
            public List<GpuDevice> lastDevices() {
                return runner.lastDevices();
            }
        };
    }
}
