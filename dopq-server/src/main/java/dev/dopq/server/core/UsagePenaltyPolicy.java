package dev.dopq.server.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Penalty = the user's GPU-seconds, decayed exponentially with a half-life; a CPU-only job counts
 * {@code cpuWeight} per second. Running jobs count as they run, so a user with four running jobs is not "fresh".
 * <p>
 * Each user keeps (value, asOf) and is decayed lazily on lookup. A job running at rate {@code w} since {@code s}
 * has accrued, decayed to {@code t}: {@code w * (1 - e^(-λ(t-s))) / λ} with {@code λ = ln 2 / halfLife}; that is
 * added to the user's value when the job finishes and computed on the fly while it runs.
 */
final class UsagePenaltyPolicy implements PenaltyPolicy {
    private final String description;
    private final double lambdaPerSecond;
    private final double cpuWeight;
    private final Map<String, Entry> users = new HashMap<>();
    private final Map<Long, Run> running = new HashMap<>();

    private record Entry(double value, Instant asOf) {
    }

    private record Run(String user, double rate, Instant startedAt) {
    }

    UsagePenaltyPolicy(Duration halfLife, double cpuWeight) {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isZero() || halfLife.isNegative()) {
            throw new IllegalArgumentException("half-life must be positive, was " + halfLife);
        }
        if (!(cpuWeight >= 0)) {
            throw new IllegalArgumentException("cpu weight must be >= 0, was " + cpuWeight);
        }
        this.lambdaPerSecond = Math.log(2) / seconds(halfLife);
        this.cpuWeight = cpuWeight;
        this.description = "usage half_life=" + seconds(halfLife) + " cpu_weight=" + cpuWeight;
    }

    @Override
    public synchronized void onStarted(Job job, Instant at) {
        Instant start = job.startedAt() != null ? job.startedAt() : at;
        running.put(job.id(), new Run(job.user(), rate(job), start));
    }

    @Override
    public synchronized void onFinished(Job job, Instant at) {
        Run run = running.remove(job.id());
        if (run == null) {
            // Replayed history (or a start we did not see): the job carries its own start and GPUs.
            if (job.startedAt() == null) {
                return;
            }
            run = new Run(job.user(), rate(job), job.startedAt());
        }
        double value = stored(run.user(), at) + accrued(run, at);
        users.put(run.user(), new Entry(value, later(at, users.get(run.user()))));
    }

    @Override
    public synchronized double penalty(String user, Instant now) {
        double value = stored(user, now);
        for (Run run : running.values()) {
            if (run.user().equals(user)) {
                value += accrued(run, now);
            }
        }
        return value;
    }

    @Override
    public synchronized Map<String, Double> penalties(Instant now) {
        Map<String, Double> result = new TreeMap<>();
        for (String user : users.keySet()) {
            result.put(user, stored(user, now));
        }
        for (Run run : running.values()) {
            result.merge(run.user(), accrued(run, now), Double::sum);
        }
        // A user whose usage decayed to nothing and who runs nothing is no longer interesting.
        result.entrySet().removeIf(e -> e.getValue() <= 0 && !hasRunning(e.getKey()));
        return result;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public synchronized PenaltySnapshot snapshot() {
        List<PenaltySnapshot.UserPenalty> stored = new ArrayList<>();
        users.forEach((user, e) -> stored.add(new PenaltySnapshot.UserPenalty(user, e.value(), e.asOf(), 0)));
        return new PenaltySnapshot(description, 0, stored);
    }

    @Override
    public synchronized void restore(PenaltySnapshot snapshot) {
        if (!description.equals(snapshot.policy())) {
            throw new IllegalArgumentException("a snapshot of \"" + snapshot.policy() + "\" cannot restore \""
                    + description + "\"");
        }
        users.clear();
        snapshot.users().forEach(u -> users.put(u.user(), new Entry(u.value(), Objects.requireNonNull(u.asOf()))));
    }

    private boolean hasRunning(String user) {
        return running.values().stream().anyMatch(r -> r.user().equals(user));
    }

    private double rate(Job job) {
        // a job sharing its GPU is charged its fraction of it (gpu_memory over the GPU's memory)
        double gpus = job.gpuWeight();
        return gpus > 0 ? gpus : cpuWeight;
    }

    /** The stored value decayed to {@code now}; a lookup before the stored time does not grow it. */
    private double stored(String user, Instant now) {
        Entry entry = users.get(user);
        if (entry == null) {
            return 0.0;
        }
        double elapsed = Math.max(0.0, secondsBetween(entry.asOf(), now));
        return entry.value() * Math.exp(-lambdaPerSecond * elapsed);
    }

    private double accrued(Run run, Instant now) {
        double elapsed = Math.max(0.0, secondsBetween(run.startedAt(), now));
        return run.rate() * -Math.expm1(-lambdaPerSecond * elapsed) / lambdaPerSecond;
    }

    private static Instant later(Instant at, Entry previous) {
        return previous != null && previous.asOf().isAfter(at) ? previous.asOf() : at;
    }

    private static double secondsBetween(Instant from, Instant to) {
        return seconds(Duration.between(from, to));
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
