package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DockerContainerRuntime} against the real local engine. */
class DockerContainerRuntimeIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** A label key only this run's containers carry, so other tests' containers never reach our event sinks. */
    private static final String JOB_LABEL = "dopq.it-job." + RUN;
    private static final String IMAGE = "dopq-ch-it-" + RUN + ":latest";

    private static DockerClient docker;
    private static ContainerRuntime runtime;

    private final List<String> created = new ArrayList<>();
    private final List<Closeable> open = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildImage() throws IOException {
        docker = TestDocker.client();
        runtime = new DockerContainerRuntime(docker);
        TestDocker.buildBusybox(docker, IMAGE);
    }

    @AfterAll
    static void removeImage() throws IOException {
        if (docker != null) {
            docker.removeImageCmd(IMAGE).withForce(true).exec();
            docker.close();
        }
    }

    @AfterEach
    void removeWhatTheTestMade() throws IOException {
        for (Closeable c : open) {
            c.close();
        }
        created.forEach(runtime::remove);
    }

    private ContainerSpec spec(String job, String... command) {
        Map<String, String> labels = new HashMap<>();
        labels.put(TestDocker.TEST_LABEL, TestDocker.TEST_LABEL_VALUE);
        labels.put(JOB_LABEL, job);
        return ContainerSpec.of("dopq-ch-it-" + RUN + "-" + job + "-" + UUID.randomUUID().toString().substring(0, 6), IMAGE)
                .withCommand(List.of(command))
                .withLabels(labels);
    }

    private String create(ContainerSpec spec) {
        String id = runtime.create(spec);
        created.add(id);
        return id;
    }

    private BlockingQueue<ContainerEvent> subscribe(Instant since) {
        BlockingQueue<ContainerEvent> events = new LinkedBlockingQueue<>();
        open.add(runtime.subscribeEvents(JOB_LABEL, since, events::add));
        return events;
    }

    /** The next event of {@code containerId}, skipping other containers' events. */
    private static ContainerEvent next(BlockingQueue<ContainerEvent> events, String containerId) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            ContainerEvent e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && e.containerId().equals(containerId)) {
                return e;
            }
        }
        throw new AssertionError("no event for container " + containerId);
    }

    private void awaitExit(String id) throws InterruptedException {
        TestDocker.await("container " + id + " exited", PATIENCE, () -> !runtime.inspect(id).running());
    }

    @Test
    void the_engine_tells_its_runtimes_live_restore_and_clock_as_docker_info_does() throws Exception {
        Process p = new ProcessBuilder("docker", "info", "--format", "{{.LiveRestoreEnabled}}")
                .redirectErrorStream(true).start();
        String cli = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isZero();

        EngineInfo info = runtime.info();

        assertThat(info.runtimes()).contains("runc");
        assertThat(info.liveRestore()).isEqualTo(Boolean.parseBoolean(cli));
        assertThat(info.systemTime()).isNotNull();
    }

    @Test
    void labels_and_visible_gpus_reach_the_container() {
        String id = create(spec("gpus", "true").withGpus(List.of("0", "1"), false).withEnv(Map.of("A", "1")));

        InspectContainerResponse raw = docker.inspectContainerCmd(id).exec();

        assertThat(raw.getConfig().getEnv()).contains("NVIDIA_VISIBLE_DEVICES=0,1", "A=1");
        assertThat(raw.getConfig().getLabels()).containsEntry(JOB_LABEL, "gpus");
        assertThat(raw.getHostConfig().getInit()).isTrue();
        assertThat(raw.getHostConfig().getPrivileged()).isFalse();
        assertThat(raw.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
        assertThat(runtime.inspect(id).labels()).containsEntry(JOB_LABEL, "gpus");
    }

    @Test
    void a_cpu_only_container_sees_no_gpu() {
        String id = create(spec("cpu", "true").withEnv(Map.of("NVIDIA_VISIBLE_DEVICES", "all")));

        assertThat(docker.inspectContainerCmd(id).exec().getConfig().getEnv())
                .contains("NVIDIA_VISIBLE_DEVICES=void")
                .doesNotContain("NVIDIA_VISIBLE_DEVICES=all");
    }

    @Test
    void a_created_container_is_listed_by_its_label_and_has_no_exit_code_yet() {
        ContainerSpec spec = spec("listed", "true");
        String id = create(spec);

        assertThat(runtime.listByLabel(JOB_LABEL)).anySatisfy(s -> {
            assertThat(s.id()).isEqualTo(id);
            assertThat(s.name()).isEqualTo(spec.name());
            assertThat(s.running()).isFalse();
            assertThat(s.exitCode()).isNull();
            assertThat(s.startedAt()).isNull();
        });
    }

    @Test
    void start_and_die_events_carry_the_exit_code() throws InterruptedException {
        BlockingQueue<ContainerEvent> events = subscribe(null);
        String id = create(spec("exit3", "sh", "-c", "exit 3"));

        runtime.start(id);

        ContainerEvent start = next(events, id);
        ContainerEvent die = next(events, id);
        assertThat(start.kind()).isEqualTo(ContainerEvent.Kind.START);
        assertThat(die.kind()).isEqualTo(ContainerEvent.Kind.DIE);
        assertThat(die.exitCode()).isEqualTo(3);
        assertThat(die.labels()).containsEntry(JOB_LABEL, "exit3");
        assertThat(runtime.inspect(id).exitCode()).isEqualTo(3);
    }

    @Test
    void events_since_a_past_time_replay_what_happened_after_it() throws InterruptedException {
        Instant before = Instant.now().minusSeconds(1);
        String id = create(spec("replay", "sh", "-c", "exit 5"));
        runtime.start(id);
        awaitExit(id);

        BlockingQueue<ContainerEvent> events = subscribe(before);

        assertThat(next(events, id).kind()).isEqualTo(ContainerEvent.Kind.START);
        ContainerEvent die = next(events, id);
        assertThat(die.kind()).isEqualTo(ContainerEvent.Kind.DIE);
        assertThat(die.exitCode()).isEqualTo(5);
    }

    @Test
    void a_job_growing_past_its_memory_limit_is_oom_killed() throws InterruptedException {
        BlockingQueue<ContainerEvent> events = subscribe(null);
        ContainerSpec spec = spec("oom", "sh", "-c", "head -c 300m /dev/zero | tail").withLimits(16L << 20, 0, 0);
        String id = create(spec);

        runtime.start(id);

        List<ContainerEvent> seen = new ArrayList<>();
        do {
            seen.add(next(events, id));
        } while (seen.get(seen.size() - 1).kind() != ContainerEvent.Kind.DIE);
        // The kernel may hit the limit more than once (one oom event each) before the container dies.
        assertThat(seen).extracting(ContainerEvent::kind)
                .startsWith(ContainerEvent.Kind.START, ContainerEvent.Kind.OOM)
                .endsWith(ContainerEvent.Kind.OOM, ContainerEvent.Kind.DIE);
        assertThat(seen.get(seen.size() - 1).exitCode()).isEqualTo(137);
        ContainerStatus status = runtime.inspect(id);
        assertThat(status.oomKilled()).isTrue();
        assertThat(status.exitCode()).isEqualTo(137);
    }

    @Test
    void stop_ends_a_sleeping_container_through_sigterm() throws InterruptedException {
        String id = create(spec("sleep", "sleep", "1000"));
        runtime.start(id);
        TestDocker.await("container runs", PATIENCE, () -> runtime.inspect(id).running());

        runtime.stop(id, Duration.ofSeconds(30));

        ContainerStatus status = runtime.inspect(id);
        assertThat(status.running()).isFalse();
        assertThat(status.exitCode()).as("143 = ended by SIGTERM; 137 would mean it was killed after the grace")
                .isEqualTo(143);
        assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
    }

    @Test
    void stopping_or_killing_an_ended_container_is_fine() throws InterruptedException {
        String id = create(spec("ended", "true"));
        runtime.start(id);
        awaitExit(id);

        runtime.stop(id, Duration.ofSeconds(1));
        runtime.kill(id);

        assertThat(runtime.inspect(id).exitCode()).isZero();
    }

    @Test
    void a_removed_container_is_gone() {
        String id = create(spec("removed", "true"));

        runtime.remove(id);
        runtime.remove(id);

        assertThatThrownBy(() -> runtime.inspect(id)).isInstanceOf(ContainerGoneException.class).hasMessageContaining(id);
        assertThatThrownBy(() -> runtime.kill(id)).isInstanceOf(ContainerGoneException.class);
    }

    @Test
    void logs_are_written_while_the_container_runs_and_when_it_ends() throws Exception {
        String id = create(spec("logs", "sh", "-c", "trap 'echo two; exit 0' TERM; echo one; sleep 1000 & wait"));
        Path log = tmp.resolve("output.log");
        runtime.start(id);
        open.add(runtime.followLogs(id, log));

        TestDocker.await("first line is logged", PATIENCE, () -> read(log).contains("one"));
        assertThat(runtime.inspect(id).running()).isTrue();
        assertThat(read(log)).isEqualTo("one\n");

        runtime.stop(id, Duration.ofSeconds(30));
        TestDocker.await("last line is logged", PATIENCE, () -> read(log).contains("two"));
        assertThat(read(log)).isEqualTo("one\ntwo\n");
    }

    @Test
    void logs_stop_being_written_once_the_handle_is_closed() throws Exception {
        String id = create(spec("closed-logs", "sh", "-c", "trap 'echo two; exit 0' TERM; echo one; sleep 1000 & wait"));
        Path log = tmp.resolve("closed.log");
        runtime.start(id);
        Closeable follow = runtime.followLogs(id, log);
        TestDocker.await("first line is logged", PATIENCE, () -> read(log).contains("one"));

        follow.close();
        runtime.stop(id, Duration.ofSeconds(30));

        assertThat(docker.logContainerCmd(id).withStdOut(true).exec(new LogText()).awaitText()).isEqualTo("one\ntwo\n");
        assertThat(read(log)).isEqualTo("one\n");
    }

    /** Collects a container's whole output (no follow), to know the engine has it. */
    private static final class LogText extends com.github.dockerjava.api.async.ResultCallback.Adapter<
            com.github.dockerjava.api.model.Frame> {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onNext(com.github.dockerjava.api.model.Frame frame) {
            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
        }

        String awaitText() throws InterruptedException {
            awaitCompletion(60, TimeUnit.SECONDS);
            return text.toString();
        }
    }

    @Test
    void logs_of_an_ended_container_are_written_whole() throws Exception {
        String id = create(spec("ended-logs", "sh", "-c", "echo out; echo err >&2"));
        runtime.start(id);
        awaitExit(id);
        Path log = tmp.resolve("ended.log");

        open.add(runtime.followLogs(id, log));

        TestDocker.await("both lines are logged", PATIENCE, () -> read(log).contains("out") && read(log).contains("err"));
    }

    @Test
    void a_container_of_a_missing_image_is_refused_with_the_engines_reason() {
        ContainerSpec spec = ContainerSpec.of("dopq-ch-it-" + RUN + "-noimage", "dopq-ch-it-missing-" + RUN + ":latest");

        assertThatThrownBy(() -> created.add(runtime.create(spec)))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageStartingWith("cannot create container " + spec.name() + " from image " + spec.image() + ": ")
                .hasMessageContaining("No such image");
    }

    @Test
    void the_engine_answers_ping() {
        assertThat(runtime.ping()).isTrue();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
