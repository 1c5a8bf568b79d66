package dev.dopq.server.store;

import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The server's embedded H2 file database: opens (creating and migrating the schema) and hands out the stores.
 * Thread-safe: the stores take pooled connections per call. One process at a time may open a database file.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Enough for the provider, the queue runner and a few RMI calls at once; more only wait. */
    private static final int MAX_CONNECTIONS = 8;

    private final Path base;
    private final JdbcConnectionPool pool;
    private final H2JobStore jobs;
    private final H2UserStore users;
    private final H2SettingsStore settings;
    private final H2UidStore uids;
    private final H2Outbox outbox;
    private final H2PenaltySnapshots penaltySnapshots;

    private Database(Path base, JdbcConnectionPool pool, Clock clock) {
        this.base = base;
        this.pool = pool;
        Jdbc jdbc = new Jdbc(pool);
        ReplayCover cover = new ReplayCover();
        this.jobs = new H2JobStore(jdbc, clock, cover);
        this.penaltySnapshots = new H2PenaltySnapshots(jdbc, cover);
        this.users = new H2UserStore(jdbc);
        this.settings = new H2SettingsStore(jdbc);
        this.uids = new H2UidStore(jdbc);
        this.outbox = new H2Outbox(jdbc);
    }

    /** Opens the database at {@code databaseFileBase} (H2 adds {@code .mv.db}), event times from the system clock. */
    public static Database open(Path databaseFileBase) {
        return open(databaseFileBase, Clock.systemUTC());
    }

    /**
     * Opens the database at {@code databaseFileBase}, creating its folder and schema as needed.
     *
     * @param clock source of event times and of finish times the caller left out
     * @throws StoreException when the file cannot be opened (e.g. another process holds it)
     */
    public static Database open(Path databaseFileBase, Clock clock) {
        Path base = databaseFileBase.toAbsolutePath().normalize();
        try {
            Files.createDirectories(base.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the database folder " + base.getParent() + ": " + e, e);
        }
        // WRITE_DELAY=0: every commit reaches the file before the call returns, so kill -9 loses nothing.
        // No AUTO_SERVER: it would open a TCP port. DB_CLOSE_ON_EXIT=FALSE: the server closes the database at the end
        // of its own stop; H2's shutdown hook would close it under the queue thread still running.
        String url = "jdbc:h2:file:" + base + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "dopq", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            Schema.migrate(c);
            c.commit();
        } catch (SQLException e) {
            pool.dispose();
            throw new StoreException("cannot open the database " + base + ": " + e.getMessage(), e);
        }
        LOG.info("database {} open (schema version {})", base, Schema.latestVersion());
        return new Database(base, pool, clock);
    }

    public JobStore jobs() {
        return jobs;
    }

    public UserStore users() {
        return users;
    }

    public SettingsStore settings() {
        return settings;
    }

    public UidStore uids() {
        return uids;
    }

    /** Notifications waiting to be delivered. */
    public Outbox outbox() {
        return outbox;
    }

    /** The saved penalty snapshot, kept true by the job store's writes. */
    public PenaltySnapshots penaltySnapshots() {
        return penaltySnapshots;
    }

    /** Closes the pooled connections; H2 closes the file with the last one. Calls after close fail. */
    @Override
    public void close() {
        pool.dispose();
        LOG.info("database {} closed", base);
    }
}
