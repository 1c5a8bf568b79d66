package dev.dopq.server.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DoPQ's penalty: {@code penalty(user) = sum of e^-i over the positions i (0-based, newest first) of the user's
 * finished jobs in the history}.
 * <p>
 * Checked against the Python original (rezaurrakib/DoPQ-1.0, {@code dop_q.py}): {@code calc_exp_decay} is
 * {@code [np.exp(-i) for i in range(len(self.history))]} and {@code calc_penalty} sums it over a one-hot of the
 * user's entries; later versions insert each exited container at index 0 of the history, so position 0 is the
 * newest finish. DoPQ cut the history at {@code max.history} = 100 entries; we do not, since {@code e^-100}
 * (about 4e-44) cannot change any order.
 * <p>
 * Incremental form: each finish multiplies every user's sum by {@code e^-1} and adds {@code e^0 = 1} to the
 * finishing user. The multiplication is applied lazily: each user keeps its sum as of a finish count, and a
 * lookup decays it by the finishes since.
 */
final class DopqPenaltyPolicy implements PenaltyPolicy {
    private final Map<String, Entry> users = new HashMap<>();
    private final Map<Long, String> running = new HashMap<>();
    private long finishes;

    private record Entry(double value, long asOfFinish) {
    }

    @Override
    public synchronized void onStarted(Job job, Instant at) {
        running.put(job.id(), job.user());
    }

    @Override
    public synchronized void onFinished(Job job, Instant at) {
        running.remove(job.id());
        double before = current(job.user());
        finishes++;
        users.put(job.user(), new Entry(before * Math.exp(-1) + 1.0, finishes));
    }

    @Override
    public synchronized double penalty(String user, Instant now) {
        return current(user);
    }

    @Override
    public synchronized Map<String, Double> penalties(Instant now) {
        Map<String, Double> result = new TreeMap<>();
        for (String user : users.keySet()) {
            double value = current(user);
            if (value > 0) {
                result.put(user, value);
            }
        }
        for (String user : running.values()) {
            result.putIfAbsent(user, current(user));
        }
        return result;
    }

    @Override
    public String description() {
        return "dopq";
    }

    @Override
    public synchronized PenaltySnapshot snapshot() {
        List<PenaltySnapshot.UserPenalty> stored = new ArrayList<>();
        users.forEach((user, e) -> stored.add(new PenaltySnapshot.UserPenalty(user, e.value(), null, e.asOfFinish())));
        return new PenaltySnapshot(description(), finishes, stored);
    }

    @Override
    public synchronized void restore(PenaltySnapshot snapshot) {
        if (!description().equals(snapshot.policy())) {
            throw new IllegalArgumentException("a snapshot of \"" + snapshot.policy() + "\" cannot restore \""
                    + description() + "\"");
        }
        users.clear();
        snapshot.users().forEach(u -> users.put(u.user(), new Entry(u.value(), u.asOfFinish())));
        finishes = snapshot.finishes();
    }

    private double current(String user) {
        Entry entry = users.get(user);
        if (entry == null) {
            return 0.0;
        }
        return entry.value() * Math.exp(-(double) (finishes - entry.asOfFinish()));
    }
}
