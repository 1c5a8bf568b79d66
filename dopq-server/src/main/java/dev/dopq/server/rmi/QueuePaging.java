package dev.dopq.server.rmi;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.JobViews;
import dev.dopq.server.service.UserNames;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Cuts a page out of the queue's start order (the queue index's lazy order, so a page does not sort the queue). Only the page's jobs become API records: with 10,000 queued jobs a
 * page of 100 is one pass over the order in memory and 100 records on the wire, not 10,000.
 */
final class QueuePaging {
    private QueuePaging() {
    }

    /** Checks the query, then returns its page of {@code order}; positions are those in the whole order. */
    static QueuePage page(List<Job> order, QueueQuery q) throws InvalidRequestException {
        return page(order.iterator(), order.size(), q, check(q));
    }

    /**
     * Checks a query and returns the user it asks for in stored form, or null for the whole queue.
     *
     * @throws InvalidRequestException with a one-line reason when a limit, offset or user name is out of range
     */
    static String check(QueueQuery q) throws InvalidRequestException {
        if (q == null) {
            throw new InvalidRequestException("the queue query is missing");
        }
        if (q.limit() < 1 || q.limit() > ApiLimits.MAX_QUEUE_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + ApiLimits.MAX_QUEUE_LIMIT);
        }
        if (q.offset() < 0) {
            throw new InvalidRequestException("offset must be 0 or more");
        }
        return q.user() == null ? null : user(q.user());
    }

    /**
     * The page of a checked query, taken from the start order as it comes: for the whole queue the walk stops at
     * the page's last job (with a lazy order such as the queue index's, a first page costs its own length, not the
     * queue's); for one user it goes on to count the user's jobs.
     *
     * @param order the queued jobs in start order
     * @param total how many jobs {@code order} holds
     * @param user  the user asked for ({@link #check}), or null
     */
    static QueuePage page(Iterator<Job> order, int total, QueueQuery q, String user) {
        List<QueueEntry> page = new ArrayList<>(Math.min(q.limit(), total));
        int matching = 0;
        for (int i = 0; order.hasNext(); i++) {
            if (user == null && page.size() >= q.limit()) {
                break;
            }
            Job job = order.next();
            if (user != null && !user.equals(job.user())) {
                continue;
            }
            if (matching >= q.offset() && page.size() < q.limit()) {
                page.add(new QueueEntry(i + 1, JobViews.view(job)));
            }
            matching++;
        }
        return new QueuePage(total, user == null ? total : matching, q.offset(), page);
    }

    /** A user name from the network, checked and in the stored (lower case) form. */
    static String user(String name) throws InvalidRequestException {
        if (!UserNames.isValid(name)) {
            throw new InvalidRequestException("\"" + Checks.shorten(name) + "\" is not a user name");
        }
        return UserNames.normalize(name);
    }
}
