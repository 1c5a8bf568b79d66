package dev.dopq.server.rmi;

import dev.dopq.api.DopqSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exported sessions. They are held strongly here (otherwise distributed GC may unexport them under a client)
 * and unexported after an idle period.
 */
final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final Exporter exporter;
    private final Duration idle;
    private final Map<SessionImpl, DopqSession> live = new ConcurrentHashMap<>();

    /** Exports a remote object with the server's port, socket factories and filter. */
    @FunctionalInterface
    interface Exporter {
        java.rmi.Remote export(java.rmi.Remote obj) throws RemoteException;
    }

    Sessions(Exporter exporter, Duration idle) {
        this.exporter = exporter;
        this.idle = idle;
    }

    DopqSession open(SessionImpl session) throws RemoteException {
        reap();
        DopqSession stub = (DopqSession) exporter.export(session);
        live.put(session, stub);
        return stub;
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

    void closeAll() {
        live.keySet().forEach(this::unexport);
    }

    private void unexport(SessionImpl s) {
        live.remove(s);
        try {
            UnicastRemoteObject.unexportObject(s, true);
        } catch (NoSuchObjectException e) {
            LOG.debug("session already unexported");
        }
    }
}
