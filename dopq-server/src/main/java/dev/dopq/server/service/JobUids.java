package dev.dopq.server.service;

import dev.dopq.container.ContainerUser;
import dev.dopq.docker.EngineSecurity;
import dev.dopq.server.core.DopqException;
import dev.dopq.server.store.UidStore;

import java.util.Map;

/**
 * Which uid a user's jobs run as, so that no job process is root on the host and everything a job writes through
 * a mount belongs to its user: the uid the admin gave the user ({@code [users] uids}), else the user's account on
 * this machine, else one taken once from {@code [docker] uid_range} and kept. A job may ask for another uid
 * ({@code run_params.user}), never root's, unless the engine remaps container users (userns-remap).
 */
public final class JobUids {
    private final Map<String, ContainerUser> configured;
    private final HostAccounts accounts;
    private final UidStore store;
    private final long first;
    private final long last;
    private final EngineSecurity engine;

    public JobUids(Map<String, ContainerUser> configured, HostAccounts accounts, UidStore store, long first,
                   long last, EngineSecurity engine) {
        this.configured = Map.copyOf(configured);
        this.accounts = accounts;
        this.store = store;
        this.first = first;
        this.last = last;
        this.engine = engine;
    }

    /** The engine these uids are for. */
    public EngineSecurity engine() {
        return engine;
    }

    /** The uid:gid {@code user}'s jobs run as unless they ask otherwise; never root. */
    public ContainerUser owner(String user) {
        ContainerUser given = configured.get(user);
        if (given != null) {
            return given;
        }
        return accounts.find(user).orElseGet(() -> {
            long uid = store.allocate(user, first, last);
            return new ContainerUser(uid, uid);
        });
    }

    /**
     * What a job of {@code user} runs as, as the engine takes it ({@code uid:gid}, or a name where the engine
     * remaps users), given the job's {@code run_params.user} ({@code null} = none).
     *
     * @throws RunAsRefusedException when the job asks for root (or a name) on an engine that does not remap users
     */
    public String runAs(String user, String requested) {
        ContainerUser owner = owner(user);
        if (requested == null || requested.isBlank()) {
            return owner.toString();
        }
        ContainerUser asked = ContainerUser.parse(requested, owner.gid());
        if (engine.remapped()) {
            return asked == null ? requested : asked.toString();
        }
        if (asked == null || asked.root() || ContainerUser.namesRoot(requested)) {
            throw new RunAsRefusedException("run_params user \"" + requested + "\" is not allowed: jobs never run as"
                    + " root (or as a name the image could map to root) on this machine");
        }
        return asked.toString();
    }

    /** A job asked to run as a user it may not. */
    public static final class RunAsRefusedException extends DopqException {
        private static final long serialVersionUID = 1L;

        public RunAsRefusedException(String message) {
            super(message);
        }
    }
}
