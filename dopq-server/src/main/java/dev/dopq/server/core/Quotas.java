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
            if (maxGpuHoursPerDay != null && (maxGpuHoursPerDay.isNaN() || maxGpuHoursPerDay < 0)) {
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

    /** A GPU or job cap meaning "no cap", set for one user to lift the default. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** The three caps, by their config.ini / {@code dopq quota} key. */
    public enum Field {
        MAX_GPUS("max_gpus"), MAX_QUEUED("max_queued"), MAX_GPU_HOURS_PER_DAY("max_gpu_hours_per_day");

        private final String key;

        Field(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The field named {@code key}, if any. */
        public static java.util.Optional<Field> ofKey(String key) {
            for (Field f : values()) {
                if (f.key.equals(key)) {
                    return java.util.Optional.of(f);
                }
            }
            return java.util.Optional.empty();
        }

        /**
         * Parses a value of this field: {@code none} (no cap) or a whole number (a decimal for GPU-hours), 0 or
         * more. Returns {@link #UNLIMITED} / infinity for none, null when the text is not a value.
         */
        public Number parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("none") || t.equals("unlimited")) {
                return this == MAX_GPU_HOURS_PER_DAY ? (Number) Double.POSITIVE_INFINITY : (Number) UNLIMITED;
            }
            try {
                if (this == MAX_GPU_HOURS_PER_DAY) {
                    double d = Double.parseDouble(t);
                    return Double.isFinite(d) && d >= 0 ? d : null;
                }
                int n = Integer.parseInt(t);
                return n >= 0 ? n : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** What {@link #parse} accepts, for error messages. */
        public String allowed() {
            return this == MAX_GPU_HOURS_PER_DAY ? "none or a number of hours like 48 or 12.5"
                    : "none or a whole number, 0 or more";
        }

        /** {@code limits} with this field set to {@code value} (null = unset, i.e. fall back). */
        public Limits with(Limits limits, Number value) {
            return switch (this) {
                case MAX_GPUS -> new Limits(value == null ? null : value.intValue(), limits.maxQueued(),
                        limits.maxGpuHoursPerDay());
                case MAX_QUEUED -> new Limits(limits.maxGpus(), value == null ? null : value.intValue(),
                        limits.maxGpuHoursPerDay());
                case MAX_GPU_HOURS_PER_DAY -> new Limits(limits.maxGpus(), limits.maxQueued(),
                        value == null ? null : value.doubleValue());
            };
        }

        /** This field's value in {@code limits}, or null. */
        public Number of(Limits limits) {
            return switch (this) {
                case MAX_GPUS -> limits.maxGpus();
                case MAX_QUEUED -> limits.maxQueued();
                case MAX_GPU_HOURS_PER_DAY -> limits.maxGpuHoursPerDay();
            };
        }

        /** A value as users write it: "none" for no cap. */
        public static String show(Number value) {
            if (value == null || value.doubleValue() >= UNLIMITED) {
                return "none";
            }
            double d = value.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
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
        return queuedRefusal(user, waiting, 1);
    }

    /** Why {@code user} may not add {@code adding} waiting jobs (an array) to {@code waiting}, or null. */
    public String queuedRefusal(String user, int waiting, int adding) {
        Integer max = of(user).maxQueued();
        if (max == null || max == UNLIMITED || (long) waiting + adding <= max) {
            return null;
        }
        return "quota: " + user + " has " + waiting + " of " + max + " jobs waiting"
                + (adding > 1 ? " and this array adds " + adding : "") + "; wait until some start";
    }
}
