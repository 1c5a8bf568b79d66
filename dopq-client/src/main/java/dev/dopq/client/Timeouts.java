package dev.dopq.client;

import java.time.Duration;

/**
 * How long the client waits for the server before giving up with {@link dev.dopq.api.ExitCodes#UNREACHABLE}.
 * Without bounds a host that is down (its packets dropped, not refused) holds a command for minutes.
 *
 * @param connect longest wait for a TCP connection to the registry or, without TLS, to the server's objects
 * @param lookup  longest wait for the registry to answer on a connection (handshake and lookup)
 */
public record Timeouts(Duration connect, Duration lookup) {

    /** What {@code dopq} uses: generous for a slow VPN, short enough for a person at a prompt. */
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30));

    public Timeouts {
        if (connect.isNegative() || connect.isZero() || lookup.isNegative() || lookup.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + connect + ", " + lookup);
        }
    }

    int connectMillis() {
        return (int) Math.min(Integer.MAX_VALUE, connect.toMillis());
    }

    int lookupMillis() {
        return (int) Math.min(Integer.MAX_VALUE, lookup.toMillis());
    }
}
