package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RecentGpuUsageTest {
    private final MutableClock clock = MutableClock.at("2026-01-02T12:00:00Z");
    private final RecentGpuUsage usage = new RecentGpuUsage(clock);

    private Job running(String user, Instant started, String... gpus) {
        return aJob().user(user).state(JobState.RUNNING).startedAt(started).gpus(List.of(gpus))
                .gpusRequested(gpus.length).build();
    }

    @Test
    void counts_runs_and_running_jobs_only_inside_the_last_24_hours() {
        Instant now = clock.instant();
        // 2 GPUs from 25h ago to 23h ago: only the last hour of it is inside the window
        Job old = running("ana", now.minus(Duration.ofHours(25)), "0", "1");
        usage.changed(old, old.toBuilder().state(JobState.SUCCEEDED).finishedAt(now.minus(Duration.ofHours(23)))
                .build());
        // finished 30h ago: nothing left
        usage.replay(aJob().user("bob").state(JobState.SUCCEEDED).gpus(List.of("0"))
                .startedAt(now.minus(Duration.ofHours(31))).finishedAt(now.minus(Duration.ofHours(30))).build());

        var hours = usage.hours(List.of(running("ana", now.minus(Duration.ofMinutes(30)), "2")), now);

        assertThat(hours.get("ana")).isCloseTo(2.0 + 0.5, within(1e-9));
        assertThat(hours).doesNotContainKey("bob");
    }

    @Test
    void cpu_only_runs_use_no_gpu_hours() {
        Instant now = clock.instant();
        Job cpu = aJob().user("ana").state(JobState.RUNNING).gpusRequested(0).startedAt(now.minusSeconds(3600))
                .build();
        usage.changed(cpu, cpu.toBuilder().state(JobState.SUCCEEDED).finishedAt(now).build());

        assertThat(usage.hours(List.of(), now)).isEmpty();
    }
}
