package dev.dopq.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.DopqSession;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;

/** Reading the whole queue page by page, and how a page is shown to people and scripts. */
final class QueuePages {
    private QueuePages() {
    }

    /**
     * Every matching job from {@code offset} on, in pages of the largest size the server accepts. The queue may
     * move between pages (a job starts, one arrives); the result is then what each page saw, and the counts are
     * those of the last page.
     */
    static QueuePage all(DopqSession session, String user, int offset) throws java.rmi.RemoteException,
            ApiException {
        List<QueueEntry> jobs = new ArrayList<>();
        QueuePage page;
        do {
            page = session.queue(new QueueQuery(user, offset + jobs.size(), ApiLimits.MAX_QUEUE_LIMIT));
            jobs.addAll(page.jobs());
        } while (!page.jobs().isEmpty() && page.remaining() > 0);
        return new QueuePage(page.total(), page.matching(), offset, jobs);
    }

    /** The line under a table that does not show every matching job. */
    static String more(QueuePage page) {
        return "... " + page.remaining() + " more (use --all / --limit)";
    }

    /**
     * The JSON of {@code dopq queue}: the counts, then the jobs with their position first and the fields of a job
     * as every other command prints them, so scripts read {@code .jobs[].id} as they read {@code .[].id} elsewhere.
     */
    static Map<String, Object> json(QueuePage page) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("matching", page.matching());
        out.put("offset", page.offset());
        out.put("remaining", page.remaining());
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (QueueEntry entry : page.jobs()) {
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("position", entry.position());
            job.putAll(Json.fields(entry.job()));
            jobs.add(job);
        }
        out.put("jobs", jobs);
        return out;
    }
}
