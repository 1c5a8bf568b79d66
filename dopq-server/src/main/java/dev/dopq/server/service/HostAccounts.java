package dev.dopq.server.service;

import dev.dopq.container.ContainerUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts of this machine ({@code /etc/passwd}): a lab user who has a login here gets the files their jobs
 * write owned by that login. Root's entries (uid or gid 0) never count.
 */
public final class HostAccounts {
    private static final Logger LOG = LoggerFactory.getLogger(HostAccounts.class);
    /** The system's own file. */
    public static final Path PASSWD = Path.of("/etc/passwd");

    private final Map<String, ContainerUser> byName;

    private HostAccounts(Map<String, ContainerUser> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** No accounts: every user gets a uid from the range. */
    public static HostAccounts none() {
        return new HostAccounts(Map.of());
    }

    /** Reads a passwd file; a missing or unreadable file means no accounts (logged). */
    public static HostAccounts read(Path passwd) {
        try {
            return parse(Files.readAllLines(passwd, StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}); users get uids from [docker] uid_range", passwd, e.toString());
            return none();
        }
    }

    /** Parses passwd lines ({@code name:x:uid:gid:...}); malformed and root lines are skipped. */
    static HostAccounts parse(List<String> lines) {
        Map<String, ContainerUser> accounts = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || f[0].isEmpty()) {
                continue;
            }
            ContainerUser ids = ContainerUser.parse(f[2] + ":" + f[3], 0);
            if (ids != null && !ids.root()) {
                accounts.putIfAbsent(f[0], ids);
            }
        }
        return new HostAccounts(accounts);
    }

    /** The uid:gid of the account named {@code user}, if this machine has one. */
    public Optional<ContainerUser> find(String user) {
        return Optional.ofNullable(byName.get(user));
    }
}
