package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.server.store.UserStore.StoredUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.rmi.RemoteException;
import java.util.Optional;

/** Checks tokens and hands out per-caller sessions. */
final class LoginImpl implements DopqLogin {
    private static final Logger LOG = LoggerFactory.getLogger(LoginImpl.class);

    private final Backend backend;
    private final Sessions sessions;
    private final ReadOperations reads;
    private final WriteOperations writes;
    private final QuotaOperations quotas;
    private final ArrayWrites arrays;

    LoginImpl(Backend backend, Sessions sessions) {
        this.backend = backend;
        this.sessions = sessions;
        this.reads = new ReadOperations(backend);
        this.writes = new WriteOperations(backend, reads);
        this.quotas = new QuotaOperations(backend);
        this.arrays = new ArrayWrites(backend, reads, writes);
    }

    @Override
    public DopqSession login(String user, String token) throws RemoteException, ApiException {
        if (user == null || token == null || user.length() > ApiLimits.MAX_NAME
                || token.length() > ApiLimits.MAX_TOKEN) {
            throw new PermissionDeniedException("unknown user or wrong token");
        }
        Optional<StoredUser> u = authenticate(user, token);
        if (u.isEmpty()) {
            LOG.info("refused a login as \"{}\" (unknown user or wrong token)", Checks.shorten(user));
            throw new PermissionDeniedException("unknown user or wrong token");
        }
        return sessions.open(new SessionImpl(new Caller(u.get().name(), u.get().admin(), false), reads, writes,
                quotas, arrays, uploads()));
    }

    /** Server classes must not cross the wire: the client could not read them (nor should it see them). */
    private Optional<StoredUser> authenticate(String user, String token) throws ApiException {
        try {
            return backend.accounts().authenticate(user, token);
        } catch (RuntimeException e) {
            LOG.error("login of \"{}\" failed on the server", Checks.shorten(user), e);
            throw new ApiException("login failed on the server: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public DopqSession anonymous() throws RemoteException, PermissionDeniedException {
        if (!backend.anonymousRead()) {
            throw new PermissionDeniedException("this server needs a token (anonymous reading is off); give one with"
                    + " --token, DOPQ_TOKEN or ~/.dopq/token");
        }
        return sessions.open(new SessionImpl(Caller.ANONYMOUS, reads, writes, quotas, arrays, uploads()));
    }

    private PendingUploads uploads() {
        return new PendingUploads(backend.workDir().resolve("uploads"));
    }
}
