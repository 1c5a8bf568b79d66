package dev.dopq.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Known users with their hashed tokens. Names are stored lower case. */
public interface UserStore {

    /**
     * A stored user. {@code tokenHash} is null until a token is made; {@code email} is null when unknown;
     * {@code importedAt} is when the user was imported from DoPQ's user database (null: never).
     */
    record StoredUser(String name, boolean admin, String tokenHash, boolean fromConfig, Instant createdAt,
                      String email, Instant importedAt) {
        /** A user without e-mail that was not imported. */
        public StoredUser(String name, boolean admin, String tokenHash, boolean fromConfig, Instant createdAt) {
            this(name, admin, tokenHash, fromConfig, createdAt, null, null);
        }

        public StoredUser withTokenHash(String hash) {
            return new StoredUser(name, admin, hash, fromConfig, createdAt, email, importedAt);
        }

        public StoredUser withAdmin(boolean isAdmin) {
            return new StoredUser(name, isAdmin, tokenHash, fromConfig, createdAt, email, importedAt);
        }

        /** This user marked as imported from DoPQ at {@code at}, with DoPQ's e-mail when it had none. */
        public StoredUser imported(String dopqEmail, Instant at) {
            return new StoredUser(name, admin, tokenHash, fromConfig, createdAt, email != null ? email : dopqEmail, at);
        }
    }

    Optional<StoredUser> find(String name);

    List<StoredUser> all();

    /** Inserts or replaces a user. */
    void put(StoredUser user);

    boolean remove(String name);
}
