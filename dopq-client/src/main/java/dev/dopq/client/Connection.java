package dev.dopq.client;

import java.io.IOException;
import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;
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
                ObjectInputFilter.Config.setSerialFilter(clientFilter());
            }
        }
    }

    /**
     * {@link SerialFilters#filter()} plus two things its pattern misses on JDK 17: the dynamic proxy class of an
     * RMI stub ({@code jdk.proxy2.$Proxy12}, checked by name; its interfaces are checked against the allow-list
     * separately) and {@code Object[]}, which {@code List.of}/{@code List.copyOf} lists travel in (a pattern
     * filter checks an array's component class, {@code java.lang.Object}, not {@code [Ljava.lang.Object;}).
     * Both only have to pass the size limits; their elements are checked one by one as usual.
     */
    static ObjectInputFilter clientFilter() {
        ObjectInputFilter api = SerialFilters.filter();
        return info -> {
            Class<?> type = info.serialClass();
            if (type == null || !(Proxy.isProxyClass(type) || isObjectArray(type))) {
                return api.checkInput(info);
            }
            ObjectInputFilter.Status limits = api.checkInput(new LimitsOnly(info));
            return limits == ObjectInputFilter.Status.REJECTED ? limits : ObjectInputFilter.Status.ALLOWED;
        };
    }

    private static boolean isObjectArray(Class<?> type) {
        Class<?> component = type;
        while (component.isArray()) {
            component = component.getComponentType();
        }
        return type.isArray() && component == Object.class;
    }

    /** The same figures without the class, so a pattern filter checks the limits only. */
    private record LimitsOnly(ObjectInputFilter.FilterInfo info) implements ObjectInputFilter.FilterInfo {
        @Override
        public Class<?> serialClass() {
            return null;
        }

        @Override
        public long arrayLength() {
            return info.arrayLength();
        }

        @Override
        public long depth() {
            return info.depth();
        }

        @Override
        public long references() {
            return info.references();
        }

        @Override
        public long streamBytes() {
            return info.streamBytes();
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
