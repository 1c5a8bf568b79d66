package dev.dopq.server.store;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.RequeueCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** Migrations turn states that older versions wrote as words into fields, and can run twice. */
class SchemaMigrationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void a_database_of_the_previous_version_gets_explicit_requeue_causes_and_unknown_owners() throws SQLException {
        Path base = dir.resolve("db/dopq");
        long engineJob;
        long unknownOwner;
        long retried;
        try (Database db = Database.open(base, CLOCK)) {
            engineJob = db.jobs().insert(aJob().state(JobState.QUEUED).build(), "t").id();
            unknownOwner = db.jobs().insert(aJob().state(JobState.REJECTED).build(), "t").id();
            retried = db.jobs().insert(aJob().state(JobState.QUEUED).build(), "t").id();
        }
        // what the previous version wrote: the cause in reason, the unknown owner as the user "-"
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(), "dopq", "");
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE jobs SET reason = 'engine unavailable at start; re-queued: broken pipe'"
                    + " WHERE id = " + engineJob);
            st.executeUpdate("UPDATE jobs SET user_name = '-' WHERE id = " + unknownOwner);
            st.executeUpdate("INSERT INTO finished_counts (user_name, finished) VALUES ('-', 1)");
            st.executeUpdate("UPDATE jobs SET reason = 'attempt 1 exited with code 1; retrying' WHERE id = " + retried);
            st.executeUpdate("UPDATE schema_version SET version = " + Schema.versionBefore("requeue_cause"));
        }

        try (Database db = Database.open(base, CLOCK)) {
            assertThat(db.jobs().find(engineJob).map(Job::requeueCause)).contains(RequeueCause.ENGINE_UNAVAILABLE);
            assertThat(db.jobs().find(retried).map(Job::requeueCause)).isEmpty();
            assertThat(db.jobs().find(unknownOwner).orElseThrow().ownerKnown()).isFalse();
            assertThat(db.jobs().finishedCounts()).doesNotContainKey("-");
            assertThat(db.jobs().find(engineJob).orElseThrow().lostAttempts()).isZero();
        }
    }

    @Test
    void a_running_job_cancelled_under_the_previous_version_is_stopping_after_the_upgrade() throws SQLException {
        Path base = dir.resolve("db/dopq");
        long cancelled;
        long running;
        try (Database db = Database.open(base, CLOCK)) {
            cancelled = db.jobs().insert(aJob().state(JobState.RUNNING).reason("cancelled by ana").build(), "t").id();
            running = db.jobs().insert(aJob().state(JobState.RUNNING).build(), "t").id();
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(), "dopq", "");
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE schema_version SET version = " + Schema.versionBefore("stop_requested_at"));
        }

        try (Database db = Database.open(base, CLOCK)) {
            Job stopping = db.jobs().find(cancelled).orElseThrow();
            assertThat(stopping.stopping()).isTrue();
            assertThat(stopping.stopReason()).isEqualTo("cancelled by ana");
            assertThat(db.jobs().find(running).orElseThrow().stopping()).isFalse();
        }
    }

    @Test
    void a_database_from_before_gpu_sharing_keeps_its_jobs_as_exclusive_ones() throws SQLException {
        Path base = dir.resolve("db/dopq");
        long job;
        try (Database db = Database.open(base, CLOCK)) {
            job = db.jobs().insert(aJob().state(JobState.QUEUED).build(), "t").id();
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base.toAbsolutePath(), "dopq", "");
             Statement st = c.createStatement()) {
            st.executeUpdate("ALTER TABLE jobs DROP COLUMN gpu_memory");
            st.executeUpdate("ALTER TABLE jobs DROP COLUMN gpu_share");
            st.executeUpdate("UPDATE schema_version SET version = " + Schema.versionBefore("gpu_memory"));
        }

        try (Database db = Database.open(base, CLOCK)) {
            Job read = db.jobs().find(job).orElseThrow();
            assertThat(read.sharesGpu()).isFalse();
            assertThat(read.gpuShare()).isZero();
            Job shared = db.jobs().insert(aJob().state(JobState.QUEUED).gpuMemory(10L << 30).build(), "t");
            assertThat(db.jobs().find(shared.id()).orElseThrow().gpuMemory()).isEqualTo(10L << 30);
        }
    }
}
