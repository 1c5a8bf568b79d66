package dev.dopq.server.service;

import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts core values to API records and to the JSON shape the client prints. */
public final class JobViews {
    private JobViews() {
    }

    /**
     * The job as of {@code now}: a stopping job's seconds to the kill are counted from it, rounded up so a fresh
     * cancel reads as its whole grace period (none without now).
     */
    public static JobView view(Job job, Instant now) {
        Long killIn = now != null && job.stopping() && job.killAt() != null
                ? (Math.max(0, java.time.Duration.between(now, job.killAt()).toMillis()) + 999) / 1000 : null;
        return new JobView(Long.toString(job.id()), job.name(), job.user(), job.state().name(), job.gpus(),
                job.gpusRequested(), job.exitCode(), job.submittedAt(), job.startedAt(), job.finishedAt(),
                job.reason(), job.attempt(), node(job), job.inArray() ? Long.toString(job.arrayId()) : null,
                job.inArray() ? job.arrayIndex() : null, job.stopping(), job.stopRequestedAt(), job.killAt(), killIn,
                ids(job.after()), ids(job.afterAny()), job.gpuMemory());
    }

    /** The job, where no stopping job's seconds to the kill are asked for (queue, history, submit). */
    public static JobView view(Job job) {
        return view(job, null);
    }

    private static java.util.List<String> ids(java.util.List<Long> ids) {
        return ids.stream().map(String::valueOf).toList();
    }

    /** The node of a job that runs or ran; null for one that never did. */
    public static String node(Job job) {
        boolean ran = job.startedAt() != null || job.state() == dev.dopq.server.core.JobState.RUNNING;
        return !ran || job.engine() == null || job.engine().isBlank() ? null : job.engine();
    }

    public static JobEventView view(JobEvent e) {
        return new JobEventView(e.at(), e.actor(), e.from() == null ? null : e.from().name(), e.to().name(),
                e.reason());
    }

    /** The job as {@code dopq job --json} shows its {@code job} object (field names scripts rely on). */
    public static Map<String, Object> json(Job job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", Long.toString(job.id()));
        m.put("name", job.name());
        m.put("user", job.user());
        m.put("state", job.state().name());
        m.put("gpus", job.gpus());
        m.put("gpusRequested", job.gpusRequested());
        m.put("exitCode", job.exitCode());
        m.put("submittedAt", iso(job.submittedAt()));
        m.put("startedAt", iso(job.startedAt()));
        m.put("finishedAt", iso(job.finishedAt()));
        m.put("reason", job.reason());
        m.put("attempt", job.attempt());
        m.put("node", node(job));
        m.put("stopping", job.stopping());
        m.put("stopRequestedAt", iso(job.stopRequestedAt()));
        m.put("killAt", iso(job.killAt()));
        m.put("after", ids(job.after()));
        m.put("afterAny", ids(job.afterAny()));
        return m;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
