package dev.dopq.api;

import java.rmi.Remote;
import java.rmi.RemoteException;

/**
 * The object bound in the RMI registry under {@link #BINDING}. RMI carries no caller identity, so every call
 * goes through a {@link DopqSession} obtained here with a user's token.
 */
public interface DopqLogin extends Remote {

    /** Registry name of the login object. */
    String BINDING = "dopq";

    /**
     * Opens a session for a user.
     *
     * @throws PermissionDeniedException when the user is unknown or the token is wrong
     */
    DopqSession login(String user, String token) throws RemoteException, ApiException;

    /**
     * Opens a read-only session without a token.
     *
     * @throws PermissionDeniedException unless the server allows anonymous reading ({@code [api] anonymous_read})
     */
    DopqSession anonymous() throws RemoteException, ApiException;
}
