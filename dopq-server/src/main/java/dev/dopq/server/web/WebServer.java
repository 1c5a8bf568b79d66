package dev.dopq.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.dopq.server.util.Workers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP endpoint ({@code [web]}): the JDK's own HTTP server, so the server gains no web framework and owns
 * every thread and every long-lived stream (Server-Sent Events) it serves. Handlers run on a small named pool;
 * each is wrapped so a failing request is logged and answered 500, never kills a thread.
 * Stopping closes long-lived streams first ({@link #onStop}), then the listener, then the pool.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final int THREADS = 4;

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
    private final List<Runnable> stopHooks = new ArrayList<>();
    private HttpServer server;
    private Workers workers;

    /**
     * @param tls null for plain HTTP
     */
    public WebServer(String host, int port, SSLContext tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /** Serves {@code handler} for {@code path} and everything below it (the JDK matches by longest prefix). */
    public WebServer route(String path, HttpHandler handler) {
        routes.put(path, handler);
        return this;
    }

    /** Runs {@code hook} first when the server stops (closing streams that would otherwise hold the stop). */
    public WebServer onStop(Runnable hook) {
        stopHooks.add(hook);
        return this;
    }

    public void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (tls == null) {
            server = HttpServer.create(address, 50);
        } else {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        workers = new Workers("dopq-web", THREADS);
        server.setExecutor(workers);
        routes.forEach((path, handler) -> server.createContext(path, guarded(path, handler)));
        server.start();
        LOG.info("web endpoint on {}://{}:{}", tls == null ? "http" : "https", host, boundPort());
    }

    /** The port actually bound (the configured one, or the one the system chose for 0 in tests). */
    public int boundPort() {
        return server.getAddress().getPort();
    }

    private static HttpHandler guarded(String path, HttpHandler handler) {
        return exchange -> {
            try {
                Http.secureHeaders(exchange);
                handler.handle(exchange);
            } catch (IOException e) {
                LOG.debug("{} {}: connection ended: {}", exchange.getRequestMethod(), path, e.toString());
                exchange.close();
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                failQuietly(exchange);
            }
        };
    }

    private static void failQuietly(HttpExchange exchange) {
        try {
            Http.text(exchange, 500, "internal error; see the server log\n");
        } catch (IOException | RuntimeException e) {
            exchange.close();
        }
    }

    /** Closes streams, stops listening (letting answers in progress end for up to a second), stops the pool. */
    public void stop(Duration wait) {
        for (Runnable hook : stopHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.warn("web stop hook failed: {}", e.toString());
            }
        }
        if (server != null) {
            server.stop(1);
        }
        if (workers != null) {
            workers.shutdown(wait);
        }
    }
}
