package dev.dopq.server.metrics;

import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.queue.QueueRunner;
import dev.dopq.server.service.Jobs;

import java.time.Clock;

/**
 * What the metrics read of the running server.
 *
 * @param hostname the {@code hostname} label of GPU series, as dcgm-exporter writes it (lower case)
 */
public record MetricsSources(Jobs jobs, QueueRunner queue, PenaltyPolicy penalties, Clock clock, String hostname) {
}
