package dev.dopq.api;

import java.io.ObjectInputFilter;
import java.lang.reflect.Proxy;

/**
 * The deserialization allow-lists of the API, one per side, all in {@link ObjectInputFilter.Config#createFilter}
 * syntax. Anything not listed is rejected before its {@code readObject} can run. Each side allows only what it
 * really receives: the server reads call arguments (never remote references, so none of RMI's own classes),
 * the registry reads names, and the client reads results, errors and the stubs of its sessions.
 */
public final class SerialFilters {

    /**
     * Size limits of what the server reads from callers: the largest call is one upload chunk. Strings are read
     * without asking a filter; the server's sockets bound them ({@link ApiLimits#MAX_CALL_BYTES} per call).
     */
    public static final String CALL_LIMITS = String.join(";",
            "maxdepth=10", "maxrefs=1000", "maxbytes=" + ApiLimits.MAX_CALL_BYTES,
            "maxarray=" + ApiLimits.MAX_CHUNK_BYTES);

    /** Size limits of what a client reads from its server: a long queue or history in one answer. */
    public static final String LIMITS = String.join(";",
            "maxdepth=20", "maxrefs=1000000", "maxbytes=" + (256 << 20), "maxarray=" + (1 << 24));

    /** Values carried inside our records. Arrays are matched by their element type ({@code byte[]} is left open). */
    private static final String VALUES = String.join(";",
            "dev.dopq.api.*",
            "java.lang.String", "java.lang.Number", "java.lang.Integer", "java.lang.Long", "java.lang.Double",
            "java.lang.Boolean", "java.lang.Enum",
            "java.time.Instant", "java.time.Ser");

    /**
     * What the server's exported objects accept as call arguments, exactly what the API's parameters carry: the
     * two query records, strings, instants (which travel as {@code java.time.Ser} and are checked again as what
     * it resolves to) and the zip's {@code byte[]}
     * (arrays of primitives are never refused by class). No result record, no error and no number wrapper:
     * a call never sends them, so the server never needs to read them.
     */
    public static final String ARGUMENTS = String.join(";", CALL_LIMITS,
            "dev.dopq.api.HistoryQuery", "dev.dopq.api.QueueQuery", "java.lang.String", "java.time.Ser",
            "java.time.Instant", "!*");

    /**
     * What the registry accepts: a name to look up. Binding a remote object needs a stub, which this refuses,
     * so nobody can replace the server's entry with an impostor that collects tokens.
     */
    public static final String REGISTRY = String.join(";", CALL_LIMITS, "java.lang.String", "!*");

    /**
     * What a client accepts: results (records, lists, instants), the API's errors and the RMI errors that wrap
     * them, and session stubs (a dynamic proxy with RMI's invocation handler; the reference inside it is read by
     * RMI itself, not through the filter). No {@code java.rmi.*} wildcard: it would let in
     * {@code MarshalledObject} and {@code UnicastRemoteObject}, which export or deserialize on their own.
     */
    public static final String PATTERN = String.join(";", LIMITS, VALUES,
            "java.lang.Throwable", "java.lang.Exception", "java.lang.StackTraceElement",
            "java.util.ArrayList", "java.util.List", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$List12", "java.util.CollSer", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableCollection",
            "java.util.Collections$EmptyList",
            "java.io.IOException", "java.io.ObjectStreamException", "java.io.InvalidClassException",
            "java.rmi.RemoteException", "java.rmi.ServerException", "java.rmi.UnmarshalException",
            "java.rmi.MarshalException", "java.rmi.NoSuchObjectException", "java.rmi.AccessException",
            "java.rmi.NotBoundException", "java.rmi.AlreadyBoundException",
            "java.rmi.Remote",
            "java.lang.reflect.Proxy", "java.rmi.server.RemoteObjectInvocationHandler", "java.rmi.server.RemoteObject",
            "javax.rmi.ssl.SslRMIClientSocketFactory",
            "!*");

    private SerialFilters() {
    }

    /** The client's filter ({@link #PATTERN}). */
    public static ObjectInputFilter filter() {
        return ObjectInputFilter.Config.createFilter(PATTERN);
    }

    /** The filter of every object the server exports ({@link #ARGUMENTS}). */
    public static ObjectInputFilter argumentsFilter() {
        return ObjectInputFilter.Config.createFilter(ARGUMENTS);
    }

    /**
     * {@link SerialFilters#filter()} plus two things its pattern misses on JDK 17: the dynamic proxy class of an
     * RMI stub ({@code jdk.proxy2.$Proxy12}, checked by name; its interfaces are checked against the allow-list
     * separately) and {@code Object[]}, which {@code List.of}/{@code List.copyOf} lists travel in (a pattern
     * filter checks an array's component class, {@code java.lang.Object}, not {@code [Ljava.lang.Object;}).
     * Both only have to pass the size limits; their elements are checked one by one as usual.
     */
    public static ObjectInputFilter clientFilter() {
        ObjectInputFilter api = filter();
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
}
