package dev.dopq.container;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP front for the engine's unix socket whose connections a test can cut, to see what a client does when
 * the engine connection breaks (as on an engine restart).
 */
final class EngineProxy implements Closeable {

    private final ServerSocketChannel server;
    private final Path engineSocket;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    EngineProxy(Path engineSocket) throws IOException {
        this.engineSocket = engineSocket;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "engine-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The address clients use, like {@code tcp://127.0.0.1:40123}. */
    String dockerHost() {
        return "tcp://127.0.0.1:" + server.socket().getLocalPort();
    }

    /** Cuts every open connection; new connections are still accepted. */
    void cutConnections() throws IOException {
        for (SocketChannel c : connections) {
            c.close();
        }
        connections.clear();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                engine.connect(UnixDomainSocketAddress.of(engineSocket));
                connections.add(client);
                connections.add(engine);
                pump(client, engine);
                pump(engine, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // one side was cut: close both below
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "engine-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing left to do for a test proxy
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        // a connection accepted while the server closed is added by the acceptor before it ends: cut it too
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cutConnections();
    }
}
