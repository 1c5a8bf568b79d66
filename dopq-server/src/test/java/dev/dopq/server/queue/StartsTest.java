package dev.dopq.server.queue;

import dev.dopq.server.core.Job;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.util.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

/** Starts in flight: which jobs and containers are starting, and exits that come before a start is over. */
class StartsTest {
    private final List<String> handedOn = new CopyOnWriteArrayList<>();
    private final Starts starts = new Starts(2, handedOn::add);

    @AfterEach
    void shutDown() {
        starts.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void the_pool_has_a_thread_per_gpu_but_at_least_two_and_at_most_four() {
        assertThat(Starts.threadsFor(0)).isEqualTo(2);
        assertThat(Starts.threadsFor(3)).isEqualTo(3);
        assertThat(Starts.threadsFor(8)).isEqualTo(4);
    }

    @Test
    void a_job_counts_as_starting_until_its_start_and_the_follow_up_ran() throws InterruptedException {
        Job job = aJob().id(7L).build();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);

        starts.submit(job, j -> await(release), done::countDown);

        assertThat(starts.isStarting(7)).isTrue();
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(starts.isStarting(7)).isFalse();
    }

    @Test
    void a_start_that_throws_still_ends_and_runs_its_follow_up() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);

        starts.submit(aJob().id(8L).build(), j -> {
            throw new IllegalStateException("boom");
        }, done::countDown);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(starts.isStarting(8)).isFalse();
    }

    @Test
    void the_exit_of_a_container_whose_start_is_not_over_is_held_and_handed_on_when_it_is() {
        starts.containerCreated("c1");

        assertThat(starts.holdExit("c1")).isTrue();
        assertThat(handedOn).isEmpty();

        starts.containerDone("c1");
        assertThat(handedOn).containsExactly("c1");
    }

    @Test
    void a_container_whose_start_is_over_is_not_held_and_nothing_is_handed_on_twice() {
        starts.containerCreated("c1");
        starts.containerDone("c1");

        assertThat(starts.holdExit("c1")).isFalse();
        assertThat(handedOn).isEmpty();
    }

    @Test
    void waiting_for_idle_blocks_while_a_start_is_in_flight_and_returns_once_it_ended() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        starts.submit(aJob().id(9L).build(), j -> {
            entered.countDown();
            await(release);
        }, () -> { });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> idle = new CompletableFuture<>();
        Thread waiter = Workers.start("test-await-idle", true, () -> {
            starts.awaitIdle(Duration.ofSeconds(30));
            idle.complete(null);
        });

        Await.until("the waiter to block in awaitIdle", Duration.ofSeconds(10),
                () -> Optional.of(waiter.getState()).filter(s -> s == Thread.State.TIMED_WAITING));
        assertThat(idle).isNotDone();
        assertThat(starts.isStarting(9)).isTrue();

        release.countDown();
        idle.get(10, TimeUnit.SECONDS);
        assertThat(starts.isStarting(9)).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
