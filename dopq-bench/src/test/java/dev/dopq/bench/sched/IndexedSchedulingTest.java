package dev.dopq.bench.sched;

import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Dispatch;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.QueueIndex;
import dev.dopq.server.core.Scheduler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The index benchmarks must measure the decision {@code decide} makes on the same workload, not a cheaper one. */
class IndexedSchedulingTest {
    private final SchedulingWorkload world = SchedulingWorkload.create(20, 500, 2_000);
    private final Scheduler scheduler = new Scheduler();

    @ParameterizedTest
    @ValueSource(strings = {"usage", "dopq"})
    void the_index_gives_the_same_next_job_starts_and_held_gpus_as_the_full_decision(String policy) {
        PenaltyPolicy penalties = world.replayedPolicy(policy);
        QueueIndex index = new QueueIndex();
        world.queued().forEach(index::put);

        Decision full = scheduler.decide(world.queued(), world.running(), world.free(), penalties,
                SchedulingWorkload.NOW, false);
        Dispatch dispatch = scheduler.dispatch(index, world.running(), world.free(), penalties,
                SchedulingWorkload.NOW);

        assertThat(index.next(penalties, SchedulingWorkload.NOW)).contains(full.order().get(0));
        assertThat(dispatch.starts()).isEqualTo(full.starts());
        assertThat(dispatch.held()).isEqualTo(full.held());
    }
}
