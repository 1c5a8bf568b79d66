package dev.dopq.server.core;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-user caps an admin sets: GPUs held at once, jobs waiting, GPU-hours in the last 24 hours. A default applies
 * to every user; a per-user limit replaces the default for that user, field by field. Immutable value.
 *
 * @param defaults the limits of users without their own
 * @param perUser  user (lower case) to that user's own limits; a null field falls back to the default
 */
public record Quotas(Limits defaults, Map<String, Limits> perUser) {
    /** No limits at all. */
    public static final Quotas NONE = new Quotas(Limits.NONE, Map.of());

    public Quotas {
        defaults = defaults == null ? Limits.NONE : defaults;
        perUser = java.util.Collections.unmodifiableMap(new TreeMap<>(perUser == null ? Map.of() : perUser));
    }

    /**
     * One set of caps; a null field is "no cap" (or, per user, "the default").
     *
     * @param maxGpus           GPUs the user's running jobs may hold at once
     * @param maxQueued         jobs the user may have waiting (received, building or queued); more are refused
     * @param maxGpuHoursPerDay GPU-hours the user may use in any 24 hours; over it GPU jobs wait
     */
    public record Limits(Integer maxGpus, Integer maxQueued, Double maxGpuHoursPerDay) {
        public static final Limits NONE = new Limits(null, null, null);

        public Limits {
            requireNotNegative(maxGpus, "maxGpus");
            requireNotNegative(maxQueued, "maxQueued");
            if (maxGpuHoursPerDay != null && !(maxGpuHoursPerDay >= 0)) {
                throw new IllegalArgumentException("maxGpuHoursPerDay must be 0 or more: " + maxGpuHoursPerDay);
            }
        }

        private static void requireNotNegative(Integer value, String name) {
            if (value != null && value < 0) {
                throw new IllegalArgumentException(name + " must be 0 or more: " + value);
            }
        }

        /** These limits with the fields left null here taken from {@code fallback}. */
        public Limits over(Limits fallback) {
            return new Limits(maxGpus != null ? maxGpus : fallback.maxGpus,
                    maxQueued != null ? maxQueued : fallback.maxQueued,
                    maxGpuHoursPerDay != null ? maxGpuHoursPerDay : fallback.maxGpuHoursPerDay);
        }

        public boolean isEmpty() {
            return maxGpus == null && maxQueued == null && maxGpuHoursPerDay == null;
        }
    }

    /** The limits that apply to {@code user}: their own where set, the default otherwise. */
    public Limits of(String user) {
        Limits own = perUser.get(user.toLowerCase(Locale.ROOT));
        return own == null ? defaults : own.over(defaults);
    }

    /** These quotas with {@code user}'s own limits replaced (dropped when {@code limits} is empty). */
    public Quotas withUser(String user, Limits limits) {
        Map<String, Limits> copy = new TreeMap<>(perUser);
        if (limits == null || limits.isEmpty()) {
            copy.remove(user.toLowerCase(Locale.ROOT));
        } else {
            copy.put(user.toLowerCase(Locale.ROOT), limits);
        }
        return new Quotas(defaults, copy);
    }

    /** These quotas with other defaults. */
    public Quotas withDefaults(Limits limits) {
        return new Quotas(limits, perUser);
    }

    /**
     * Why {@code user} may not add one more waiting job when {@code waiting} of theirs already wait, or null
     * when they may: "quota: ana has 20 of 20 jobs waiting".
     */
    public String queuedRefusal(String user, int waiting) {
        Integer max = of(user).maxQueued();
        if (max == null || waiting < max) {
            return null;
        }
        return "quota: " + user + " has " + waiting + " of " + max + " jobs waiting; wait until some start";
    }
}
