package dev.dopq.server.queue;

import dev.dopq.container.ContainerEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DieEventsTest {
    private static ContainerEvent event(ContainerEvent.Kind kind, String id, Integer exit) {
        return new ContainerEvent(kind, id, exit, Map.of(), Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void a_clean_die_is_kept_for_its_exit_once() {
        DieEvents dies = new DieEvents();
        ContainerEvent die = event(ContainerEvent.Kind.DIE, "c1", 0);

        dies.on(die);

        assertThat(dies.take("c1")).isEqualTo(die);
        assertThat(dies.take("c1")).isNull();
    }

    @Test
    void a_die_after_an_oom_is_not_kept_so_the_exit_is_inspected_and_the_next_run_is_clean_again() {
        DieEvents dies = new DieEvents();

        dies.on(event(ContainerEvent.Kind.OOM, "c1", null));
        dies.on(event(ContainerEvent.Kind.DIE, "c1", 0));
        dies.on(event(ContainerEvent.Kind.DIE, "c2", 0));

        assertThat(dies.take("c1")).as("the shell exited 0 but a process was OOM-killed").isNull();
        assertThat(dies.take("c2")).isNotNull();
        ContainerEvent later = event(ContainerEvent.Kind.DIE, "c1", 0);
        dies.on(later);
        assertThat(dies.take("c1")).isEqualTo(later);
    }

    @Test
    void engine_events_and_starts_are_ignored() {
        DieEvents dies = new DieEvents();

        dies.on(ContainerEvent.engine(ContainerEvent.Kind.ENGINE_LOST, Instant.EPOCH));
        dies.on(event(ContainerEvent.Kind.START, "c1", null));

        assertThat(dies.take("c1")).isNull();
    }
}
