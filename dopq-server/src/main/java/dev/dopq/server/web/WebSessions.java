package dev.dopq.server.web;

import com.sun.net.httpserver.HttpExchange;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Dashboard logins: after one token login a random session id travels in an HttpOnly, SameSite=Strict cookie
 * (Secure over HTTPS). Each session has its own CSRF token, which state-changing requests must echo. Sessions live
 * in memory (a restart logs everyone out), expire after {@link #TTL}, and are bounded in number (oldest go first).
 */
public final class WebSessions {
    static final String COOKIE = "dopq_session";
    static final Duration TTL = Duration.ofHours(12);
    private static final int MAX = 1000;

    /** One logged-in browser. */
    public record Session(String id, String user, boolean admin, String csrf, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final boolean secure;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public WebSessions(Clock clock, boolean secure) {
        this.clock = clock;
        this.secure = secure;
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Starts a session and sets its cookie on the answer. */
    public synchronized Session open(HttpExchange exchange, String user, boolean admin) {
        Session s = start(user, admin);
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict"
                + "; Max-Age=" + TTL.toSeconds() + (secure ? "; Secure" : ""));
        return s;
    }

    /** A new session of {@code user}; the oldest session ends when there are too many. */
    synchronized Session start(String user, boolean admin) {
        if (sessions.size() >= MAX) {
            sessions.remove(sessions.keySet().iterator().next());
        }
        Session s = new Session(randomId(), user, admin, randomId(), clock.instant().plus(TTL));
        sessions.put(s.id(), s);
        return s;
    }

    /**
     * Ends every session of {@code user}: their token was replaced, their admin right taken away, or they were
     * removed, so what a browser logged in with before must not go on working. Returns how many ended.
     */
    public synchronized int endAll(String user) {
        int before = sessions.size();
        sessions.values().removeIf(s -> s.user().equals(user));
        return before - sessions.size();
    }

    /** The session whose cookie the request carries, if it is still valid. */
    public Optional<Session> of(HttpExchange exchange) {
        return byId(cookie(exchange));
    }

    /** The session of this id, if it is still valid. */
    synchronized Optional<Session> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s != null && s.expires().isBefore(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /** Ends the request's session and clears its cookie. */
    public synchronized void close(HttpExchange exchange) {
        String id = cookie(exchange);
        if (id != null) {
            sessions.remove(id);
        }
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
                + (secure ? "; Secure" : ""));
    }

    private static String cookie(HttpExchange exchange) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }
}
