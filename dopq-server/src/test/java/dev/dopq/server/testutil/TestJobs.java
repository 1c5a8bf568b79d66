package dev.dopq.server.testutil;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;

import java.time.Instant;

/** Test data builders: {@code aJob().user("ana").gpusRequested(2).build()}. */
public final class TestJobs {
    private TestJobs() {
    }

    public static Job.Builder aJob() {
        return Job.builder()
                .name("job")
                .user("ana")
                .state(JobState.QUEUED)
                .submittedAt(Instant.parse("2026-01-01T00:00:00Z"))
                .gpusRequested(1)
                .image("dopq-test:latest")
                .specJson("{}");
    }
}
