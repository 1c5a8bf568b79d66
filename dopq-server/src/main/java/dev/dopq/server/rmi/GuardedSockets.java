package dev.dopq.server.rmi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's server sockets, which bound what a caller can make the server hold before any call is authenticated:
 * connections per client address are capped (more are closed on accept), a connection idle for longer than the
 * idle timeout is closed, and a connection that sends more than {@code maxCallBytes} without the server answering
 * in between (one call, in RMI's request-reply protocol) is closed before the rest of that call is read. TLS is
 * layered on top, so the count is of the bytes on the wire.
 */
final class GuardedSockets {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedSockets.class);

    /** The caps; {@code idle} also bounds RMI's own (2h) read timeout. */
    record Limits(int connectionsPerAddress, Duration idle, long maxCallBytes) {
    }

    private final Limits limits;
    private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    GuardedSockets(Limits limits) {
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /** A server socket on {@code port} at {@code bind}; with {@code ssl}, accepted sockets speak TLS. */
    ServerSocket serverSocket(int port, InetAddress bind, SSLContext ssl, boolean clientAuth) throws IOException {
        return new Guarded(port, bind, ssl, clientAuth);
    }

    /** Open connections from {@code address} right now. */
    int openFrom(InetAddress address) {
        AtomicInteger n = open.get(address);
        return n == null ? 0 : n.get();
    }

    private boolean admit(InetAddress from) {
        AtomicInteger n = open.computeIfAbsent(from, a -> new AtomicInteger());
        if (n.incrementAndGet() <= limits.connectionsPerAddress()) {
            return true;
        }
        n.decrementAndGet();
        return false;
    }

    private void release(InetAddress from) {
        AtomicInteger n = open.get(from);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    private final class Guarded extends ServerSocket {
        private final SSLContext ssl;
        private final boolean clientAuth;
        private final AtomicBoolean warned = new AtomicBoolean();

        Guarded(int port, InetAddress bind, SSLContext ssl, boolean clientAuth) throws IOException {
            super(port, 50, bind);
            this.ssl = ssl;
            this.clientAuth = clientAuth;
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                Counted s = new Counted();
                implAccept(s);
                if (!admit(s.getInetAddress())) {
                    if (warned.compareAndSet(false, true)) {
                        LOG.warn("{} opened more than {} connections ([api] max_connections); closing the extra ones",
                                s.getInetAddress(), limits.connectionsPerAddress());
                    }
                    s.closeUncounted();
                    continue;
                }
                warned.set(false);
                s.admitted();
                s.setSoTimeout((int) limits.idle().toMillis());
                if (ssl == null) {
                    return s;
                }
                SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(s,
                        s.getInetAddress().getHostAddress(), s.getPort(), true);
                tls.setUseClientMode(false);
                tls.setNeedClientAuth(clientAuth);
                return tls;
            }
        }
    }

    /** A connection that counts what the caller sends between two answers. */
    private final class Counted extends Socket {
        private final AtomicBoolean counted = new AtomicBoolean();
        private long sinceAnswer;
        private InputStream in;
        private OutputStream out;

        void admitted() {
            counted.set(true);
        }

        void closeUncounted() throws IOException {
            super.close();
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = super.read(buf, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(int b) throws IOException {
                        answered();
                        super.out.write(b);
                    }

                    @Override
                    public void write(byte[] buf, int off, int len) throws IOException {
                        answered();
                        super.out.write(buf, off, len);
                    }
                };
            }
            return out;
        }

        private synchronized void answered() {
            sinceAnswer = 0;
        }

        private synchronized void count(int n) throws IOException {
            sinceAnswer += n;
            if (sinceAnswer > limits.maxCallBytes()) {
                LOG.warn("{} sent more than {} bytes in one call; closing its connection", getInetAddress(),
                        limits.maxCallBytes());
                close();
                throw new SocketException("call larger than " + limits.maxCallBytes() + " bytes");
            }
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            int idle = (int) limits.idle().toMillis();
            super.setSoTimeout(timeout == 0 ? idle : Math.min(timeout, idle));
        }

        @Override
        public synchronized void close() throws IOException {
            if (counted.compareAndSet(true, false)) {
                release(getInetAddress());
            }
            super.close();
        }
    }
}
