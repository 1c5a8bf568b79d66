package dev.dopq.server.store;

import dev.dopq.server.core.Job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The history queries of {@link H2JobStore}. Pages are keyset pages over the index
 * {@code (finished_at DESC, id DESC)} (or its per-user twin), so page 10 000 costs what page 1 costs.
 */
final class H2JobHistory {
    private final Jdbc jdbc;
    private final String select;
    private final String terminal;

    H2JobHistory(Jdbc jdbc, String select, String terminalSql) {
        this.jdbc = jdbc;
        this.select = select;
        this.terminal = terminalSql;
    }

    List<Job> page(String user, Instant since, Long beforeId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.inTransaction("read the history", c -> {
            Instant cursorFinish = beforeId == null ? null : finishedAt(c, beforeId);
            StringBuilder sql = new StringBuilder(select).append(indexHint(user))
                    .append(" WHERE state IN ").append(terminal)
                    .append(" AND finished_at IS NOT NULL");
            List<Object> params = new ArrayList<>();
            if (user != null) {
                sql.append(" AND user_name = ?");
                params.add(user);
            }
            if (since != null) {
                sql.append(" AND finished_at >= ?");
                params.add(since);
            }
            if (cursorFinish != null) {
                sql.append(" AND finished_at <= ? AND (finished_at < ? OR id < ?)");
                params.add(cursorFinish);
                params.add(cursorFinish);
                params.add(beforeId);
            } else if (beforeId != null) {
                sql.append(" AND id < ?"); // the cursor job is gone: fall back to the id alone
                params.add(beforeId);
            }
            sql.append(orderBy(user)).append(" LIMIT ?");
            params.add(limit);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, params);
                return H2JobStore.list(ps, JobRows::job);
            }
        });
    }

    /** The query plan of a page, so tests can check an index serves it. */
    String explain(String user) {
        return jdbc.inTransaction("explain the history", c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + select + indexHint(user)
                    + " WHERE state IN " + terminal
                    + " AND finished_at IS NOT NULL" + (user == null ? "" : " AND user_name = ?")
                    + " AND finished_at <= ? AND (finished_at < ? OR id < ?)" + orderBy(user) + " LIMIT 50")) {
                List<Object> params = new ArrayList<>();
                if (user != null) {
                    params.add(user);
                }
                params.addAll(List.of(Instant.EPOCH, Instant.EPOCH, 1L));
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /**
     * Names the index that matches the page order. Left to itself the planner may pick the state index, which
     * would sort every terminal job to return a page.
     */
    private static String indexHint(String user) {
        return user == null ? " USE INDEX (jobs_history)" : " USE INDEX (jobs_user_history)";
    }

    /**
     * The page order, spelled like the index: with one user the user column leads, which changes nothing for the
     * result but lets H2 read the index in order instead of sorting all of the user's jobs.
     */
    private static String orderBy(String user) {
        return user == null ? " ORDER BY finished_at DESC, id DESC"
                : " ORDER BY user_name, finished_at DESC, id DESC";
    }

    private static Instant finishedAt(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT finished_at FROM jobs WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Jdbc.instant(rs, "finished_at") : null;
            }
        }
    }

    void replayFinished(Instant since, Consumer<Job> sink) {
        jdbc.inTransaction("replay finished jobs", c -> {
            try (PreparedStatement ps = c.prepareStatement(replaySql(since != null))) {
                ps.setFetchSize(1000);
                if (since != null) {
                    Jdbc.setInstant(ps, 1, since);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(JobRows.job(rs));
                    }
                }
            }
            return null;
        });
    }

    void replayFinishedBetween(Instant after, Instant upTo, Consumer<Job> sink) {
        jdbc.inTransaction("replay finished jobs", c -> {
            String sql = select + " USE INDEX (jobs_replay) WHERE finished_at IS NOT NULL AND state IN " + terminal
                    + " AND started_at IS NOT NULL" + (after != null ? " AND finished_at > ?" : "")
                    + (upTo != null ? " AND finished_at <= ?" : "") + " ORDER BY finished_at, id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                int i = 1;
                if (after != null) {
                    Jdbc.setInstant(ps, i++, after);
                }
                if (upTo != null) {
                    Jdbc.setInstant(ps, i, upTo);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(JobRows.job(rs));
                    }
                }
            }
            return null;
        });
    }

    /** Oldest finish first, read in the order of the index {@code jobs_replay} instead of sorted afterwards. */
    private String replaySql(boolean since) {
        return select + " USE INDEX (jobs_replay) WHERE finished_at IS NOT NULL AND state IN " + terminal
                + " AND started_at IS NOT NULL" + (since ? " AND finished_at >= ?" : "")
                + " ORDER BY finished_at, id";
    }

    /** The query plan of the start-up replay, so tests can check that no sort is needed. */
    String explainReplay() {
        return jdbc.inTransaction("explain the replay", c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + replaySql(true))) {
                Jdbc.setInstant(ps, 1, Instant.EPOCH);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant t) {
                Jdbc.setInstant(ps, i + 1, t);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }
}
