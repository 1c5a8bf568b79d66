package dev.dopq.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.container.JobSpec;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.JobViews;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.NotifyTargets;
import dev.dopq.server.store.JobStore;
import dev.dopq.server.store.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a notification into the outbox when a job ends. Only enqueues (database writes on the committing thread);
 * the {@link Courier} delivers. The server-wide webhook gets every finished job; a user's own webhook and e-mail
 * address ({@code dopq notify set}) get that user's.
 */
public final class Notifications implements Jobs.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CATCH_UP_PAGE = 500;

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

    /**
     * Queues the end notifications of jobs that ended within {@code window} before now and have none: a crash
     * between a job's end and the listener's insert would otherwise lose them. Run once at start, before the
     * courier; returns how many jobs were caught up.
     */
    public int catchUp(JobStore jobs, Duration window) {
        java.time.Instant since = clock.instant().minus(window);
        int caught = 0;
        Long before = null;
        while (true) {
            List<Job> page = jobs.history(null, since, before, CATCH_UP_PAGE);
            for (Job job : page) {
                if (job.ownerKnown() && !outbox.has(job.id(), "end")) {
                    changed(null, job);
                    caught++;
                }
            }
            if (page.size() < CATCH_UP_PAGE) {
                break;
            }
            before = page.get(page.size() - 1).id();
        }
        if (caught > 0) {
            LOG.info("{} job(s) ended without their notifications being queued (a crash?); queued now", caught);
        }
        return caught;
    }

    @Override
    public void changed(Job before, Job after) {
        boolean ended = after.state().isTerminal() && (before == null || !before.state().isTerminal());
        boolean started = after.state() == JobState.RUNNING && (before == null || before.state() != JobState.RUNNING);
        if (!ended && !started) {
            return;
        }
        List<String> wanted = events(after);
        NotifyTargets.Targets own = users.of(after.user());
        boolean queued = false;
        if (ended) {
            String body = body(after, "end");
            // the server-wide webhook is the admin's: it hears every end, whatever the job asked for
            queued = add(after, "end", Courier.WEBHOOK, webhook, body);
            boolean ownEnd = wanted.contains("end") || (wanted.contains("fail") && after.state() == JobState.FAILED);
            if (ownEnd) {
                queued |= toOwnTargets(after, "end", own, body);
            }
        } else if (wanted.contains("start")) {
            queued = toOwnTargets(after, "start-" + after.attempt(), own, body(after, "start"));
        }
        if (queued) {
            wake.run();
        }
    }

    private boolean toOwnTargets(Job job, String event, NotifyTargets.Targets own, String body) {
        boolean queued = add(job, event, Courier.WEBHOOK, own.webhook(), body);
        return queued | (email && add(job, event, Courier.EMAIL, own.email(), body));
    }

    /** The events the job's container_config.json asked for ({@code notify}); the end when it names none. */
    private static List<String> events(Job job) {
        if (job.specJson() == null) {
            return JobSpec.DEFAULT_NOTIFY;
        }
        try {
            return JobSpec.fromJson(job.specJson()).notifyOn();
        } catch (IllegalArgumentException e) {
            LOG.warn("job {}: its stored spec cannot be read ({}); notifying of its end", job.id(), e.getMessage());
            return JobSpec.DEFAULT_NOTIFY;
        }
    }

    private boolean add(Job job, String event, String channel, String target, String body) {
        if (target == null || !outbox.add(job.id(), event, channel, target, body, clock.instant())) {
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

    /** "dopq: job 12 "resnet" of ana SUCCEEDED (exit 0) after 3m 12s", or "... started on GPUs 0,1". */
    static String text(Job job) {
        if (job.state() == JobState.RUNNING) {
            return "dopq: job " + job.id() + " \"" + job.name() + "\" of " + job.user() + " started"
                    + (job.gpus().isEmpty() ? " (CPU only)" : " on GPUs " + String.join(",", job.gpus()))
                    + (job.attempt() > 1 ? " (attempt " + job.attempt() + ")" : "");
        }
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
