package dev.dopq.server.core;

import dev.dopq.server.testutil.FixedPenalties;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** GPUs that name their node ({@code n1:0}): a job's GPUs all come from one node. */
class SchedulerNodesTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final Scheduler scheduler = new Scheduler();

    private Job queued(long id, int gpus) {
        return aJob().id(id).user("ana").gpusRequested(gpus).submittedAt(clock.instant().minusSeconds(100 - id))
                .build();
    }

    private Decision decide(List<Job> queued, List<String> free) {
        Decision d = scheduler.decide(queued, List.of(), free, FixedPenalties.none(), clock.instant(), false);
        QueueIndex index = new QueueIndex();
        queued.forEach(index::put);
        Dispatch dispatch = scheduler.dispatch(index, List.of(), free, FixedPenalties.none(), clock.instant());
        assertThat(dispatch.starts()).as("dispatch starts").isEqualTo(d.starts());
        assertThat(dispatch.held()).as("dispatch holds").isEqualTo(d.held());
        return d;
    }

    @Test
    void a_two_gpu_job_starts_on_the_node_that_has_two_free_not_across_nodes() {
        Decision d = decide(List.of(queued(1, 2)), List.of("n1:0", "n2:0", "n2:1"));

        assertThat(d.starts()).singleElement().satisfies(p -> assertThat(p.gpus()).containsExactly("n2:0", "n2:1"));
    }

    @Test
    void a_job_bigger_than_every_nodes_free_gpus_waits_even_when_the_sum_would_do() {
        Decision d = decide(List.of(queued(1, 2), queued(2, 1)), List.of("n1:0", "n2:0"));

        assertThat(d.starts()).extracting(p -> p.job().id()).doesNotContain(1L);
        assertThat(d.waiting().get(1L)).contains("needs 2 GPUs on one node, 2 free but at most 1 on one node");
    }

    @Test
    void plain_gpu_ids_are_one_node_as_before() {
        Decision d = decide(List.of(queued(1, 2)), List.of("0", "1", "2"));

        assertThat(d.starts()).singleElement().satisfies(p -> assertThat(p.gpus()).containsExactly("0", "1"));
        assertThat(Reasons.need(queued(1, 2), 1, 1)).isEqualTo("needs 2 GPUs, 1 free");
        assertThat(Reasons.need(queued(1, 2), 3, 3)).isEqualTo("needs 2 GPUs, 3 free");
    }
}
