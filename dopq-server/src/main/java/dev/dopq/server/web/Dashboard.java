package dev.dopq.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dopq.api.ApiException;
import dev.dopq.api.ConflictException;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.LogChunk;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.server.rmi.InProcessApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard: static pages and scripts from the class path (no CDN), a token login, JSON for the pages, a live
 * stream, and cancel/delete. Every state-changing request is a POST that must come from {@code publicUrl} (Origin
 * header) and, except the login itself, carry the session's CSRF token.
 */
public final class Dashboard implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final Map<String, String> STATIC = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "job.js", "text/javascript; charset=utf-8",
            "login.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    private static final int LOG_CHUNK = 64 * 1024;
    private static final int MAX_FORM = 4096;

    private final InProcessApi api;
    private final WebSessions sessions;
    private final DashboardData data;
    private final EventStream events = new EventStream();
    private final String origin;

    /**
     * @param origin the origin pages are served from ({@code [web] public_url}); POSTs from elsewhere are refused
     */
    public Dashboard(InProcessApi api, WebSessions sessions, String origin) {
        this.api = api;
        this.sessions = sessions;
        this.data = new DashboardData(api);
        this.origin = origin;
    }

    /** Something the pages show may have changed (a job moved). */
    public void changed() {
        events.changed();
    }

    public void close(Duration wait) {
        events.close(wait);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.startsWith("/static/")) {
            staticFile(ex, path.substring("/static/".length()));
            return;
        }
        switch (path) {
            case "/login" -> login(ex);
            case "/logout" -> logout(ex);
            case "/", "/job" -> page(ex, path.equals("/") ? "index.html" : "job.html");
            case "/api/state", "/api/job", "/api/log", "/events" -> read(ex, path);
            case "/api/cancel" -> cancel(ex);
            default -> Http.text(ex, 404, "not found\n");
        }
    }

    private void staticFile(HttpExchange ex, String name) throws IOException {
        String type = STATIC.get(name);
        if (type == null || !Http.method(ex, "GET", "HEAD")) {
            if (type == null) {
                Http.text(ex, 404, "not found\n");
            }
            return;
        }
        Http.send(ex, 200, type, resource(name));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private void page(HttpExchange ex, String file) throws IOException {
        if (!Http.method(ex, "GET", "HEAD")) {
            return;
        }
        if (sessions.of(ex).isEmpty()) {
            redirect(ex, "/login");
            return;
        }
        Http.send(ex, 200, "text/html; charset=utf-8", resource(file));
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        Http.send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    private void login(HttpExchange ex) throws IOException {
        if (!Http.method(ex, "GET", "POST")) {
            return;
        }
        if (ex.getRequestMethod().equals("GET")) {
            Http.send(ex, 200, "text/html; charset=utf-8", resource("login.html"));
            return;
        }
        if (!sameOrigin(ex)) {
            return;
        }
        String token = form(ex).get("token");
        var user = api.authenticate(token);
        if (user.isEmpty()) {
            LOG.info("dashboard login refused from {}", ex.getRemoteAddress().getAddress().getHostAddress());
            redirect(ex, "/login?failed");
            return;
        }
        sessions.open(ex, user.get().name(), user.get().admin());
        LOG.info("dashboard login of {}", user.get().name());
        redirect(ex, "/");
    }

    private void logout(HttpExchange ex) throws IOException {
        if (!Http.method(ex, "POST") || !sameOrigin(ex)) {
            return;
        }
        sessions.close(ex);
        redirect(ex, "/login");
    }

    private void read(HttpExchange ex, String path) throws IOException {
        if (!Http.method(ex, "GET")) {
            return;
        }
        Optional<WebSessions.Session> who = sessions.of(ex);
        if (who.isEmpty()) {
            Http.text(ex, 401, "log in first\n");
            return;
        }
        Map<String, String> q = query(ex);
        WebSessions.Session s = who.get();
        try {
            switch (path) {
                case "/api/state" -> Http.json(ex, 200, data.overview(s));
                case "/api/job" -> Http.json(ex, 200, data.job(s, q.getOrDefault("id", "")));
                case "/api/log" -> logTail(ex, s, q);
                default -> events.open(ex, () -> Http.JSON.writeValueAsString(data.overview(s)));
            }
        } catch (ApiException e) {
            refuse(ex, e);
        }
    }

    private void logTail(HttpExchange ex, WebSessions.Session s, Map<String, String> q)
            throws IOException, ApiException {
        long offset;
        try {
            // negative: the last -offset lines (the first read of a page); then byte offsets from the last answer
            offset = Math.max(-1000, Long.parseLong(q.getOrDefault("offset", "-200")));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("offset must be a number");
        }
        var session = api.sessionOf(s.user(), s.admin());
        String id = q.getOrDefault("id", "");
        LogChunk c = session.logs(id, offset, LOG_CHUNK);
        Http.json(ex, 200, Map.of("text", c.text(), "offset", c.offset(), "complete", c.complete()));
    }

    private void cancel(HttpExchange ex) throws IOException {
        if (!Http.method(ex, "POST") || !sameOrigin(ex)) {
            return;
        }
        Optional<WebSessions.Session> who = sessions.of(ex);
        if (who.isEmpty()) {
            Http.text(ex, 401, "log in first\n");
            return;
        }
        String csrf = ex.getRequestHeaders().getFirst("X-CSRF-Token");
        if (csrf == null || !java.security.MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                who.get().csrf().getBytes(StandardCharsets.UTF_8))) {
            Http.text(ex, 403, "missing or wrong CSRF token; reload the page\n");
            return;
        }
        String id = query(ex).getOrDefault("id", "");
        try {
            var view = api.sessionOf(who.get().user(), who.get().admin()).cancel(id);
            LOG.info("job {} cancelled from the dashboard by {}", id, who.get().user());
            Http.json(ex, 200, DashboardData.job(view));
        } catch (ApiException e) {
            refuse(ex, e);
        }
    }

    /** Refuses POSTs whose Origin is missing or is not this dashboard's. */
    private boolean sameOrigin(HttpExchange ex) throws IOException {
        String o = ex.getRequestHeaders().getFirst("Origin");
        if (o != null && o.equalsIgnoreCase(origin)) {
            return true;
        }
        LOG.info("refused {} {} from origin {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), o);
        Http.text(ex, 403, "requests that change something must come from the dashboard's own pages\n");
        return false;
    }

    private static void refuse(HttpExchange ex, ApiException e) throws IOException {
        int status = e instanceof PermissionDeniedException ? 403 : e instanceof NotFoundException ? 404
                : e instanceof ConflictException ? 409 : e instanceof InvalidRequestException ? 400 : 500;
        Http.json(ex, status, Map.of("error", e.getMessage() == null ? "refused" : e.getMessage()));
    }

    private static Map<String, String> query(HttpExchange ex) {
        return parse(ex.getRequestURI().getRawQuery());
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_FORM + 1);
        return body.length > MAX_FORM ? Map.of() : parse(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> m = new HashMap<>();
        if (text == null) {
            return m;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
