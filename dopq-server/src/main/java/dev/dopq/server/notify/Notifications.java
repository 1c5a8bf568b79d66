package dev.dopq.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.JobViews;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts a notification into the outbox when a job ends. Only enqueues (one database insert on the committing
 * thread); the {@link Courier} delivers. The server-wide webhook gets every finished job.
 */
public final class Notifications implements Jobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Outbox outbox;
    private final String webhook;
    private final Clock clock;
    private final Runnable wake;

    /**
     * @param webhook the server-wide webhook URL, or null
     * @param wake    called after something was enqueued (wakes the courier)
     */
    public Notifications(Outbox outbox, String webhook, Clock clock, Runnable wake) {
        this.outbox = outbox;
        this.webhook = webhook;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public void changed(Job before, Job after) {
        if (!after.state().isTerminal() || (before != null && before.state().isTerminal())) {
            return;
        }
        if (webhook != null && outbox.add(after.id(), "end", Courier.WEBHOOK, webhook, body(after, "end"),
                clock.instant())) {
            LOG.debug("job {}: webhook notification queued", after.id());
            wake.run();
        }
    }

    /** The webhook's JSON: a Slack-compatible {@code text}, the event and the job as {@code --json} shows it. */
    static String body(Job job, String event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text(job));
        m.put("event", event);
        m.put("job", JobViews.json(job));
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.id() + " cannot be written as JSON", e);
        }
    }

    /** "dopq: job 12 "resnet" of ana SUCCEEDED (exit 0) after 3m 12s". */
    static String text(Job job) {
        StringBuilder sb = new StringBuilder("dopq: job ").append(job.id()).append(" \"").append(job.name())
                .append("\" of ").append(job.user()).append(' ').append(job.state().name());
        if (job.exitCode() != null) {
            sb.append(" (exit ").append(job.exitCode()).append(')');
        }
        if (job.startedAt() != null && job.finishedAt() != null) {
            sb.append(" after ").append(human(Duration.between(job.startedAt(), job.finishedAt())));
        }
        if (job.reason() != null && !job.reason().isBlank()) {
            sb.append(": ").append(job.reason());
        }
        return sb.toString();
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        return (s / 3600) + "h " + ((s % 3600) / 60) + "m";
    }
}
