package dev.dopq.server.store;

import dev.dopq.server.core.PenaltySnapshot;

import java.time.Instant;
import java.util.Optional;

/**
 * The saved penalty snapshot: the penalties of every finished job that ended at or before an instant, so a start
 * replays only what ended after it instead of the whole history.
 * <p>
 * A snapshot is only as good as the history it was taken of. The store therefore keeps a <em>cover</em>: from
 * {@link #cover(Instant)} on, a job that had started and is recorded as ended at or before the covered instant (an
 * exit recorded late, a run found ended after a crash), or any deletion of finished jobs ({@code clear-history},
 * {@code keep_history}), breaks the cover and drops the saved snapshot in the same transaction. Until the first
 * {@code cover} every such write breaks it.
 */
public interface PenaltySnapshots {

    /**
     * A snapshot as saved.
     *
     * @param penalties   the policy's finished-job state
     * @param coveredUpTo every finished job that ended at or before this instant is in it, and no other
     * @param takenAt     when it was saved
     */
    record Saved(PenaltySnapshot penalties, Instant coveredUpTo, Instant takenAt) {
    }

    /** The saved snapshot, if one is saved and no write since broke it. */
    Optional<Saved> load();

    /**
     * Covers the history up to {@code upTo} from now on: jobs already recorded are what a replay read after this
     * call sees; later writes that change the history at or before {@code upTo} break the cover.
     *
     * @return whether the previous cover held (nothing broke it since the previous call)
     */
    boolean cover(Instant upTo);

    /**
     * Saves {@code snapshot} in place of the saved one, unless the cover broke since the last {@link #cover}.
     *
     * @return whether it was saved
     */
    boolean save(Saved snapshot);
}
