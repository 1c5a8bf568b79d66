package dev.dopq.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.JobViews;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.NotifyTargets;
import dev.dopq.server.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts a notification into the outbox when a job ends. Only enqueues (database writes on the committing thread);
 * the {@link Courier} delivers. The server-wide webhook gets every finished job; a user's own webhook and e-mail
 * address ({@code dopq notify set}) get that user's.
 */
public final class Notifications implements Jobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Outbox outbox;
    private final String webhook;
    private final NotifyTargets users;
    private final boolean email;
    private final Clock clock;
    private final Runnable wake;

    /**
     * @param webhook the server-wide webhook URL, or null
     * @param users   each user's own targets
     * @param email   true when an SMTP server is configured (else users' addresses are not used)
     * @param wake    called after something was enqueued (wakes the courier)
     */
    public Notifications(Outbox outbox, String webhook, NotifyTargets users, boolean email, Clock clock,
                         Runnable wake) {
        this.outbox = outbox;
        this.webhook = webhook;
        this.users = users;
        this.email = email;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public void changed(Job before, Job after) {
        if (!after.state().isTerminal() || (before != null && before.state().isTerminal())) {
            return;
        }
        String body = body(after, "end");
        NotifyTargets.Targets own = users.of(after.user());
        boolean queued = add(after, Courier.WEBHOOK, webhook, body);
        queued |= add(after, Courier.WEBHOOK, own.webhook(), body);
        queued |= email && add(after, Courier.EMAIL, own.email(), body);
        if (queued) {
            wake.run();
        }
    }

    private boolean add(Job job, String channel, String target, String body) {
        if (target == null || !outbox.add(job.id(), "end", channel, target, body, clock.instant())) {
            return false;
        }
        LOG.debug("job {}: {} notification queued", job.id(), channel);
        return true;
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
