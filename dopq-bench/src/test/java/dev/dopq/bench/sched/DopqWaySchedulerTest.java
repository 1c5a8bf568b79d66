package dev.dopq.bench.sched;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.Scheduler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The baseline must decide what the server decides, or the benchmark compares different work. */
class DopqWaySchedulerTest {
    private final SchedulingWorkload world = SchedulingWorkload.create(20, 500, 2_000);

    @Test
    void the_workload_has_the_requested_queue_history_and_one_free_gpu() {
        assertThat(world.queued()).hasSize(500);
        assertThat(world.history().size()).isEqualTo(2_000);
        assertThat(world.free()).containsExactly("3");
        assertThat(world.queued().stream().map(Job::user).distinct().count()).isEqualTo(20);
    }

    @Test
    void with_dopqs_rule_the_baseline_orders_the_queue_exactly_like_the_server() {
        PenaltyPolicy incremental = world.replayedPolicy("dopq");

        List<Job> baseline = new DopqWayScheduler(world.history()).order(world.queued(), "dopq",
                SchedulingWorkload.NOW);
        List<Job> server = new Scheduler().decide(world.queued(), world.running(), world.free(), incremental,
                SchedulingWorkload.NOW, true).order();

        assertThat(baseline).containsExactlyElementsOf(server);
    }

    @Test
    void the_next_job_of_the_baseline_is_the_next_job_of_the_server() {
        PenaltyPolicy incremental = world.replayedPolicy("dopq");

        Job baselineNext = new DopqWayScheduler(world.history()).order(world.queued(), "dopq",
                SchedulingWorkload.NOW).get(0);

        assertThat(new Scheduler().next(world.queued(), incremental, SchedulingWorkload.NOW)).contains(baselineNext);
    }
}
