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

/** Users and their tokens: who may submit, who may log in, who is an admin. */
public final class Accounts {
    private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);
    public static final String FIRST_ADMIN = "admin";

    private final UserStore users;
    private final Clock clock;

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

    /** Adds a user and returns its token. */
    public String add(String name, boolean admin) {
        String n = UserNames.normalize(name);
        String token = Tokens.newToken(n);
        users.put(new StoredUser(n, admin, Tokens.hash(token), false, clock.instant()));
        return token;
    }

    /** Replaces a user's token. */
    public String renewToken(StoredUser user) {
        String token = Tokens.newToken(user.name());
        users.put(user.withTokenHash(Tokens.hash(token)));
        return token;
    }

    public boolean remove(String name) {
        return users.remove(UserNames.normalize(name));
    }
}
