package dev.dopq.server.core;

import java.util.Map;

/**
 * What the scheduler needs to apply quotas: the limits, and each user's GPU-hours of the last 24 hours (finished
 * and running jobs, computed outside the core).
 *
 * @param quotas          the limits in force
 * @param gpuHoursLastDay user to GPU-hours used in the 24 hours before the decision (absent = 0)
 */
public record QuotaState(Quotas quotas, Map<String, Double> gpuHoursLastDay) {
    /** No limits. */
    public static final QuotaState NONE = new QuotaState(Quotas.NONE, Map.of());

    public QuotaState {
        quotas = quotas == null ? Quotas.NONE : quotas;
        gpuHoursLastDay = Map.copyOf(gpuHoursLastDay == null ? Map.of() : gpuHoursLastDay);
    }
}
