package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.EventType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerEventsTest {

    private static Event event(String action, Map<String, String> attributes) {
        return new Event(action, "c0ffee", "busybox", 1_700_000_000L)
                .withAction(action)
                .withType(EventType.CONTAINER)
                .withTimenano(1_700_000_000_123_456_789L)
                .withEventActor(new EventActor().withId("c0ffee").withAttributes(attributes));
    }

    @Test
    void a_die_event_carries_exit_code_labels_and_nanosecond_time() {
        ContainerEvent e = DockerEvents.toContainerEvent(event("die",
                Map.of("exitCode", "3", "image", "busybox", "name", "dopq-job-7", "dopq.job", "7")));

        assertThat(e.kind()).isEqualTo(ContainerEvent.Kind.DIE);
        assertThat(e.containerId()).isEqualTo("c0ffee");
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.labels()).containsExactly(Map.entry("dopq.job", "7"));
        assertThat(e.at()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
    }

    @Test
    void start_and_oom_events_have_no_exit_code() {
        assertThat(DockerEvents.toContainerEvent(event("start", Map.of())).kind()).isEqualTo(ContainerEvent.Kind.START);
        assertThat(DockerEvents.toContainerEvent(event("oom", Map.of())).exitCode()).isNull();
    }

    @Test
    void other_actions_are_not_ours() {
        assertThat(DockerEvents.toContainerEvent(event("exec_start: sh", Map.of()))).isNull();
    }

    @Test
    void since_is_written_as_seconds_and_nanoseconds() {
        assertThat(DockerEventSubscription.sinceText(1_700_000_000_000_000_042L)).isEqualTo("1700000000.000000042");
    }
}
