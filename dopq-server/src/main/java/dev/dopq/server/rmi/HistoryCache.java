package dev.dopq.server.rmi;

import dev.dopq.api.JobView;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * History pages as read last, served again while no job moved and for under {@link #MAX_AGE}: many clients
 * watching {@code dopq history} ask for the same newest page, and finished jobs never change. A job that ends bumps
 * the active jobs' change count, which makes every page stale at once; a deletion of old history shows within
 * {@code MAX_AGE}. Callers asking for a stale page at the same time read it once.
 */
final class HistoryCache {
    static final Duration MAX_AGE = Duration.ofMillis(900);
    private static final int PAGES = 64;

    /** What a page was asked with. */
    record Query(String user, Instant since, Long beforeId, int limit) {
    }

    private record Page(long changes, Instant readAt, List<JobView> jobs) {
    }

    private final java.util.Set<Query> refreshing = new java.util.HashSet<>();
    private final Map<Query, Page> pages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Query, Page> eldest) {
            return size() > PAGES;
        }
    };

    /** Forgets every page (the history was cleared). */
    synchronized void clear() {
        pages.clear();
        refreshing.clear();
    }

    /**
     * The page for {@code query}: the cached one if it was read at {@code changes} less than {@code MAX_AGE} before
     * {@code now}, else {@code read}'s. A page read at the same {@code changes} but older is still every job that
     * ended (only a sweep of old history can have changed it): while one caller reads it anew, the others are served
     * the older one instead of waiting.
     */
    List<JobView> get(Query query, long changes, Instant now, Supplier<List<JobView>> read) {
        Page page;
        synchronized (this) {
            page = pages.get(query);
            if (page != null && page.changes() == changes) {
                boolean young = Duration.between(page.readAt(), now).abs().compareTo(MAX_AGE) < 0;
                if (young || refreshing.contains(query)) {
                    return page.jobs();
                }
                refreshing.add(query);
            } else {
                return readNow(query, changes, now, read);
            }
        }
        try {
            Page fresh = new Page(changes, now, List.copyOf(read.get()));
            synchronized (this) {
                Page current = pages.get(query);
                if (current == null || current.changes() <= changes) {
                    pages.put(query, fresh);
                }
            }
            return fresh.jobs();
        } finally {
            synchronized (this) {
                refreshing.remove(query);
            }
        }
    }

    /** A page not read at these changes: every caller waits for it (under the lock), so it is read once. */
    private List<JobView> readNow(Query query, long changes, Instant now, Supplier<List<JobView>> read) {
        Page page = new Page(changes, now, List.copyOf(read.get()));
        pages.put(query, page);
        return page.jobs();
    }
}
