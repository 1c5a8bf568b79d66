package dev.dopq.server.rmi;

import dev.dopq.api.DopqSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exported sessions. They are held strongly here (otherwise distributed GC may unexport them under a client),
 * unexported after an idle period, capped per user (a user's least recently used session ends when a new one would
 * pass the cap), and ended all at once when the user's token, rights or account change.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Exporter exporter;
    private final Duration idle;
    private final int perUser;
    private final Map<SessionImpl, DopqSession> live = new ConcurrentHashMap<>();

    /** Exports a remote object with the server's port, socket factories and filter. */
    @FunctionalInterface
    interface Exporter {
        java.rmi.Remote export(java.rmi.Remote obj) throws RemoteException;
    }

    Sessions(Exporter exporter, Duration idle, int perUser) {
        this.exporter = exporter;
        this.idle = idle;
        this.perUser = perUser;
    }

    DopqSession open(SessionImpl session) throws RemoteException {
        reap();
        synchronized (this) {
            List<SessionImpl> own = of(session.caller().name());
            for (int i = 0; i <= own.size() - perUser; i++) {
                LOG.info("{} has {} sessions, the most allowed ([api] max_sessions); ending the least recently"
                        + " used", session.caller().name(), own.size());
                unexport(own.get(i));
            }
            DopqSession stub = (DopqSession) exporter.export(session);
            live.put(session, stub);
            return stub;
        }
    }

    /** The user's sessions, least recently used first. */
    private List<SessionImpl> of(String user) {
        return live.keySet().stream().filter(s -> s.caller().name().equals(user))
                .sorted(Comparator.comparingLong(SessionImpl::idleNanos).reversed()).toList();
    }

    int size() {
        return live.size();
    }

    void reap() {
        long limit = idle.toNanos();
        for (SessionImpl s : live.keySet()) {
            if (s.idleNanos() > limit) {
                unexport(s);
            }
        }
    }

    /** Ends every session of {@code user}; their next call fails and they must log in again. */
    void endAll(String user, String why) {
        List<SessionImpl> own = of(user);
        own.forEach(this::unexport);
        if (!own.isEmpty()) {
            LOG.info("ended {} session(s) of {}: {}", own.size(), user, why);
        }
    }

    void closeAll() {
        live.keySet().forEach(this::unexport);
    }

    private void unexport(SessionImpl s) {
        if (live.remove(s) == null) {
            return;
        }
        try {
            UnicastRemoteObject.unexportObject(s, true);
        } catch (NoSuchObjectException e) {
            LOG.debug("session already unexported");
        }
        s.ended();
    }
}
