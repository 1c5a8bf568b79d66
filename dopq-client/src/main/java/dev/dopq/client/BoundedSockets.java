package dev.dopq.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMISocketFactory;

import javax.net.ssl.SSLSocketFactory;

/**
 * Client sockets with a connect timeout. The registry's also bound every read: RMI sets its own read timeout
 * for the connection handshake (a minute) and restores ours afterwards, so the socket caps any timeout set on
 * it, and a server that accepts but never answers is given up on after {@link Timeouts#lookup()}.
 */
final class BoundedSockets {
    private BoundedSockets() {
    }

    /** Sockets for the registry lookup: bounded connect and reads, TLS layered on top when asked. */
    record Registry(int connectMillis, int readMillis, boolean tls) implements RMIClientSocketFactory {
        Registry(Timeouts timeouts, boolean tls) {
            this(timeouts.connectMillis(), timeouts.lookupMillis(), tls);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket plain = connect(new CappedSocket(readMillis), host, port, connectMillis);
            plain.setSoTimeout(readMillis);
            if (!tls) {
                return plain;
            }
            // The default factory is the verifying one (VerifyingSslContext), as for every other TLS socket.
            return ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
        }
    }

    /**
     * The process-wide factory RMI uses for stubs that bring none (a plain server's): a bounded connect, reads
     * unbounded since a call such as an upload may take long. Installed once; an existing factory is kept.
     */
    static void installDefault(Timeouts timeouts) throws IOException {
        synchronized (RMISocketFactory.class) {
            if (RMISocketFactory.getSocketFactory() == null) {
                RMISocketFactory.setSocketFactory(new ConnectBounded(timeouts.connectMillis()));
            }
        }
    }

    private static final class ConnectBounded extends RMISocketFactory {
        private final int connectMillis;

        ConnectBounded(int connectMillis) {
            this.connectMillis = connectMillis;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connect(new Socket(), host, port, connectMillis);
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return RMISocketFactory.getDefaultSocketFactory().createServerSocket(port);
        }
    }

    private static Socket connect(Socket socket, String host, int port, int millis) throws IOException {
        try {
            socket.connect(new InetSocketAddress(host, port), millis);
            return socket;
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new SocketTimeoutException("no connection within " + seconds(millis));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static String seconds(int millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** A socket whose read timeout never exceeds the cap, whatever RMI sets on it. */
    private static final class CappedSocket extends Socket {
        private final int cap;

        CappedSocket(int cap) {
            this.cap = cap;
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(timeout == 0 ? cap : Math.min(timeout, cap));
        }
    }
}
