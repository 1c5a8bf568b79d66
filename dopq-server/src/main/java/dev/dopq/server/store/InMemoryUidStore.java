package dev.dopq.server.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** {@link UidStore} in memory, for unit tests. */
public final class InMemoryUidStore implements UidStore {
    private final Map<String, Long> uids = new HashMap<>();
    private final Set<Long> taken = new HashSet<>();

    @Override
    public synchronized OptionalLong find(String user) {
        Long uid = uids.get(user);
        return uid == null ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    @Override
    public synchronized long allocate(String user, long first, long last) {
        Long known = uids.get(user);
        if (known != null) {
            return known;
        }
        for (long uid = first; uid <= last; uid++) {
            if (taken.add(uid)) {
                uids.put(user, uid);
                return uid;
            }
        }
        throw new StoreException("every uid of " + first + "-" + last + " is taken");
    }
}
