package dev.dopq.server.notify;

import dev.dopq.server.store.Outbox;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Delivers the outbox on its own named loop ({@code dopq-notify}), woken when something is enqueued and by a short
 * fallback timer for retries. A failed delivery is retried after {@code backoff}, doubled each time (at most an
 * hour), until {@code retries} attempts were made; then it is given up and logged. The queue never waits for it.
 */
public final class Courier {
    public static final String WEBHOOK = "webhook";
    public static final String EMAIL = "email";
    private static final Logger LOG = LoggerFactory.getLogger(Courier.class);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final int BATCH = 20;

    /** One way of delivering (a webhook POST, an e-mail). */
    public interface Channel {
        /** Delivers or throws with a one-line reason. */
        void deliver(String target, String body) throws Exception;
    }

    private final Outbox outbox;
    private final Map<String, Channel> channels;
    private final int retries;
    private final Duration backoff;
    private final Clock clock;
    private final WorkerLoop loop;

    public Courier(Outbox outbox, Map<String, Channel> channels, int retries, Duration backoff, Clock clock) {
        this.outbox = outbox;
        this.channels = Map.copyOf(channels);
        this.retries = retries;
        this.backoff = backoff;
        this.clock = clock;
        this.loop = new WorkerLoop("dopq-notify", Duration.ofSeconds(1), this::deliverDue);
    }

    public void start() {
        loop.start();
    }

    public void signal() {
        loop.signal();
    }

    public void stop(Duration wait) {
        loop.stop(wait);
    }

    /** Delivers what is due now; one failing message never stops the others. */
    void deliverDue() {
        for (Outbox.Message m : outbox.due(clock.instant(), BATCH)) {
            Channel channel = channels.get(m.channel());
            try {
                if (channel == null) {
                    throw new IllegalStateException("no " + m.channel() + " channel is configured");
                }
                channel.deliver(m.target(), m.body());
                outbox.delivered(m.id(), clock.instant());
                LOG.info("job {}: {} notification ({}) delivered", m.jobId(), m.channel(), m.event());
            } catch (Exception e) {
                failed(m, e);
            }
        }
    }

    private void failed(Outbox.Message m, Exception e) {
        int attempts = m.attempts() + 1;
        Instant now = clock.instant();
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (attempts >= retries) {
            outbox.failed(m.id(), error, now, null);
            LOG.warn("job {}: {} notification given up after {} attempts: {}", m.jobId(), m.channel(), attempts, error);
            return;
        }
        Duration wait = backoff.multipliedBy(1L << Math.min(attempts - 1, 20));
        if (wait.compareTo(MAX_BACKOFF) > 0) {
            wait = MAX_BACKOFF;
        }
        outbox.failed(m.id(), error, now, now.plus(wait));
        LOG.info("job {}: {} notification failed (attempt {} of {}), next try in {}s: {}", m.jobId(), m.channel(),
                attempts, retries, wait.toSeconds(), error);
    }
}
