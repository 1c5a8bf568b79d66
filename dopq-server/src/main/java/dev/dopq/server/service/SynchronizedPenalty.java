package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.PenaltySnapshot;

import java.time.Instant;
import java.util.Map;

/** Penalty policies are plain single-threaded values; the queue thread and API threads share this one. */
public final class SynchronizedPenalty implements PenaltyPolicy {
    private final PenaltyPolicy delegate;

    public SynchronizedPenalty(PenaltyPolicy delegate) {
        this.delegate = delegate;
    }

    @Override
    public synchronized void onStarted(Job job, Instant at) {
        delegate.onStarted(job, at);
    }

    @Override
    public synchronized void onFinished(Job job, Instant at) {
        delegate.onFinished(job, at);
    }

    @Override
    public synchronized double penalty(String user, Instant now) {
        return delegate.penalty(user, now);
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public synchronized PenaltySnapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public synchronized void restore(PenaltySnapshot snapshot) {
        delegate.restore(snapshot);
    }

    @Override
    public synchronized Map<String, Double> penalties(Instant now) {
        return Map.copyOf(delegate.penalties(now));
    }
}
