package dev.dopq.api;

import java.io.ObjectInputFilter;

/**
 * The deserialization allow-list used by the server (registry and every exported object) and by the client.
 * Anything not listed is rejected before its {@code readObject} can run.
 */
public final class SerialFilters {

    /** Allow-list pattern in {@link ObjectInputFilter.Config#createFilter} syntax. */
    public static final String PATTERN = String.join(";",
            "maxdepth=20", "maxrefs=100000", "maxbytes=" + (ApiLimits.MAX_SUBMIT_BYTES + (8 << 20)),
            "maxarray=" + (ApiLimits.MAX_SUBMIT_BYTES + 1),
            "dev.dopq.api.*",
            "java.lang.String", "java.lang.Number", "java.lang.Integer", "java.lang.Long", "java.lang.Double",
            "java.lang.Boolean", "java.lang.Enum", "java.lang.StackTraceElement", "java.lang.Throwable",
            "java.lang.Exception",
            "java.util.ArrayList", "java.util.List", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$List12", "java.util.CollSer", "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$EmptyList",
            "java.time.Instant", "java.time.Ser",
            "java.rmi.*", "java.rmi.server.*", "java.rmi.dgc.*", "sun.rmi.server.*", "sun.rmi.transport.*",
            "java.lang.reflect.Proxy", "javax.rmi.ssl.*",
            "[B", "[Ljava.lang.StackTraceElement;", "[Ljava.lang.Object;",
            "!*");

    private SerialFilters() {
    }

    public static ObjectInputFilter filter() {
        return ObjectInputFilter.Config.createFilter(PATTERN);
    }
}
