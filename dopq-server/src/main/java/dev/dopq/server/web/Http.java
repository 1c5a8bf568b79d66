package dev.dopq.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for answering JDK HTTP exchanges. */
public final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    /** Headers every answer carries: no sniffing, no framing, no referrer to others, scripts and styles only from here. */
    static void secureHeaders(HttpExchange exchange) {
        var h = exchange.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form POSTs
        h.set("Referrer-Policy", "same-origin");
        h.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
        h.set("Cache-Control", "no-store");
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    public static void text(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static void json(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(value));
    }

    /** Answers 405 unless the method is one of {@code allowed}; returns whether the request may go on. */
    static boolean method(HttpExchange exchange, String... allowed) throws IOException {
        for (String m : allowed) {
            if (m.equals(exchange.getRequestMethod())) {
                return true;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        text(exchange, 405, "method not allowed\n");
        return false;
    }

    /** Answers 404 unless the path is exactly {@code path} (contexts match by prefix). */
    static boolean exactly(HttpExchange exchange, String path) throws IOException {
        if (exchange.getRequestURI().getPath().equals(path)) {
            return true;
        }
        text(exchange, 404, "not found\n");
        return false;
    }
}
