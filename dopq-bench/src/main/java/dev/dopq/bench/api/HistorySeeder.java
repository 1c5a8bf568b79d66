package dev.dopq.bench.api;

import dev.dopq.server.store.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a server's database before it starts: {@code finished} SUCCEEDED jobs (one finish every 5 s up to now,
 * so the start-up penalty replay reads all of them) and {@code queued} QUEUED jobs of {@code users} users, with
 * the queue locked so none of them starts. The schema comes from {@link Database#open}; rows go in with
 * set-based {@code INSERT ... SELECT} (a million single-row store inserts, each a durable commit, would take
 * longer than the benchmark itself).
 */
public final class HistorySeeder {
    private static final String COLUMNS = "name, user_name, state, version, submitted_at, started_at, finished_at,"
            + " gpus_requested, gpus, memory_bytes, timeout_seconds, max_retries, attempt, exit_code, reason, image,"
            + " container_id, work_dir, spec_json, engine";

    private HistorySeeder() {
    }

    public static void seed(Path databaseBase, int finished, int queued, int users) throws SQLException {
        Database.open(databaseBase).close();
        String url = "jdbc:h2:file:" + databaseBase.toAbsolutePath().normalize();
        try (Connection c = DriverManager.getConnection(url, "dopq", "");
             Statement st = c.createStatement()) {
            st.execute("SET @NOW = CURRENT_TIMESTAMP");
            st.executeUpdate("INSERT INTO jobs (" + COLUMNS + ") SELECT 'done-' || X, 'user' || MOD(X, " + users
                    + "), 'SUCCEEDED', 3, DATEADD(SECOND, -5 * (" + finished + " - X) - 600, @NOW),"
                    + " DATEADD(SECOND, -5 * (" + finished + " - X) - 300, @NOW),"
                    + " DATEADD(SECOND, -5 * (" + finished + " - X), @NOW), 1, CAST(MOD(X, 4) AS VARCHAR), 0,"
                    + " NULL, 0, 1, 0, NULL, 'dopq-bench/none:latest', NULL, NULL, '{}', 'local'"
                    + " FROM SYSTEM_RANGE(1, " + finished + ")");
            st.executeUpdate("INSERT INTO jobs (" + COLUMNS + ") SELECT 'queued-' || X, 'user' || MOD(X, " + users
                    + "), 'QUEUED', 2, DATEADD(SECOND, X - " + queued + ", @NOW), NULL, NULL, 1, '', 0, NULL, 0, 1,"
                    + " NULL, NULL, 'dopq-bench/none:latest', NULL, NULL, '{}', 'local'"
                    + " FROM SYSTEM_RANGE(1, " + queued + ")");
            rebuildFinishedCounts(st);
            st.executeUpdate("MERGE INTO settings (setting_key, setting_value) KEY (setting_key)"
                    + " VALUES ('queue.locked', 'true')");
        }
    }

    /** The per-user finished counts table exists from schema version 2 on; keep it consistent when present. */
    private static void rebuildFinishedCounts(Statement st) throws SQLException {
        try {
            st.executeUpdate("DELETE FROM finished_counts");
        } catch (SQLException noSuchTable) {
            return;
        }
        st.executeUpdate("INSERT INTO finished_counts (user_name, finished) SELECT user_name, COUNT(*) FROM jobs"
                + " WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'REJECTED') GROUP BY user_name");
    }
}
