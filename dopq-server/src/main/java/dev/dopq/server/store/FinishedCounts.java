package dev.dopq.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-user count of terminal jobs, kept in its own small table and changed in the transaction that finishes a
 * job, so user statistics do not scan a million-job history.
 */
final class FinishedCounts {
    private static final String UNIQUE_VIOLATION = "23505";

    private FinishedCounts() {
    }

    /** Statements that (re)build the counts from the jobs table; safe to run again. */
    static String[] rebuild(String terminalSql) {
        return new String[]{
            "DELETE FROM finished_counts",
            "INSERT INTO finished_counts (user_name, finished) SELECT user_name, COUNT(*) FROM jobs"
                    + " WHERE state IN " + terminalSql + " AND user_name IS NOT NULL GROUP BY user_name"};
    }

    static void rebuild(Connection c, String terminalSql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : rebuild(terminalSql)) {
                st.executeUpdate(sql);
            }
        }
    }

    /** Counts one more finished job of {@code user}. */
    static void increment(Connection c, String user) throws SQLException {
        if (user == null) {
            return; // a zip that ended before its owner was known counts for nobody
        }
        if (add(c, user) > 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO finished_counts (user_name, finished) VALUES (?, 1)")) {
            ps.setString(1, user);
            ps.executeUpdate();
        } catch (SQLException e) {
            // another transaction created the user's row first: count on it
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || add(c, user) == 0) {
                throw e;
            }
        }
    }

    private static int add(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE finished_counts SET finished = finished + 1 WHERE user_name = ?")) {
            ps.setString(1, user);
            return ps.executeUpdate();
        }
    }

    static Map<String, Integer> read(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT user_name, finished FROM finished_counts WHERE finished > 0 ORDER BY user_name")) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            while (rs.next()) {
                counts.put(rs.getString(1), (int) Math.min(Integer.MAX_VALUE, rs.getLong(2)));
            }
            return counts;
        }
    }
}
