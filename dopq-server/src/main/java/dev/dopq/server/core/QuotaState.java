package dev.dopq.server.core;

import java.util.Map;

/**
 * What the scheduler needs to apply quotas: the limits, and each user's GPU-hours of the last 24 hours (finished
 * and running jobs, computed outside the core).
 *
 * @param quotas          the limits in force
 * @param gpuHoursLastDay user to GPU-hours used in the 24 hours before the decision (absent = 0)
 * @param blocked         queued job id to why it may not start yet for a reason decided outside the core (a
 *                        dependency that has not ended); such a job waits without holding GPUs
 */
public record QuotaState(Quotas quotas, Map<String, Double> gpuHoursLastDay, Map<Long, String> blocked) {
    /** No limits. */
    public static final QuotaState NONE = new QuotaState(Quotas.NONE, Map.of(), Map.of());

    public QuotaState {
        quotas = quotas == null ? Quotas.NONE : quotas;
        gpuHoursLastDay = Map.copyOf(gpuHoursLastDay == null ? Map.of() : gpuHoursLastDay);
        blocked = Map.copyOf(blocked == null ? Map.of() : blocked);
    }

    public QuotaState(Quotas quotas, Map<String, Double> gpuHoursLastDay) {
        this(quotas, gpuHoursLastDay, Map.of());
    }
}
