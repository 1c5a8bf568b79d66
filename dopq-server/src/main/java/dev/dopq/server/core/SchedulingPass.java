package dev.dopq.server.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One walk over the ordered queue: mutable working state of {@link Scheduler#decide}. */
final class SchedulingPass {
    private final List<Job> order;
    private final Map<String, Double> penalties;
    private final Instant now;
    private final Deque<String> free;
    private final List<Job> busy;
    private final int capacity;
    private final List<Placement> starts = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Long, String> waiting = new LinkedHashMap<>();
    private final Map<String, Long> held = new LinkedHashMap<>();
    private GpuReservation hold;

    /** A job that waits; its reason is written once the held GPUs are known. */
    private record Pending(Job job, int position, int freeThen, String refusal) {
    }

    SchedulingPass(List<Job> order, Map<String, Double> penalties, List<Job> running, List<String> freeGpus,
                   Instant now) {
        this.order = order;
        this.penalties = penalties;
        this.now = now;
        this.free = new ArrayDeque<>(new LinkedHashSet<>(freeGpus));
        this.busy = new ArrayList<>(running);
        this.capacity = capacity(running, freeGpus);
    }

    /**
     * GPUs that exist as far as the queue can tell: free ones plus ours in use. GPUs busy with foreign
     * processes are invisible here, so a job fitting only with them does not hold GPUs (it still waits).
     */
    private static int capacity(List<Job> running, List<String> freeGpus) {
        Set<String> known = new LinkedHashSet<>(freeGpus);
        int unnamed = 0;
        for (Job job : running) {
            if (job.gpus().isEmpty()) {
                unnamed += job.gpusRequested();
            }
            known.addAll(job.gpus());
        }
        return known.size() + unnamed;
    }

    Decision run() {
        for (int i = 0; i < order.size(); i++) {
            consider(order.get(i), i + 1);
        }
        markHeld();
        pending.forEach(p -> waiting.put(p.job().id(), reason(p)));
        return new Decision(starts, order, waiting, held);
    }

    Decision locked() {
        for (int i = 0; i < order.size(); i++) {
            waiting.put(order.get(i).id(), Reasons.locked(i + 1, order.size()));
        }
        return new Decision(List.of(), order, waiting, Map.of());
    }

    private void consider(Job job, int position) {
        if (job.cpuOnly()) {
            start(job);
            return;
        }
        if (job.gpusRequested() > capacity) {
            waiting.put(job.id(), Reasons.position(position, order.size()) + "; "
                    + Reasons.impossible(job, capacity));
            return;
        }
        boolean fits = job.gpusRequested() <= free.size();
        if (hold == null) {
            if (fits) {
                start(job);
            } else {
                hold = GpuReservation.hold(job, free.size(), busy);
                pending.add(new Pending(job, position, free.size(), null));
            }
            return;
        }
        if (fits && hold.admit(job, now)) {
            start(job);
            return;
        }
        pending.add(new Pending(job, position, free.size(), fits ? hold.refusal(job, now) : null));
    }

    private void start(Job job) {
        List<String> gpus = new ArrayList<>();
        for (int i = 0; i < job.gpusRequested() && !job.cpuOnly(); i++) {
            gpus.add(free.removeFirst());
        }
        starts.add(new Placement(job, gpus));
        busy.add(job.toBuilder().state(JobState.RUNNING).startedAt(now).gpus(gpus).build());
    }

    private void markHeld() {
        if (hold == null) {
            return;
        }
        int count = hold.heldCount(free.size());
        free.stream().limit(count).forEach(gpu -> held.put(gpu, hold.heldJob().id()));
    }

    private String reason(Pending p) {
        Job job = p.job();
        StringBuilder line = new StringBuilder(Reasons.position(p.position(), order.size()));
        Job first = hold.heldJob();
        if (first.id() != job.id()) {
            line.append("; ").append(Reasons.behind(first, penalty(first), job, penalty(job)));
        }
        line.append("; ").append(Reasons.need(job, p.freeThen()));
        List<String> heldGpus = new ArrayList<>(held.keySet());
        if (first.id() == job.id()) {
            line.append(heldGpus.isEmpty() ? "" : "; GPUs " + String.join(",", heldGpus) + " held for it");
            line.append("; ").append(expectedStart());
        } else if (!heldGpus.isEmpty()) {
            line.append("; ").append(Reasons.heldFor(heldGpus, first.id()));
            if (p.refusal() != null) {
                line.append(' ').append(p.refusal());
            }
        }
        return line.toString();
    }

    private String expectedStart() {
        if (hold.shadow() != null) {
            return "enough GPUs free by " + Reasons.time(hold.shadow()) + " at the latest";
        }
        return hold.untimedBlocker() != 0
                ? "start time unknown: job " + hold.untimedBlocker() + " runs without timeout"
                : "start time unknown: other GPUs are busy outside the queue";
    }

    private double penalty(Job job) {
        return penalties.getOrDefault(job.user(), 0.0);
    }
}
