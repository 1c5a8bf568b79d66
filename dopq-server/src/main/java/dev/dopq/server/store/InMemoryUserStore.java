package dev.dopq.server.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link UserStore} in memory, for unit tests of code that uses users. */
public final class InMemoryUserStore implements UserStore {
    private final Map<String, StoredUser> users = new ConcurrentSkipListMap<>();

    @Override
    public Optional<StoredUser> find(String name) {
        return Optional.ofNullable(users.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<StoredUser> all() {
        return List.copyOf(users.values());
    }

    @Override
    public void put(StoredUser user) {
        StoredUser u = lowerCased(user);
        users.put(u.name(), u);
    }

    @Override
    public boolean remove(String name) {
        return users.remove(name.toLowerCase(Locale.ROOT)) != null;
    }

    static StoredUser lowerCased(StoredUser u) {
        return new StoredUser(u.name().toLowerCase(Locale.ROOT), u.admin(), u.tokenHash(), u.fromConfig(),
                u.createdAt(), u.email(), u.importedAt());
    }
}
