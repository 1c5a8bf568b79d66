package dev.dopq.client;

import java.rmi.NotBoundException;
import java.rmi.RemoteException;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;

/** Opens a session with the server; {@link Connection} over RMI, or an in-process fake in tests. */
@FunctionalInterface
public interface SessionFactory {

    /** Logs in with the settings' token, or anonymously without one. */
    DopqSession open(ConnectionSettings settings) throws RemoteException, NotBoundException, ApiException;
}
