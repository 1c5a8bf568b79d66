package dev.dopq.server.store;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** What every {@link JobStore} does to a job on the way in, so all implementations store the same thing. */
final class JobRules {
    static final Set<JobState> TERMINAL = EnumSet.copyOf(JobState.terminal());
    /** The terminal states as an SQL list: {@code ('SUCCEEDED', ...)}. */
    static final String TERMINAL_SQL = TERMINAL.stream().map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    private JobRules() {
    }

    /**
     * A terminal job without a finish time gets the current time (history is ordered by it), and the timeout
     * is kept in whole seconds, as the database stores it.
     */
    static Job normalized(Job job, Clock clock) {
        Job.Builder b = job.toBuilder();
        if (job.state().isTerminal() && job.finishedAt() == null) {
            b.finishedAt(clock.instant());
        }
        if (job.timeout() != null) {
            b.timeout(Duration.ofSeconds(job.timeout().getSeconds()));
        }
        return b.build();
    }

    /** Checks the move from the stored state; no check when the state does not change. */
    static void checkTransition(long jobId, JobState stored, JobState next) {
        if (stored != next) {
            stored.to(next, jobId);
        }
    }

    static String gpus(java.util.List<String> gpus) {
        return String.join(",", gpus);
    }

    static java.util.List<String> gpus(String text) {
        return text == null || text.isEmpty() ? java.util.List.of() : java.util.List.of(text.split(","));
    }
}
