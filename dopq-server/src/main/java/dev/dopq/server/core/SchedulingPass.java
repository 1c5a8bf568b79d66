package dev.dopq.server.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One walk over the ordered queue with a waiting reason for every job: working state of {@link Scheduler#decide}. */
final class SchedulingPass {
    private final List<Job> order;
    private final Map<String, Double> penalties;
    private final Instant now;
    private final Placer placer;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Long, String> waiting = new LinkedHashMap<>();
    private final Map<Long, WaitKind> kinds = new LinkedHashMap<>();
    private Map<String, Long> held = Map.of();

    /** A job that waits; its reason is written once the held GPUs are known. */
    /** {@code need}: what the job needs against what was free when its turn came ("needs 2 GPUs, 1 free"). */
    private record Pending(Job job, int position, String need, String refusal) {
    }

    SchedulingPass(List<Job> order, Map<String, Double> penalties, List<Job> running, List<String> freeGpus,
                   Map<String, Long> gpuMemory, Instant now, QuotaState quotas) {
        this.order = order;
        this.penalties = penalties;
        this.now = now;
        this.placer = new Placer(running, freeGpus, gpuMemory, now, quotas);
    }

    Decision run() {
        for (int i = 0; i < order.size(); i++) {
            consider(order.get(i), i + 1);
        }
        held = placer.held();
        pending.forEach(p -> waiting.put(p.job().id(), reason(p)));
        return new Decision(placer.starts(), order, waiting, held, kinds);
    }

    Decision locked() {
        for (int i = 0; i < order.size(); i++) {
            waiting.put(order.get(i).id(), Reasons.locked(i + 1, order.size()));
            kinds.put(order.get(i).id(), WaitKind.LOCKED);
        }
        return new Decision(List.of(), order, waiting, Map.of(), kinds);
    }

    private void consider(Job job, int position) {
        int freeThen = placer.freeCount();
        long roomThen = placer.mostRoom();
        boolean fits = job.sharesGpu() ? placer.fitsNow(job) : job.gpusRequested() <= freeThen;
        switch (placer.consider(job)) {
            case STARTS -> {
            }
            case HELD -> waits(job, position, Reasons.held(job), WaitKind.HOLD);
            case IMPOSSIBLE -> waits(job, position, placer.impossible(job), WaitKind.IMPOSSIBLE);
            case QUOTA -> waits(job, position, placer.quotaRefusal(), placer.quotaKind());
            case HOLDS -> pending.add(new Pending(job, position, need(job, freeThen, roomThen), null));
            case WAITS -> pending.add(new Pending(job, position, need(job, freeThen, roomThen),
                    fits ? placer.hold().refusal(job, now) : null));
        }
    }

    private void waits(Job job, int position, String why, WaitKind kind) {
        waiting.put(job.id(), Reasons.position(position, order.size()) + "; " + why);
        kinds.put(job.id(), kind);
    }

    private String need(Job job, int freeThen, long roomThen) {
        return job.sharesGpu() ? Reasons.needRoom(job, roomThen)
                : Reasons.need(job, freeThen, placer.mostFreeOnOneNode());
    }

    private String reason(Pending p) {
        GpuReservation hold = placer.hold();
        Job job = p.job();
        StringBuilder line = new StringBuilder(Reasons.position(p.position(), order.size()));
        Job first = hold.heldJob();
        if (first.id() != job.id()) {
            line.append("; ").append(Reasons.behind(first, penalty(first), job, penalty(job)));
        }
        line.append("; ").append(p.need());
        List<String> heldGpus = new ArrayList<>(held.keySet());
        kinds.put(job.id(), first.id() == job.id() ? WaitKind.GPUS
                : heldGpus.isEmpty() ? WaitKind.BEHIND : WaitKind.RESERVED);
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
        GpuReservation hold = placer.hold();
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
