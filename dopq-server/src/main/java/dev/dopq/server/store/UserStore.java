package dev.dopq.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Known users with their hashed tokens. Names are stored lower case. */
public interface UserStore {

    /** A stored user. {@code tokenHash} is null until a token is made. */
    record StoredUser(String name, boolean admin, String tokenHash, boolean fromConfig, Instant createdAt) {
    }

    Optional<StoredUser> find(String name);

    List<StoredUser> all();

    /** Inserts or replaces a user. */
    void put(StoredUser user);

    boolean remove(String name);
}
