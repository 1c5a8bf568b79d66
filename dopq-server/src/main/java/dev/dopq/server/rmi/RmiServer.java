package dev.dopq.server.rmi;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.SerialFilters;
import dev.dopq.server.service.Accounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.net.InetAddress;
import java.rmi.NoSuchObjectException;
import java.rmi.NotBoundException;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.GeneralSecurityException;
import java.time.Duration;
import dev.dopq.server.util.WorkerLoop;

/**
 * The RMI endpoint: one registry and every exported object on one fixed port, bound to the configured address,
 * each with the deserialization allow-list.
 */
public final class RmiServer {
    private static final Logger LOG = LoggerFactory.getLogger(RmiServer.class);

    /** Where and how to listen. {@code tls} null = plain sockets. */
    public record Endpoint(String host, int port, String hostname, SocketFactories.Tls tls) {
    }

    /**
     * What one caller may hold: open connections per client address ({@code [api] max_connections}), sessions
     * per user ({@code [api] max_sessions}), and how long an idle connection or session lives
     * ({@code [api] idle_timeout}).
     */
    public record Limits(int connectionsPerAddress, int sessionsPerUser, Duration idle) {
        /** The shipped defaults. */
        public static final Limits DEFAULTS = new Limits(100, 8, Duration.ofMinutes(30));
    }

    private final Endpoint endpoint;
    private final Backend backend;
    /** How soon an entry removed from the registry is restored. */
    static final Duration BINDING_CHECK = Duration.ofSeconds(5);
    private static final Duration HOUSEKEEPING_STOP = Duration.ofSeconds(2);

    private Registry registry;
    private LoginImpl login;
    private Remote loginStub;
    private Sessions sessions;
    private WorkerLoop housekeeping;

    private final Limits limits;

    public RmiServer(Endpoint endpoint, Backend backend) {
        this(endpoint, backend, Limits.DEFAULTS);
    }

    public RmiServer(Endpoint endpoint, Backend backend, Limits limits) {
        this.endpoint = endpoint;
        this.backend = backend;
        this.limits = limits;
    }

    /** Must run before any RMI class loads the registry: the registry reads its filter once. */
    public static void installRegistryFilter() {
        System.setProperty("sun.rmi.registry.registryFilter", SerialFilters.REGISTRY);
    }

    public void start() throws IOException, GeneralSecurityException {
        installRegistryFilter();
        String hostname = endpoint.hostname() == null || endpoint.hostname().isBlank() ? endpoint.host()
                : endpoint.hostname();
        System.setProperty("java.rmi.server.hostname", hostname);
        InetAddress bind = InetAddress.getByName(endpoint.host());
        GuardedSockets guard = new GuardedSockets(new GuardedSockets.Limits(limits.connectionsPerAddress(),
                limits.idle(), ApiLimits.MAX_CALL_BYTES));
        RMIServerSocketFactory ssf = SocketFactories.server(bind, endpoint.tls(), guard);
        RMIClientSocketFactory csf = SocketFactories.client(endpoint.tls());
        ObjectInputFilter filter = SerialFilters.argumentsFilter();
        sessions = new Sessions(obj -> UnicastRemoteObject.exportObject(obj, endpoint.port(), csf, ssf, filter),
                limits.idle(), limits.sessionsPerUser());
        backend.accounts().addListener(this::accountChanged);
        registry = LocateRegistry.createRegistry(endpoint.port(), csf, ssf);
        login = new LoginImpl(backend, sessions);
        loginStub = UnicastRemoteObject.exportObject(login, endpoint.port(), csf, ssf, filter);
        registry.rebind(DopqLogin.BINDING, loginStub);
        // put the registry entry back if it was removed, and end idle sessions: every BINDING_CHECK, or every half
        // idle timeout when that is shorter
        Duration reap = Duration.ofSeconds(Math.max(1, Math.min(60, limits.idle().toSeconds() / 2)));
        housekeeping = new WorkerLoop("dopq-rmi-housekeeping", reap.compareTo(BINDING_CHECK) < 0 ? reap : BINDING_CHECK,
                () -> {
            keepBinding();
            sessions.reap();
        });
        housekeeping.start();
        LOG.info("API listening on {}:{} ({}){}", endpoint.host(), endpoint.port(),
                endpoint.tls() == null ? "plain" : "TLS", backend.anonymousRead() ? ", anonymous reading allowed" : "");
    }

    /** A replaced token, lost admin rights or a removed account end every session opened before. */
    private void accountChanged(String user, Accounts.Change change) {
        Sessions s = sessions;
        if (s != null && change != Accounts.Change.ADDED) {
            s.endAll(user, switch (change) {
                case TOKEN_REPLACED -> "the token was replaced";
                case ADMIN_REVOKED -> "admin rights were taken away";
                default -> "the user was removed";
            });
        }
    }

    /**
     * The JDK registry lets any process on this machine unbind names, and a shared GPU box has many users; the
     * registry filter already refuses binding an impostor, and this puts our entry back if someone removed it.
     */
    private void keepBinding() {
        try {
            registry.lookup(DopqLogin.BINDING);
        } catch (NotBoundException e) {
            try {
                registry.rebind(DopqLogin.BINDING, loginStub);
                LOG.warn("the registry entry \"{}\" was removed by a local process; bound it again",
                        DopqLogin.BINDING);
            } catch (RemoteException | RuntimeException again) {
                LOG.warn("could not restore the registry entry \"{}\": {}", DopqLogin.BINDING, again.toString());
            }
        } catch (RemoteException | RuntimeException e) {
            LOG.warn("checking the registry entry \"{}\" failed: {}", DopqLogin.BINDING, e.toString());
        }
    }

    public void stop() {
        if (housekeeping != null) {
            housekeeping.stop(HOUSEKEEPING_STOP);
        }
        if (sessions != null) {
            sessions.closeAll();
        }
        unexport(login);
        unexport(registry);
    }

    private static void unexport(Remote r) {
        if (r == null) {
            return;
        }
        try {
            UnicastRemoteObject.unexportObject(r, true);
        } catch (NoSuchObjectException e) {
            LOG.debug("already unexported");
        }
    }

    /** TLS settings from the config; null when TLS is off. */
    public static SocketFactories.Tls tls(boolean on, java.nio.file.Path keystore, String keystorePassword,
                                          java.nio.file.Path truststore, String truststorePassword,
                                          boolean clientAuth) {
        if (!on) {
            return null;
        }
        return new SocketFactories.Tls(keystore, chars(keystorePassword), truststore, chars(truststorePassword),
                clientAuth);
    }

    private static char[] chars(String s) {
        return s == null ? new char[0] : s.toCharArray();
    }
}
