package dev.dopq.server.service;

import dev.dopq.server.store.UserStore;
import dev.dopq.server.store.UserStore.StoredUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Users and their tokens: who may submit, who may log in, who is an admin. */
public final class Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
    public static final String FIRST_ADMIN = "admin";

    private final UserStore users;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** What changed about a user. */
    public enum Change {
        /** A user was added (or added again). */
        ADDED,
        /** The user's token was replaced: sessions opened with the old one must end. */
        TOKEN_REPLACED,
        /** The user's admin right was taken away: sessions opened with it must end. */
        ADMIN_REVOKED,
        /** The user was removed. */
        REMOVED
    }

    /** Told after a change to a user is stored. */
    @FunctionalInterface
    public interface Listener {
        void changed(String user, Change change);
    }

    private final java.util.Set<String> configAdmins = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Accounts(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /**
     * Makes sure config-listed users exist and an admin with a token exists. On the first start the admin's
     * token is written to {@code tokenFile} (owner-only permissions) and the path is logged.
     */
    public void bootstrap(List<String> configUsers, List<String> configAdmins, Path tokenFile) throws IOException {
        for (String name : configUsers) {
            String n = UserNames.normalize(name);
            if (users.find(n).isEmpty()) {
                users.put(new StoredUser(n, false, null, true, clock.instant()));
            }
        }
        for (String name : configAdmins) {
            String n = UserNames.normalize(name);
            this.configAdmins.add(n);
            StoredUser u = users.find(n).orElse(new StoredUser(n, true, null, true, clock.instant()));
            if (!u.admin()) {
                u = u.withAdmin(true);
            }
            users.put(u);
        }
        boolean adminWithToken = users.all().stream().anyMatch(u -> u.admin() && u.tokenHash() != null);
        if (!adminWithToken) {
            String token = Tokens.newToken(FIRST_ADMIN);
            users.put(new StoredUser(FIRST_ADMIN, true, Tokens.hash(token), false, clock.instant()));
            writeOwnerOnly(tokenFile, token + "\n");
            LOG.info("created user '{}' (admin); its token is in {} (readable only by this user)", FIRST_ADMIN,
                    tokenFile.toAbsolutePath());
        }
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private void tell(String user, Change change) {
        for (Listener l : listeners) {
            try {
                l.changed(user, change);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on {} of user {}: {}", change, user, e.toString());
            }
        }
    }

    /** The user if the token is theirs. */
    public Optional<StoredUser> authenticate(String user, String token) {
        if (!UserNames.isValid(user) || token == null) {
            return Optional.empty();
        }
        return users.find(UserNames.normalize(user)).filter(u -> Tokens.matches(token, u.tokenHash()));
    }

    /** True when zips of this user are accepted. */
    public boolean mayRun(String user) {
        return UserNames.isValid(user) && users.find(UserNames.normalize(user)).isPresent();
    }

    public Optional<StoredUser> find(String user) {
        return UserNames.isValid(user) ? users.find(UserNames.normalize(user)) : Optional.empty();
    }

    public List<StoredUser> all() {
        return users.all();
    }

    /** Adds a user (or gives a config-listed one a token) and returns its token. */
    public String add(String name, boolean admin) {
        String n = UserNames.normalize(name);
        Optional<StoredUser> before = users.find(n);
        String token = Tokens.newToken(n);
        users.put(new StoredUser(n, admin, Tokens.hash(token), false, clock.instant()));
        if (before.isPresent() && before.get().tokenHash() != null) {
            tell(n, Change.TOKEN_REPLACED);
        }
        if (before.isPresent() && before.get().admin() && !admin) {
            tell(n, Change.ADMIN_REVOKED);
        }
        tell(n, Change.ADDED);
        return token;
    }

    /** Grants or takes away the admin right; taking it away ends the user's sessions (they were opened as admin). */
    public void setAdmin(StoredUser user, boolean admin) {
        users.put(user.withAdmin(admin));
        if (user.admin() && !admin) {
            tell(user.name(), Change.ADMIN_REVOKED);
        }
    }

    /** Whether config.ini's {@code [users] admins} names the user: such a right is given back at every start. */
    public boolean adminByConfig(String name) {
        return UserNames.isValid(name) && configAdmins.contains(UserNames.normalize(name));
    }

    /** Replaces a user's token; every session opened with the old one ends. */
    public String renewToken(StoredUser user) {
        String token = Tokens.newToken(user.name());
        users.put(user.withTokenHash(Tokens.hash(token)));
        tell(user.name(), Change.TOKEN_REPLACED);
        return token;
    }

    /** Removes a user; its sessions end. */
    public boolean remove(String name) {
        String n = UserNames.normalize(name);
        boolean removed = users.remove(n);
        if (removed) {
            tell(n, Change.REMOVED);
        }
        return removed;
    }
}
