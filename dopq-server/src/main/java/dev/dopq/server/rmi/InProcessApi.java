package dev.dopq.server.rmi;

import dev.dopq.api.DopqSession;
import dev.dopq.server.store.UserStore;

import java.util.Map;
import java.util.Optional;

/**
 * The API for callers inside the server (the web dashboard): the same sessions, checks and answers as over RMI,
 * without exporting anything. A session is made for a user the caller has authenticated.
 */
public final class InProcessApi {
    private final Backend backend;
    private final ReadOperations reads;
    private final WriteOperations writes;
    private final QuotaOperations quotas;
    private final ArrayWrites arrays;

    public InProcessApi(Backend backend) {
        this.backend = backend;
        this.reads = new ReadOperations(backend);
        this.writes = new WriteOperations(backend, reads);
        this.quotas = new QuotaOperations(backend);
        this.arrays = new ArrayWrites(backend, reads, writes);
    }

    /** The user a token belongs to ({@code NAME.SECRET}), or empty when it matches no one. */
    public Optional<UserStore.StoredUser> authenticate(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String t = token.strip();
        int dot = t.indexOf('.');
        return dot <= 0 ? Optional.empty() : backend.accounts().authenticate(t.substring(0, dot), t);
    }

    /** A session acting as {@code user}, who must have been authenticated by the caller. */
    public DopqSession sessionOf(String user, boolean admin) {
        return new SessionImpl(new Caller(user, admin, false), reads, writes, quotas, arrays,
                new PendingUploads(backend.workDir().resolve("uploads")));
    }

    /** Why each queued job waits (job id to the one-line reason of the current decision). */
    public Map<Long, String> waiting() {
        return backend.queue().preview().waiting();
    }

    /** True while an admin has locked the queue. */
    public boolean locked() {
        return backend.queue().locked();
    }
}
