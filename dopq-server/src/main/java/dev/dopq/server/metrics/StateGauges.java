package dev.dopq.server.metrics;

import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.WaitKind;
import dev.dopq.server.gpu.GpuDevice;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Gauges read from the server's state at each scrape: jobs, queue, GPUs, users. Nothing is cached here. */
final class StateGauges {
    private static final EnumSet<JobState> ACTIVE = EnumSet.of(JobState.RECEIVED, JobState.BUILDING, JobState.QUEUED,
            JobState.RUNNING);
    private static final List<String> GPU_STATES = List.of("free", "busy", "held", "foreign", "locked");
    private static final List<String> WAIT_REASONS = java.util.Arrays.stream(WaitKind.values()).map(WaitKind::label)
            .toList();

    private final MetricsSources s;

    StateGauges(PrometheusRegistry registry, MetricsSources sources) {
        this.s = sources;
        GaugeWithCallback.builder().name("dopq_jobs")
                .help("Jobs that have not ended, by state (RECEIVED, BUILDING, QUEUED, RUNNING) and user")
                .labelNames("state", "user").callback(cb -> jobsByStateAndUser().forEach((k, n) ->
                        cb.call(n, k.split("\u0000", 2)))).register(registry);
        GaugeWithCallback.builder().name("dopq_queue_oldest_wait_seconds")
                .help("Age of the oldest queued job (0 when none waits)")
                .callback(cb -> cb.call(oldestWait())).register(registry);
        GaugeWithCallback.builder().name("dopq_queue_waiting_jobs")
                .help("Queued jobs that do not start now, by why they wait: locked (queue locked), impossible"
                        + " (more GPUs than the machine has), behind (another job goes first), gpus (not enough"
                        + " free), held (GPUs held for a bigger job), position, other")
                .labelNames("reason").callback(cb -> waitingByReason().forEach((r, n) -> cb.call(n, r)))
                .register(registry);
        GaugeWithCallback.builder().name("dopq_gpus")
                .help("GPUs by state: free, busy (one of our jobs), held (kept free for a waiting job), foreign"
                        + " (a process that is not ours), locked (free but the queue is locked)")
                .labelNames("state").callback(cb -> gpusByState().forEach((st, n) -> cb.call(n, st)))
                .register(registry);
        GaugeWithCallback.builder().name("dopq_user_gpus_in_use")
                .help("GPUs held by each user's running jobs").labelNames("user")
                .callback(cb -> gpusInUse().forEach((u, n) -> cb.call(n, u))).register(registry);
        GaugeWithCallback.builder().name("dopq_user_penalty")
                .help("Each user's fair-share penalty (lower starts first)").labelNames("user")
                .callback(cb -> s.penalties().penalties(s.clock().instant()).forEach((u, p) -> cb.call(p, u)))
                .register(registry);
        GaugeWithCallback.builder().name("dopq_queue_locked")
                .help("1 while an admin has locked the queue (no new starts)")
                .callback(cb -> cb.call(s.queue().locked() ? 1 : 0)).register(registry);
    }

    private List<Job> active() {
        return s.jobs().active().inStates(ACTIVE);
    }

    private Map<String, Integer> jobsByStateAndUser() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Job j : active()) {
            counts.merge(j.state().name() + "\u0000" + JobCounters.label(j.user()), 1, Integer::sum);
        }
        return counts;
    }

    private double oldestWait() {
        Instant now = s.clock().instant();
        return s.jobs().active().inStates(EnumSet.of(JobState.QUEUED)).stream()
                .map(Job::submittedAt).filter(t -> t != null).min(Instant::compareTo)
                .map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0)).orElse(0.0);
    }

    private Map<String, Integer> waitingByReason() {
        Map<String, Integer> counts = new TreeMap<>();
        WAIT_REASONS.forEach(r -> counts.put(r, 0));
        Decision d = s.queue().preview();
        boolean locked = s.queue().locked();
        for (Long id : d.waiting().keySet()) {
            WaitKind kind = locked ? WaitKind.LOCKED : d.kinds().getOrDefault(id, WaitKind.GPUS);
            counts.merge(kind.label(), 1, Integer::sum);
        }
        return counts;
    }

    private Map<String, Integer> gpusByState() {
        Map<String, Integer> counts = new TreeMap<>();
        GPU_STATES.forEach(st -> counts.put(st, 0));
        Map<String, Long> holders = holders();
        Map<String, Long> held = s.queue().lastDecision().held();
        boolean locked = s.queue().locked();
        for (GpuDevice d : s.queue().lastDevices()) {
            String st;
            if (holders.containsKey(d.id())) {
                st = "busy";
            } else if (d.foreignBusy()) {
                st = "foreign";
            } else if (held.containsKey(d.id())) {
                st = "held";
            } else {
                st = locked ? "locked" : "free";
            }
            counts.merge(st, 1, Integer::sum);
        }
        return counts;
    }

    /** GPU id to the running job holding it. */
    Map<String, Long> holders() {
        Map<String, Long> holder = new HashMap<>();
        for (Job j : s.jobs().active().inStates(EnumSet.of(JobState.RUNNING))) {
            j.gpus().forEach(g -> holder.put(g, j.id()));
        }
        return holder;
    }

    private Map<String, Integer> gpusInUse() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Job j : s.jobs().active().inStates(EnumSet.of(JobState.RUNNING))) {
            counts.merge(j.user(), j.gpus().size(), Integer::sum);
        }
        return counts;
    }
}
