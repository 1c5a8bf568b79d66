package dev.dopq.server.provider;

import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.Workers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BuildSlotsTest {
    private final BuildSlots slots = new BuildSlots(new Workers("test-build", 2, 2), 2, 100);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        slots.stop(Deadline.after(Duration.ofSeconds(5)));
    }

    private Runnable slowBuild(String name, CountDownLatch startedSignal) {
        return () -> {
            started.add(name);
            startedSignal.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void one_users_slow_builds_never_take_every_slot() throws InterruptedException {
        CountDownLatch anaStarted = new CountDownLatch(1);
        CountDownLatch boStarted = new CountDownLatch(1);
        slots.submit("ana", slowBuild("ana-1", anaStarted));
        slots.submit("ana", slowBuild("ana-2", new CountDownLatch(1)));
        slots.submit("ana", slowBuild("ana-3", new CountDownLatch(1)));
        assertThat(anaStarted.await(5, TimeUnit.SECONDS)).isTrue();

        slots.submit("bo", slowBuild("bo-1", boStarted));

        assertThat(boStarted.await(5, TimeUnit.SECONDS)).as("bo got the second slot").isTrue();
        assertThat(started).containsExactly("ana-1", "bo-1");
        assertThat(slots.runningOf("ana")).isEqualTo(1);
        assertThat(slots.waitingCount()).isEqualTo(2);
    }

    @Test
    void a_freed_slot_goes_to_the_users_builds_in_their_order() throws InterruptedException {
        CountDownLatch all = new CountDownLatch(3);
        for (String name : List.of("ana-1", "ana-2", "ana-3")) {
            slots.submit("ana", () -> {
                started.add(name);
                all.countDown();
            });
        }

        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(started).containsExactly("ana-1", "ana-2", "ana-3");
    }
}
