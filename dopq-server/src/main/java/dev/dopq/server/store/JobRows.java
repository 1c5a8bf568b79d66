package dev.dopq.server.store;

import dev.dopq.server.core.Attempt;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobEvent;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.RequeueCause;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;

/** Maps jobs, events and attempts to and from rows. */
final class JobRows {
    /** Columns written by insert and update, in parameter order. */
    static final String COLUMNS = "name, user_name, state, version, submitted_at, started_at, finished_at,"
            + " gpus_requested, gpus, memory_bytes, timeout_seconds, max_retries, attempt, exit_code, reason,"
            + " image, container_id, work_dir, spec_json, engine, requeue_cause, lost_attempts, array_id, array_index,"
            + " max_parallel, after_ids, after_any_ids, stop_requested_at, kill_at, stop_reason, gpu_memory, gpu_share";
    static final int COLUMN_COUNT = 32;

    private JobRows() {
    }

    /** Sets parameters 1..{@link #COLUMN_COUNT} from the job, in {@link #COLUMNS} order. */
    static void bind(PreparedStatement ps, Job j) throws SQLException {
        ps.setString(1, j.name());
        ps.setString(2, j.user());
        ps.setString(3, j.state().name());
        ps.setLong(4, j.version());
        Jdbc.setInstant(ps, 5, j.submittedAt());
        Jdbc.setInstant(ps, 6, j.startedAt());
        Jdbc.setInstant(ps, 7, j.finishedAt());
        ps.setInt(8, j.gpusRequested());
        ps.setString(9, JobRules.gpus(j.gpus()));
        ps.setLong(10, j.memoryBytes());
        if (j.timeout() == null) {
            ps.setNull(11, Types.BIGINT);
        } else {
            ps.setLong(11, j.timeout().getSeconds());
        }
        ps.setInt(12, j.maxRetries());
        ps.setInt(13, j.attempt());
        Jdbc.setNullableInt(ps, 14, j.exitCode());
        ps.setString(15, j.reason());
        ps.setString(16, j.image());
        ps.setString(17, j.containerId());
        ps.setString(18, j.workDir());
        ps.setString(19, j.specJson());
        ps.setString(20, j.engine());
        ps.setString(21, j.requeueCause() == null ? null : j.requeueCause().name());
        ps.setInt(22, j.lostAttempts());
        ps.setLong(23, j.arrayId());
        ps.setInt(24, j.arrayIndex());
        ps.setInt(25, j.maxParallel());
        ps.setString(26, ids(j.after()));
        ps.setString(27, ids(j.afterAny()));
        Jdbc.setInstant(ps, 28, j.stopRequestedAt());
        Jdbc.setInstant(ps, 29, j.killAt());
        ps.setString(30, j.stopReason());
        ps.setLong(31, j.gpuMemory());
        ps.setDouble(32, j.gpuShare());
    }

    /** "12,14", or null for none. */
    private static String ids(java.util.List<Long> ids) {
        return ids.isEmpty() ? null : ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    private static java.util.List<Long> ids(String text) {
        return text == null || text.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(text.split(",")).map(Long::parseLong).toList();

    }

    static Job job(ResultSet rs) throws SQLException {
        long timeout = rs.getLong("timeout_seconds");
        Duration timeoutOrNull = rs.wasNull() ? null : Duration.ofSeconds(timeout);
        return Job.builder()
                .id(rs.getLong("id"))
                .name(rs.getString("name"))
                .user(rs.getString("user_name"))
                .state(JobState.valueOf(rs.getString("state")))
                .version(rs.getLong("version"))
                .submittedAt(Jdbc.instant(rs, "submitted_at"))
                .startedAt(Jdbc.instant(rs, "started_at"))
                .finishedAt(Jdbc.instant(rs, "finished_at"))
                .gpusRequested(rs.getInt("gpus_requested"))
                .gpus(JobRules.gpus(rs.getString("gpus")))
                .memoryBytes(rs.getLong("memory_bytes"))
                .timeout(timeoutOrNull)
                .maxRetries(rs.getInt("max_retries"))
                .attempt(rs.getInt("attempt"))
                .exitCode(Jdbc.nullableInt(rs, "exit_code"))
                .reason(rs.getString("reason"))
                .image(rs.getString("image"))
                .containerId(rs.getString("container_id"))
                .workDir(rs.getString("work_dir"))
                .specJson(rs.getString("spec_json"))
                .engine(rs.getString("engine"))
                .requeueCause(requeueCause(rs.getString("requeue_cause")))
                .lostAttempts(rs.getInt("lost_attempts"))
                .arrayId(rs.getLong("array_id"))
                .arrayIndex(rs.getInt("array_index"))
                .maxParallel(rs.getInt("max_parallel"))
                .after(ids(rs.getString("after_ids")))
                .afterAny(ids(rs.getString("after_any_ids")))
                .stopRequestedAt(Jdbc.instant(rs, "stop_requested_at"))
                .killAt(Jdbc.instant(rs, "kill_at"))
                .stopReason(rs.getString("stop_reason"))
                .gpuMemory(rs.getLong("gpu_memory"))
                .gpuShare(rs.getDouble("gpu_share"))
                .build();
    }

    private static RequeueCause requeueCause(String name) {
        return name == null ? null : RequeueCause.valueOf(name);
    }

    static JobEvent event(ResultSet rs) throws SQLException {
        String from = rs.getString("from_state");
        return new JobEvent(rs.getLong("job_id"), Jdbc.instant(rs, "event_at"), rs.getString("actor"),
                from == null ? null : JobState.valueOf(from), JobState.valueOf(rs.getString("to_state")),
                rs.getString("reason"));
    }

    static Attempt attempt(ResultSet rs) throws SQLException {
        return new Attempt(rs.getLong("job_id"), rs.getInt("attempt_number"), rs.getString("container_id"),
                JobRules.gpus(rs.getString("gpus")), Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"), Jdbc.nullableInt(rs, "exit_code"), rs.getString("reason"));
    }
}
