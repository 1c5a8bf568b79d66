package dev.dopq.server.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * The highest priority each user may give their own jobs in the zip ({@code "priority"}); admins set any priority
 * from {@link Job#MIN_PRIORITY} to {@link Job#MAX_PRIORITY} with {@code dopq priority}. Negative priorities (behind
 * the fair-share order) are always allowed. Immutable value.
 *
 * @param defaultMax the maximum of users without their own ({@code [users] max_priority}, 0)
 * @param perUser    user (lower case) to that user's own maximum ({@code max_priority.ana = 10})
 */
public record PriorityLimits(int defaultMax, Map<String, Integer> perUser) {
    /** Nobody may raise their own jobs. */
    public static final PriorityLimits NONE = new PriorityLimits(0, Map.of());

    public PriorityLimits {
        perUser = java.util.Collections.unmodifiableMap(new TreeMap<>(perUser == null ? Map.of() : perUser));
    }

    /** The highest priority {@code user} may ask for in a zip. */
    public int maxOf(String user) {
        return perUser.getOrDefault(user, defaultMax);
    }

    /**
     * Why {@code user} may not give a job {@code priority}, or null when they may: a priority above their maximum
     * is refused (with the maximum in the reason), anything up to it is accepted.
     */
    public String refusal(String user, int priority) {
        int max = maxOf(user);
        if (priority <= max) {
            return null;
        }
        return "priority " + priority + " is above what " + user + " may ask for (max_priority " + max
                + "); ask an admin to raise it with dopq priority";
    }
}
