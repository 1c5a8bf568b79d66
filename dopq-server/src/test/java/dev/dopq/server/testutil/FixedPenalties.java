package dev.dopq.server.testutil;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.PenaltySnapshot;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Penalties set by hand, for scheduling tests that are about order rather than accounting. */
public final class FixedPenalties implements PenaltyPolicy {
    private final Map<String, Double> values = new HashMap<>();

    public static FixedPenalties none() {
        return new FixedPenalties();
    }

    public FixedPenalties with(String user, double penalty) {
        values.put(user, penalty);
        return this;
    }

    @Override
    public void onStarted(Job job, Instant at) {
    }

    @Override
    public void onFinished(Job job, Instant at) {
    }

    @Override
    public double penalty(String user, Instant now) {
        return values.getOrDefault(user, 0.0);
    }

    @Override
    public Map<String, Double> penalties(Instant now) {
        return new TreeMap<>(values);
    }

    @Override
    public String description() {
        return "fixed";
    }

    @Override
    public PenaltySnapshot snapshot() {
        return new PenaltySnapshot(description(), 0, values.entrySet().stream()
                .map(e -> new PenaltySnapshot.UserPenalty(e.getKey(), e.getValue(), null, 0)).toList());
    }

    @Override
    public void restore(PenaltySnapshot snapshot) {
        values.clear();
        snapshot.users().forEach(u -> values.put(u.user(), u.value()));
    }
}
