package dev.dopq.server.store;

import java.util.OptionalLong;

/**
 * The host uid each user's jobs run as when neither the config nor the host's accounts name one: taken once from
 * the admin's range and kept, so files a user's jobs wrote stay that user's across restarts and config edits.
 */
public interface UidStore {

    /** The uid stored for {@code user}, if any. */
    OptionalLong find(String user);

    /**
     * The uid stored for {@code user}, or the lowest uid of {@code first..last} that no user has, stored for it.
     *
     * @throws StoreException when every uid of the range is taken
     */
    long allocate(String user, long first, long last);
}
