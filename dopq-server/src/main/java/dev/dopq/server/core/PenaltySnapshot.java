package dev.dopq.server.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PenaltyPolicy} holds from finished jobs (running jobs excluded), as a value: enough to restore an
 * equal policy without replaying the history behind it.
 *
 * @param policy   the policy and its parameters (e.g. {@code usage half_life=86400.0 cpu_weight=0.5}); a snapshot
 *                 restores only into a policy with the same description, since changed parameters change every value
 * @param finishes finished jobs counted so far (the {@code dopq} policy's clock; 0 for {@code usage})
 * @param users    one entry per user the policy knows
 */
public record PenaltySnapshot(String policy, long finishes, List<UserPenalty> users) {

    public PenaltySnapshot {
        Objects.requireNonNull(policy, "policy");
        users = List.copyOf(users);
    }

    /**
     * One user's stored penalty.
     *
     * @param value      the value as of {@code asOf} (usage) or as of finish number {@code asOfFinish} (dopq)
     * @param asOf       when the value was last brought up to date (usage; null for dopq)
     * @param asOfFinish the finish count the value was last brought up to date at (dopq; 0 for usage)
     */
    public record UserPenalty(String user, double value, Instant asOf, long asOfFinish) {
        public UserPenalty {
            Objects.requireNonNull(user, "user");
        }
    }
}
