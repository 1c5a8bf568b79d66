package dev.dopq.server.rmi;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;

/** Server sockets bound to the configured address, plain or TLS. */
public final class SocketFactories {
    private SocketFactories() {
    }

    /** TLS material. */
    public record Tls(Path keystore, char[] keystorePassword, Path truststore, char[] truststorePassword,
               boolean clientAuth) {
    }

    static RMIServerSocketFactory server(InetAddress bind, Tls tls, GuardedSockets guard)
            throws IOException, GeneralSecurityException {
        return tls == null ? new Bound(bind, null, false, guard)
                : new Bound(bind, sslContext(tls), tls.clientAuth(), guard);
    }

    static RMIClientSocketFactory client(Tls tls) {
        return tls == null ? null : new SslRMIClientSocketFactory();
    }

    private static SSLContext sslContext(Tls tls) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(tls.keystore(), tls.keystorePassword()), tls.keystorePassword());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(tls.truststore() == null ? null : load(tls.truststore(), tls.truststorePassword()));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    /**
     * Equal factories let the registry and the exported objects share one port, and let a server started again
     * in the same JVM (tests) find the connections its clients still hold: equal means the same address, TLS
     * context and limits.
     */
    private static final class Bound implements RMIServerSocketFactory {
        private final InetAddress bind;
        private final SSLContext ssl;
        private final boolean clientAuth;
        private final GuardedSockets guard;

        Bound(InetAddress bind, SSLContext ssl, boolean clientAuth, GuardedSockets guard) {
            this.bind = bind;
            this.ssl = ssl;
            this.clientAuth = clientAuth;
            this.guard = guard;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return guard.serverSocket(port, bind, ssl, clientAuth);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bound b && Objects.equals(bind, b.bind) && ssl == b.ssl && clientAuth == b.clientAuth
                    && guard.limits().equals(b.guard.limits());
        }

        @Override
        public int hashCode() {
            return Objects.hash(bind, clientAuth, guard.limits());
        }
    }
}
