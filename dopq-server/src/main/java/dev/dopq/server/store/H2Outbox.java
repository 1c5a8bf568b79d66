package dev.dopq.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link Outbox} in the {@code notifications} table of the H2 database. */
final class H2Outbox implements Outbox {
    private static final String UNDELIVERED = "delivered_at IS NULL AND gave_up_at IS NULL";

    private final Jdbc jdbc;

    H2Outbox(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean add(long jobId, String event, String channel, String target, String body, Instant now) {
        return jdbc.inTransaction("queue a notification of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO notifications (job_id, event, channel, target, body, attempts, created_at, next_at)
                    SELECT ?, ?, ?, ?, ?, 0, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM notifications
                      WHERE job_id = ? AND event = ? AND channel = ? AND target = ?)""")) {
                ps.setLong(1, jobId);
                ps.setString(2, event);
                ps.setString(3, channel);
                ps.setString(4, target);
                ps.setString(5, body);
                Jdbc.setInstant(ps, 6, now);
                Jdbc.setInstant(ps, 7, now);
                ps.setLong(8, jobId);
                ps.setString(9, event);
                ps.setString(10, channel);
                ps.setString(11, target);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean has(long jobId, String event) {
        return jdbc.inTransaction("look for notifications of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM notifications WHERE job_id = ? AND event = ? LIMIT 1")) {
                ps.setLong(1, jobId);
                ps.setString(2, event);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public List<Message> due(Instant now, int limit) {
        return jdbc.inTransaction("read due notifications", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, job_id, event, channel, target, body, attempts"
                    + " FROM notifications WHERE " + UNDELIVERED + " AND next_at <= ? ORDER BY next_at, id LIMIT ?")) {
                Jdbc.setInstant(ps, 1, now);
                ps.setInt(2, limit);
                List<Message> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Message(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getInt(7)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Instant nextDue() {
        return jdbc.inTransaction("read the next due notification", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(next_at) AS next_at FROM notifications WHERE "
                    + UNDELIVERED); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Jdbc.instant(rs, "next_at") : null;
            }
        });
    }

    @Override
    public void delivered(long id, Instant at) {
        update("mark notification " + id + " delivered",
                "UPDATE notifications SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", id, at, null);
    }

    @Override
    public void failed(long id, String error, Instant at, Instant retryAt) {
        String shortError = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        if (retryAt == null) {
            update("give notification " + id + " up", "UPDATE notifications SET gave_up_at = ?, attempts = attempts"
                    + " + 1, last_error = ? WHERE id = ?", id, at, shortError);
        } else {
            update("reschedule notification " + id, "UPDATE notifications SET next_at = ?, attempts = attempts + 1,"
                    + " last_error = ? WHERE id = ?", id, retryAt, shortError);
        }
    }

    private void update(String what, String sql, long id, Instant at, String error) {
        jdbc.inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Jdbc.setInstant(ps, 1, at);
                if (sql.contains("last_error")) {
                    ps.setString(2, error);
                    ps.setLong(3, id);
                } else {
                    ps.setLong(2, id);
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long[] counts() {
        return jdbc.inTransaction("count notifications", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) - COUNT(delivered_at) - COUNT(gave_up_at),"
                    + " COUNT(delivered_at), COUNT(gave_up_at) FROM notifications"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        });
    }
}
