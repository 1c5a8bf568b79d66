package dev.dopq.bench.harness;

import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Waiting for jobs through the API (tests and runners may poll with a deadline). */
public final class Jobs {
    private Jobs() {
    }

    /** Polls the history until {@code count} finished jobs match, or fails at the deadline. */
    public static List<JobView> awaitFinished(DopqSession s, Predicate<JobView> match, int count, Duration within)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            List<JobView> hits = finished(s, match);
            if (hits.size() >= count) {
                return hits;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + hits.size() + " of " + count + " jobs finished within "
                        + within);
            }
            Thread.sleep(100);
        }
    }

    /** Every finished job matching {@code match} (pages through the whole history). */
    public static List<JobView> finished(DopqSession s, Predicate<JobView> match) throws Exception {
        List<JobView> all = new ArrayList<>();
        String before = null;
        while (true) {
            List<JobView> page = s.history(new HistoryQuery(null, null, 1000, before));
            page.stream().filter(match).forEach(all::add);
            if (page.size() < 1000) {
                return all;
            }
            before = page.get(page.size() - 1).id();
        }
    }

    public static Instant lastFinish(List<JobView> jobs) {
        return jobs.stream().map(JobView::finishedAt).max(Instant::compareTo).orElseThrow();
    }

    public static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
