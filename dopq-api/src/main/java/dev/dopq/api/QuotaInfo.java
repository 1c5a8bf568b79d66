package dev.dopq.api;

import java.io.Serializable;

/**
 * The quotas of one user (or, with user {@code "*"}, the default every user without their own gets), and what the
 * user uses of them now. A null cap means none.
 *
 * @param user              user name, or {@code "*"} for the default
 * @param maxGpus           GPUs the user's running jobs may hold at once
 * @param maxQueued         jobs the user may have waiting; a submission over it is refused
 * @param maxGpuHoursPerDay GPU-hours the user may use in any 24 hours; over it GPU jobs wait
 * @param gpusHeld          GPUs the user's running jobs hold now (0 for the default row)
 * @param waiting           the user's jobs received, building or queued (0 for the default row)
 * @param gpuHoursLastDay   GPU-hours the user used in the last 24 hours (0 for the default row)
 * @param source            where the caps come from: {@code config}, {@code run time} (dopq quota), both, or
 *                          {@code default}
 */
public record QuotaInfo(String user, Integer maxGpus, Integer maxQueued, Double maxGpuHoursPerDay, int gpusHeld,
                        int waiting, double gpuHoursLastDay, String source) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The user name of the default row. */
    public static final String DEFAULT_USER = "*";
}
