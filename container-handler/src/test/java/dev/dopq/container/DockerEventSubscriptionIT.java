package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event subscription survives a broken engine connection without losing or repeating events. */
class DockerEventSubscriptionIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String JOB_LABEL = "dopq.it-job." + RUN;
    private static final String IMAGE = "dopq-ch-it-events-" + RUN + ":latest";

    private DockerClient direct;
    private DockerClient proxied;
    private EngineProxy proxy;
    private ContainerRuntime runtime;
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        direct = TestDocker.client();
        TestDocker.buildBusybox(direct, IMAGE);
        runtime = new DockerContainerRuntime(direct);
        proxy = new EngineProxy(Path.of("/var/run/docker.sock"));
        proxied = TestDocker.client(proxy.dockerHost());
    }

    @AfterEach
    void tearDown() throws IOException {
        created.forEach(runtime::remove);
        proxied.close();
        proxy.close();
        direct.removeImageCmd(IMAGE).withForce(true).exec();
        direct.close();
    }

    private String runToEnd(String job, int exitCode) {
        ContainerSpec spec = ContainerSpec.of("dopq-ch-it-" + RUN + "-" + job, IMAGE)
                .withCommand(List.of("sh", "-c", "exit " + exitCode))
                .withLabels(Map.of(JOB_LABEL, job, TestDocker.TEST_LABEL, TestDocker.TEST_LABEL_VALUE));
        String id = runtime.create(spec);
        created.add(id);
        runtime.start(id);
        return id;
    }

    @Test
    void events_missed_while_the_connection_was_broken_arrive_after_it_reconnects_and_none_twice() throws Exception {
        BlockingQueue<ContainerEvent> events = new LinkedBlockingQueue<>();
        Closeable subscription = new DockerContainerRuntime(proxied)
                .subscribeEvents(JOB_LABEL, Instant.now().minusSeconds(1), events::add);
        try {
            String first = runToEnd("first", 1);
            assertThat(dieOf(events, first).exitCode()).isEqualTo(1);

            proxy.cutConnections();
            String second = runToEnd("second", 2);

            assertThat(dieOf(events, second).exitCode()).isEqualTo(2);
            assertThat(events).noneMatch(e -> first.equals(e.containerId()));
        } finally {
            subscription.close();
        }
    }

    /** Waits for the die event of {@code id}, failing if any other event of it arrives twice. */
    private static ContainerEvent dieOf(BlockingQueue<ContainerEvent> events, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<ContainerEvent.Kind> seen = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            ContainerEvent e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && id.equals(e.containerId())) {
                seen.add(e.kind());
                if (e.kind() == ContainerEvent.Kind.DIE) {
                    assertThat(seen).containsExactly(ContainerEvent.Kind.START, ContainerEvent.Kind.DIE);
                    return e;
                }
            }
        }
        throw new AssertionError("no die event for " + id + "; saw " + seen);
    }
}
