package dev.dopq.server.web;

import com.sun.net.httpserver.HttpExchange;
import dev.dopq.server.util.Workers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-Sent Events for the dashboard. Each browser tab holds one stream, served on a bounded pool of its own
 * ({@code dopq-web-sse}); beyond {@link #MAX_CLIENTS} a new stream is refused with 503 (the page then falls back to
 * reloading its data now and then). A stream sends the page's data when it changed (checked when a job changes and
 * every {@link #CHECK}), and a comment line every {@link #HEARTBEAT} so proxies and the browser see it alive.
 */
final class EventStream {
    static final int MAX_CLIENTS = 32;
    static final Duration HEARTBEAT = Duration.ofSeconds(20);
    private static final Duration CHECK = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    /** Produces the data a stream sends (as JSON); the same text twice means nothing changed. */
    @FunctionalInterface
    interface Source {
        String render() throws Exception;
    }

    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    private final Workers pool = new Workers("dopq-web-sse", MAX_CLIENTS);
    private final Object changes = new Object();
    private final AtomicLong version = new AtomicLong();
    private volatile boolean closed;

    /** Something the pages show may have changed: streams look now instead of at their next check. */
    void changed() {
        version.incrementAndGet();
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /** Takes over the exchange (answered and closed later on the stream's own thread), or refuses it with 503. */
    void open(HttpExchange exchange, Source source) throws IOException {
        if (closed || !slots.tryAcquire()) {
            exchange.getResponseHeaders().set("Retry-After", "30");
            Http.text(exchange, 503, "too many live views open; close some tabs\n");
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    stream(exchange, source);
                } finally {
                    slots.release();
                    exchange.close();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void stream(HttpExchange exchange, Source source) {
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            write(out, "retry: 3000\n\n");
            String last = null;
            long lastWrite = System.nanoTime();
            while (!closed) {
                long seen = version.get();
                String now = source.render();
                if (!now.equals(last)) {
                    write(out, "event: state\ndata: " + now + "\n\n");
                    last = now;
                    lastWrite = System.nanoTime();
                } else if (System.nanoTime() - lastWrite >= HEARTBEAT.toNanos()) {
                    write(out, ": heartbeat\n\n");
                    lastWrite = System.nanoTime();
                }
                awaitChange(seen);
            }
        } catch (IOException e) {
            LOG.debug("live view closed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("live view failed: {}", e.toString());
        }
    }

    private void awaitChange(long seen) throws InterruptedException {
        synchronized (changes) {
            if (version.get() == seen && !closed) {
                changes.wait(CHECK.toMillis());
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends every stream and the pool. */
    void close(Duration wait) {
        closed = true;
        changed();
        pool.shutdown(wait);
    }
}
