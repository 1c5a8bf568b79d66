package dev.dopq.client;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.security.NoSuchAlgorithmException;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.SerialFilters;

/**
 * Looks up the server's {@link DopqLogin} in its RMI registry and opens a session, within {@link Timeouts}.
 * With TLS, every SSL socket of the process verifies the server's host name (see {@link VerifyingSslContext});
 * trust and key stores come from the standard {@code javax.net.ssl.*} system properties.
 */
public final class Connection implements SessionFactory {
    private final Timeouts timeouts;

    /** A connection with {@link Timeouts#DEFAULT}. */
    public Connection() {
        this(Timeouts.DEFAULT);
    }

    public Connection(Timeouts timeouts) {
        this.timeouts = timeouts;
    }

    /**
     * Installs the API's deserialization allow-list as the process-wide filter, unless one is already set
     * (for example with {@code -Djdk.serialFilter}). Must run before the first RMI call.
     */
    public static void installSerialFilter() {
        synchronized (ObjectInputFilter.Config.class) {
            if (ObjectInputFilter.Config.getSerialFilter() == null) {
                ObjectInputFilter.Config.setSerialFilter(SerialFilters.clientFilter());
            }
        }
    }

    @Override
    public DopqSession open(ConnectionSettings settings) throws RemoteException, NotBoundException, ApiException {
        installSerialFilter();
        try {
            BoundedSockets.installDefault(timeouts);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set the client's socket factory: " + e.getMessage(), e);
        }
        if (settings.tls()) {
            installVerifyingTls();
        }
        Registry registry = LocateRegistry.getRegistry(settings.host(), settings.port(),
                new BoundedSockets.Registry(timeouts, settings.tls()));
        DopqLogin login = (DopqLogin) registry.lookup(DopqLogin.BINDING);
        return settings.token() == null ? login.anonymous() : login.login(settings.user(), settings.token());
    }

    private static void installVerifyingTls() {
        try {
            VerifyingSslContext.installAsDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }
}
