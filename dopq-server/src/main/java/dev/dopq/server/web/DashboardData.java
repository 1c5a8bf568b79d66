package dev.dopq.server.web;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;
import dev.dopq.api.GpuView;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.SystemStatus;
import dev.dopq.api.UserStats;
import dev.dopq.server.rmi.InProcessApi;

import java.rmi.RemoteException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the dashboard shows, read through the in-process API and shaped as JSON-ready maps. */
final class DashboardData {
    private static final int QUEUE_ROWS = 200;
    private static final int HISTORY_ROWS = 25;

    private final InProcessApi api;

    DashboardData(InProcessApi api) {
        this.api = api;
    }

    /** The main page: GPUs, running jobs, the queue with why each waits, recent history, users. */
    Map<String, Object> overview(WebSessions.Session who) throws ApiException, RemoteException {
        DopqSession s = api.sessionOf(who.user(), who.admin());
        SystemStatus status = s.status();
        Map<String, JobView> running = new LinkedHashMap<>();
        s.running().forEach(j -> running.put(j.id(), j));
        Map<Long, String> waiting = api.waiting();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("me", Map.of("user", who.user(), "admin", who.admin(), "csrf", who.csrf()));
        m.put("locked", status.locked());
        m.put("counts", Map.of("queued", status.queued(), "running", status.running(), "building",
                status.building()));
        m.put("gpus", s.gpus().stream().map(g -> gpu(g, running)).toList());
        m.put("running", running.values().stream().map(DashboardData::job).toList());
        List<Map<String, Object>> queue = new ArrayList<>();
        for (QueueEntry e : s.queue(QueueQuery.head(QUEUE_ROWS)).jobs()) {
            Map<String, Object> j = job(e.job());
            j.put("position", e.position());
            j.put("waiting", waiting.get(Long.parseLong(e.job().id())));
            queue.add(j);
        }
        m.put("queue", queue);
        m.put("history", s.history(HistoryQuery.latest(HISTORY_ROWS)).stream().map(DashboardData::job).toList());
        m.put("users", s.users().stream().map(DashboardData::user).toList());
        return m;
    }

    /** One job: its view, resources, events and why it waits. */
    Map<String, Object> job(WebSessions.Session who, String id) throws ApiException, RemoteException {
        JobDetail d = api.sessionOf(who.user(), who.admin()).job(id);
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> job = job(d.job());
        boolean mine = who.admin() || who.user().equals(d.job().user());
        m.put("me", Map.of("user", who.user(), "admin", who.admin(), "csrf", who.csrf()));
        m.put("job", job);
        m.put("image", d.image());
        m.put("memory", d.memory());
        m.put("timeoutSeconds", d.timeoutSeconds());
        m.put("retries", d.retries());
        m.put("waiting", d.waiting());
        m.put("mayAct", mine);
        m.put("events", d.events().stream().map(DashboardData::event).toList());
        return m;
    }

    private static Map<String, Object> gpu(GpuView g, Map<String, JobView> running) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("busy", g.busy());
        m.put("job", g.job());
        JobView j = g.job() == null ? null : running.get(g.job());
        m.put("user", j == null ? null : j.user());
        m.put("heldFor", g.heldFor());
        m.put("foreign", g.foreign());
        m.put("utilization", g.utilization());
        m.put("memoryUsed", g.memoryUsed());
        m.put("memoryTotal", g.memoryTotal());
        // jobs sharing the GPU by gpu_memory: each with its owner and what it asked
        m.put("jobs", g.jobs().stream().map(on -> {
            Map<String, Object> e = new LinkedHashMap<>();
            JobView view = running.get(on.job());
            e.put("id", on.job());
            e.put("user", on.user() != null ? on.user() : view == null ? null : view.user());
            e.put("memoryAsked", on.memoryAsked());
            return e;
        }).toList());
        m.put("memoryAsked", g.memoryAsked());
        return m;
    }

    static Map<String, Object> job(JobView j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("name", j.name());
        m.put("user", j.user());
        m.put("state", j.state());
        m.put("gpus", j.gpus());
        m.put("gpusRequested", j.gpusRequested());
        m.put("gpuMemory", j.gpuMemory());
        m.put("exitCode", j.exitCode());
        m.put("submittedAt", iso(j.submittedAt()));
        m.put("startedAt", iso(j.startedAt()));
        m.put("finishedAt", iso(j.finishedAt()));
        m.put("reason", j.reason());
        m.put("attempt", j.attempt());
        return m;
    }

    private static Map<String, Object> user(UserStats u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", u.user());
        m.put("penalty", u.penalty());
        m.put("running", u.running());
        m.put("queued", u.queued());
        m.put("finished", u.finished());
        return m;
    }

    private static Map<String, Object> event(JobEventView e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", iso(e.at()));
        m.put("actor", e.actor());
        m.put("from", e.from());
        m.put("to", e.to());
        m.put("reason", e.reason());
        return m;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
