package dev.dopq.server;

import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.metrics.DopqMetrics;
import dev.dopq.server.notify.Courier;
import dev.dopq.server.notify.EmailChannel;
import dev.dopq.server.notify.Notifications;
import dev.dopq.server.notify.WebhookChannel;
import dev.dopq.server.rmi.Backend;
import dev.dopq.server.rmi.InProcessApi;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.NotifyTargets;
import dev.dopq.server.store.Database;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.Workers;
import dev.dopq.server.web.Dashboard;
import dev.dopq.server.web.Health;
import dev.dopq.server.web.MetricsPage;
import dev.dopq.server.web.WebServer;
import dev.dopq.server.web.WebSessions;
import dev.dopq.server.web.WebTls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the server tells the outside besides the RMI API: notifications of ended jobs (webhook, e-mail) and the HTTP
 * endpoint (health, metrics, dashboard). Started by {@link Server} and stopped by it: the web first, with the API,
 * and the courier last, so what is not delivered stays in the outbox for the next start.
 */
final class Outlets {
    private static final Logger LOG = LoggerFactory.getLogger(Outlets.class);
    /** How far back a start looks for ended jobs whose notifications a crash kept from being queued. */
    private static final Duration CATCH_UP = Duration.ofHours(6);
    private final Courier courier;
    private final Workers notifyWorkers;
    private WebServer web;

    private Outlets(Courier courier, Workers notifyWorkers) {
        this.courier = courier;
        this.notifyWorkers = notifyWorkers;
    }

    /** The outbox courier (delivering what an earlier run left too) and the listener that fills the outbox. */
    static Outlets startNotifications(DopqConfig.Notify n, Database db, NotifyTargets targets, Jobs jobs,
                                      Clock clock) {
        Workers workers = new Workers("dopq-notify-http", 1);
        Map<String, Courier.Channel> channels = new HashMap<>();
        channels.put(Courier.WEBHOOK, new WebhookChannel(workers));
        if (n.smtpHost() != null) {
            channels.put(Courier.EMAIL, new EmailChannel(new EmailChannel.Smtp(n.smtpHost(), n.smtpPort(),
                    n.smtpUser(), n.smtpPassword(), n.smtpFrom(), n.smtpTls())));
        }
        Courier courier = new Courier(db.outbox(), channels, n.retries(), n.backoff(), clock);
        Notifications notifications = new Notifications(db.outbox(), n.webhook(), targets, n.smtpHost() != null,
                clock, courier::signal);
        jobs.addListener(notifications);
        notifications.catchUp(jobs.store(), CATCH_UP);
        courier.start();
        return new Outlets(courier, workers);
    }

    /** The HTTP endpoint ({@code [web]}), unless its port is 0. */
    void startWeb(DopqConfig.Web w, Jobs jobs, Accounts accounts, Backend api, DopqMetrics metrics,
                  Supplier<String> healthProblem, Clock clock) throws Exception {
        if (!w.enabled()) {
            return;
        }
        web = new WebServer(w.host(), w.port(), w.tls() ? WebTls.context(w.keystore(), w.keystorePassword()) : null);
        web.route("/healthz", new Health(healthProblem));
        web.route("/metrics", new MetricsPage(metrics::scrape));
        WebSessions sessions = new WebSessions(clock, w.tls());
        // as with the API's sessions: a new token, a lost admin right or a removal ends the user's logins
        accounts.addListener((user, change) -> {
            if (change != Accounts.Change.ADDED && sessions.endAll(user) > 0) {
                LOG.info("dashboard sessions of {} ended ({})", user, change);
            }
        });
        Dashboard dashboard = new Dashboard(new InProcessApi(api), sessions, w.publicUrl());
        jobs.addListener((before, after) -> dashboard.changed());
        web.route("/", dashboard);
        web.onStop(() -> dashboard.close(Duration.ofSeconds(5)));
        web.start();
    }

    /** The port the HTTP endpoint listens on, or 0 when it is off. */
    int webPort() {
        return web == null ? 0 : web.boundPort();
    }

    void stopWeb(Deadline deadline) {
        if (web != null) {
            web.stop(deadline.left());
        }
    }

    /** Stops delivering; what is not delivered yet stays in the outbox for the next start. */
    void stopNotifications(Deadline deadline) {
        courier.stop(deadline.left());
        notifyWorkers.shutdown(deadline);
    }
}
