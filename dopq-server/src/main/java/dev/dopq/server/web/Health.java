package dev.dopq.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.util.function.Supplier;

/** {@code /healthz}: 200 "ok" while the server can serve, 503 with the reason otherwise. No login needed. */
public final class Health implements HttpHandler {
    private final Supplier<String> problem;

    /**
     * @param problem null when healthy, else a one-line reason (it must not block for long)
     */
    public Health(Supplier<String> problem) {
        this.problem = problem;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!Http.exactly(exchange, "/healthz") || !Http.method(exchange, "GET", "HEAD")) {
            return;
        }
        String p;
        try {
            p = problem.get();
        } catch (RuntimeException e) {
            p = e.toString();
        }
        if (p == null) {
            Http.text(exchange, 200, "ok\n");
        } else {
            Http.text(exchange, 503, "unhealthy: " + p + "\n");
        }
    }
}
