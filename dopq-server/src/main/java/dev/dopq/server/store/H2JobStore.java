package dev.dopq.server.store;

import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** {@link JobStore} on the H2 database of {@link Database}; every method is one transaction. */
public final class H2JobStore implements JobStore {
    private static final String TERMINAL_SQL = JobRules.TERMINAL_SQL;
    private static final String SELECT = "SELECT id, " + JobRows.COLUMNS + " FROM jobs";

    private final Jdbc jdbc;
    private final Clock clock;
    private final H2JobHistory history;
    private final ReplayCover cover;

    H2JobStore(Jdbc jdbc, Clock clock, ReplayCover cover) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.cover = cover;
        this.history = new H2JobHistory(jdbc, SELECT, TERMINAL_SQL);
    }

    @Override
    public Job insert(Job job, String actor) {
        return cover.whileWriting(() -> jdbc.inTransaction("insert a job of " + job.user(),
                c -> insert(c, job, actor)));
    }

    private Job insert(Connection c, Job job, String actor) throws SQLException {
        Job toStore = JobRules.normalized(job.toBuilder().version(0).build(), clock);
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (" + JobRows.COLUMNS + ") VALUES ("
                + "?, ".repeat(JobRows.COLUMN_COUNT - 1) + "?)", Statement.RETURN_GENERATED_KEYS)) {
            JobRows.bind(ps, toStore);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        writeEvent(c, new JobEvent(id, clock.instant(), actor, null, toStore.state(), toStore.reason()));
        if (toStore.state().isTerminal()) {
            FinishedCounts.increment(c, toStore.user());
            cover.ended(c, toStore);
        }
        return find(c, id).orElseThrow();
    }

    @Override
    public Optional<Job> find(long id) {
        return jdbc.inTransaction("read job " + id, c -> find(c, id));
    }

    private static Optional<Job> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(JobRows.job(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Job update(Job changed, String actor) {
        return update(changed, actor, null);
    }

    @Override
    public Job update(Job changed, String actor, Attempt attempt) {
        if (attempt != null && attempt.jobId() != changed.id()) {
            throw new IllegalArgumentException("attempt of job " + attempt.jobId() + " given with job " + changed.id());
        }
        return cover.whileWriting(() -> jdbc.inTransaction("update job " + changed.id(), c -> {
            if (attempt != null) {
                writeAttempt(c, attempt);
            }
            return update(c, changed, actor);
        }));
    }

    @Override
    public List<Job> updateAndInsert(Job changed, List<LinkedJob> others, String actor) {
        return cover.whileWriting(() -> jdbc.inTransaction("queue job " + changed.id() + " with " + others.size()
                + " more", c -> {
            List<Job> stored = new ArrayList<>();
            stored.add(update(c, changed, actor));
            for (LinkedJob other : others) {
                stored.add(insert(c, other.resolved(stored.stream().map(Job::id).toList()), actor));
            }
            return stored;
        }));
    }

    private Job update(Connection c, Job changed, String actor) throws SQLException {
        Job toStore = JobRules.normalized(changed, clock);
        long id = changed.id();
        Job stored = find(c, id).filter(j -> j.version() == changed.version())
                .orElseThrow(() -> new StaleJobException(id, changed.version()));
        JobRules.checkTransition(id, stored.state(), toStore.state());
        try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET (" + JobRows.COLUMNS + ") = ("
                + "?, ".repeat(JobRows.COLUMN_COUNT - 1) + "?) WHERE id = ? AND version = ?")) {
            JobRows.bind(ps, toStore.toBuilder().version(changed.version() + 1).build());
            ps.setLong(JobRows.COLUMN_COUNT + 1, id);
            ps.setLong(JobRows.COLUMN_COUNT + 2, changed.version());
            if (ps.executeUpdate() == 0) {
                throw new StaleJobException(id, changed.version());
            }
        }
        if (stored.state() != toStore.state()) {
            writeEvent(c, new JobEvent(id, clock.instant(), actor, stored.state(), toStore.state(),
                    toStore.reason()));
        }
        if (!stored.state().isTerminal() && toStore.state().isTerminal()) {
            FinishedCounts.increment(c, toStore.user());
            cover.ended(c, toStore);
        }
        return find(c, id).orElseThrow();
    }

    @Override
    public void recordEvent(JobEvent event) {
        jdbc.inTransaction("record an event of job " + event.jobId(), c -> {
            if (find(c, event.jobId()).isPresent()) {
                writeEvent(c, event);
            }
            return null;
        });
    }

    private static void writeEvent(Connection c, JobEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_events (job_id, event_at, actor,"
                + " from_state, to_state, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, e.jobId());
            Jdbc.setInstant(ps, 2, e.at());
            ps.setString(3, e.actor());
            ps.setString(4, e.from() == null ? null : e.from().name());
            ps.setString(5, e.to().name());
            ps.setString(6, e.reason());
            ps.executeUpdate();
        }
    }

    @Override
    public List<Job> inStates(Collection<JobState> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        String in = states.stream().distinct().map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", ", "(", ")"));
        return jdbc.inTransaction("list jobs in " + states, c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(SELECT + " WHERE state IN " + in + " ORDER BY id")) {
                List<Job> jobs = new ArrayList<>();
                while (rs.next()) {
                    jobs.add(JobRows.job(rs));
                }
                return jobs;
            }
        });
    }

    @Override
    public List<Job> arrayMembers(long arrayId) {
        return jdbc.inTransaction("list the jobs of array " + arrayId, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE array_id = ? AND array_id <> 0 ORDER BY id")) {
                ps.setLong(1, arrayId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Job> jobs = new ArrayList<>();
                    while (rs.next()) {
                        jobs.add(JobRows.job(rs));
                    }
                    return jobs;
                }
            }
        });
    }

    @Override
    public List<Job> history(String user, Instant since, Long beforeId, int limit) {
        return history.page(user, since, beforeId, limit);
    }

    /** The query plan of a history page (of one user, or of all when null); lets tests check the index. */
    String explainHistory(String user) {
        return history.explain(user);
    }

    /** The query plan of the start-up penalty replay; lets tests check that it reads an index in order. */
    String explainReplay() {
        return history.explainReplay();
    }

    @Override
    public Map<String, Integer> finishedCounts() {
        return jdbc.inTransaction("count finished jobs", FinishedCounts::read);
    }

    @Override
    public List<JobEvent> events(long jobId) {
        return jdbc.inTransaction("read events of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM job_events WHERE job_id = ? ORDER BY id")) {
                ps.setLong(1, jobId);
                return list(ps, JobRows::event);
            }
        });
    }

    @Override
    public void replayFinished(Instant since, Consumer<Job> sink) {
        history.replayFinished(since, sink);
    }

    @Override
    public void replayFinishedBetween(Instant after, Instant upTo, Consumer<Job> sink) {
        history.replayFinishedBetween(after, upTo, sink);
    }

    @Override
    public void recordAttempt(Attempt a) {
        jdbc.inTransaction("record attempt " + a.number() + " of job " + a.jobId(), c -> {
            if (find(c, a.jobId()).isEmpty()) {
                throw new StoreException("cannot record an attempt of job " + a.jobId() + ": no such job");
            }
            return writeAttempt(c, a);
        });
    }

    private static int writeAttempt(Connection c, Attempt a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO attempts (job_id, attempt_number,"
                + " container_id, gpus, started_at, finished_at, exit_code, reason) KEY (job_id, attempt_number)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, a.jobId());
            ps.setInt(2, a.number());
            ps.setString(3, a.containerId());
            ps.setString(4, JobRules.gpus(a.gpus()));
            Jdbc.setInstant(ps, 5, a.startedAt());
            Jdbc.setInstant(ps, 6, a.finishedAt());
            Jdbc.setNullableInt(ps, 7, a.exitCode());
            ps.setString(8, a.reason());
            return ps.executeUpdate();
        }
    }

    @Override
    public List<Attempt> attempts(long jobId) {
        return jdbc.inTransaction("read attempts of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM attempts WHERE job_id = ? ORDER BY attempt_number")) {
                ps.setLong(1, jobId);
                return list(ps, JobRows::attempt);
            }
        });
    }

    @Override
    public int clearHistory(Instant before) {
        return cover.whileWriting(() -> jdbc.inTransaction("clear the history", c -> {
            // events and attempts go with their job (ON DELETE CASCADE)
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE state IN " + TERMINAL_SQL
                    + (before == null ? "" : " AND finished_at < ?"))) {
                if (before != null) {
                    Jdbc.setInstant(ps, 1, before);
                }
                int removed = ps.executeUpdate();
                FinishedCounts.rebuild(c, TERMINAL_SQL);
                if (removed > 0) {
                    cover.deleted(c);
                }
                return removed;
            }
        }));
    }

    @Override
    public List<Job> finishedBeyond(int keep, Instant before, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbc.inTransaction("read the history beyond " + keep + " jobs", c -> {
            // the inner query walks the history index newest first and skips what is kept
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM (" + SELECT + " WHERE state IN "
                    + TERMINAL_SQL + " AND finished_at IS NOT NULL ORDER BY finished_at DESC, id DESC OFFSET ? ROWS)"
                    + " WHERE finished_at < ? ORDER BY finished_at, id LIMIT ?")) {
                ps.setInt(1, Math.max(0, keep));
                Jdbc.setInstant(ps, 2, before);
                ps.setInt(3, limit);
                return list(ps, JobRows::job);
            }
        });
    }

    @Override
    public int deleteFinished(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return cover.whileWriting(() -> jdbc.inTransaction("delete " + ids.size() + " finished jobs", c -> {
            int removed = 0;
            // events and attempts go with their job (ON DELETE CASCADE)
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ? AND state IN "
                    + TERMINAL_SQL)) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    removed += ps.executeUpdate();
                }
            }
            if (removed > 0) {
                FinishedCounts.rebuild(c, TERMINAL_SQL);
                cover.deleted(c);
            }
            return removed;
        }));
    }

    /** Maps one row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> list(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        }
    }
}
