package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds, loads and removes images on the real engine, with tiny busybox images. */
class ImageBuilderIT {

    private static final String LABEL = "dopq.test";
    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    private static DockerClient client;

    private final String run = "dopq-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> labels = Map.of(LABEL, run);
    private final List<String> images = new ArrayList<>();

    @TempDir
    Path work;

    @BeforeAll
    static void connect() {
        client = DockerEngine.connect(null);
    }

    @AfterAll
    static void disconnect() throws IOException {
        client.close();
    }

    @AfterEach
    void removeWhatThisTestMade() {
        for (Container c : client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
            client.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        for (String image : images) {
            LabelledImages.removeIfPresent(client, image);
        }
        LabelledImages.removeAll(client, labels);
    }

    @Test
    void builds_an_image_whose_context_script_is_executable_and_logs_every_step() throws IOException {
        Path context = busyboxContext("COPY run.sh /run.sh", "RUN [\"/run.sh\"]");
        Path script = Files.writeString(context.resolve("run.sh"), "#!/bin/sh\necho built > /built.txt\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = work.resolve("logs/build.log");
        String tag = tag();

        String imageId = new ImageBuilder(client).build(context, tag, labels, log);

        assertThat(imageId).isNotBlank();
        assertThat(new ImageBuilder(client).exists(tag)).isTrue();
        assertThat(client.inspectImageCmd(imageId).exec().getConfig().getLabels()).containsEntry(LABEL, run);
        assertThat(Files.readString(log)).contains("Step 1/", "FROM scratch", "RUN [\"/run.sh\"]");
    }

    @Test
    void a_failing_build_reports_the_last_error_line_and_leaves_no_containers() throws IOException {
        Path context = busyboxContext("RUN echo before", "RUN exit 3");
        Path log = work.resolve("build.log");
        String tag = tag();

        assertThatThrownBy(() -> new ImageBuilder(client).build(context, tag, labels, log))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("The command '/bin/sh -c exit 3' returned a non-zero code: 3");

        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()).isEmpty();
        assertThat(new ImageBuilder(client).exists(tag)).isFalse();
        assertThat(Files.readString(log)).contains("before", "ERROR: The command '/bin/sh -c exit 3'");
    }

    @Test
    void a_context_that_cannot_be_packed_fails_the_build_with_the_reason() throws IOException {
        Path context = busyboxContext("COPY zz-link /link");
        Files.createSymbolicLink(context.resolve("zz-link"), Path.of("busybox"));
        String tag = tag();

        assertThatThrownBy(() -> new ImageBuilder(client).build(context, tag, labels, work.resolve("b.log")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("could not send the build context: symbolic links are not allowed in a build context:"
                        + " zz-link");
        assertThat(new ImageBuilder(client).exists(tag)).isFalse();
    }

    @Test
    void a_context_without_dockerfile_is_refused_before_the_engine_is_asked() throws IOException {
        Path context = Files.createDirectories(work.resolve("empty"));
        Files.writeString(context.resolve("container_config.json"), "{}");

        assertThatThrownBy(() -> new ImageBuilder(client).build(context, tag(), labels, work.resolve("b.log")))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("no Dockerfile in the zip");
    }

    @Test
    void a_loaded_tar_gets_only_the_private_tag_and_never_moves_the_tag_it_claims() throws IOException {
        ImageBuilder builder = new ImageBuilder(client);
        String claimed = tag();
        String attackerId = fullId(builder.build(busyboxContext("RUN echo attacker > /who"), claimed, labels,
                work.resolve("a.log")));
        Path tar = work.resolve("image.tar");
        try (InputStream saved = client.saveImageCmd(claimed).exec()) {
            Files.copy(saved, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        builder.remove(claimed);
        String victimId = fullId(builder.build(busyboxContext("RUN echo victim > /who"), claimed, labels,
                work.resolve("v.log")));
        String privateTag = tag();

        String loaded = builder.load(tar, privateTag, work.resolve("load.log"));

        assertThat(loaded).isEqualTo(privateTag);
        assertThat(victimId).isNotEqualTo(attackerId);
        assertThat(client.inspectImageCmd(claimed).exec().getId()).as("the claimed tag").isEqualTo(victimId);
        assertThat(client.inspectImageCmd(privateTag).exec().getId()).as("the private tag").isEqualTo(attackerId);
        assertThat(Files.readString(work.resolve("load.log"))).contains("the tar's own names [" + claimed + "]");
    }

    @Test
    void a_tar_that_is_no_image_is_refused_with_the_reason() throws IOException {
        Path tar = Files.writeString(work.resolve("bogus.tar"), "not a tar at all");

        assertThatThrownBy(() -> new ImageBuilder(client).load(tar, tag(), work.resolve("load.log")))
                .isInstanceOf(ImageBuildException.class)
                .message().isNotBlank().doesNotStartWith("Status ").doesNotContain("{");
    }

    @Test
    void a_build_that_runs_out_of_time_is_aborted_and_leaves_no_container() throws IOException {
        Path context = busyboxContext("RUN sleep 60");
        ImageBuilder limited = new ImageBuilder(client, java.time.Duration.ofSeconds(3), 0);
        String tag = tag();

        assertThatThrownBy(() -> limited.build(context, tag, labels, work.resolve("b.log")))
                .isInstanceOf(ImageBuildTimeoutException.class)
                .hasMessage("build timed out after 3s");

        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().isEmpty()
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec())
                .as("build containers left after the abort").isEmpty();
        assertThat(limited.exists(tag)).isFalse();
    }

    @Test
    void build_steps_run_under_the_memory_limit() throws IOException {
        Path context = busyboxContext("RUN cat /sys/fs/cgroup/memory.max 2>/dev/null"
                + " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        ImageBuilder limited = new ImageBuilder(client, null, 64L << 20);

        limited.build(context, tag(), labels, work.resolve("m.log"));

        assertThat(Files.readString(work.resolve("m.log"))).contains(String.valueOf(64L << 20));
    }

    @Test
    void removing_an_image_that_does_not_exist_is_not_an_error() {
        new ImageBuilder(client).remove(tag());
    }

    private static String fullId(String shortId) {
        return client.inspectImageCmd(shortId).exec().getId();
    }

    private String tag() {
        String tag = run + "-" + images.size() + ":latest";
        images.add(tag);
        return tag;
    }

    /**
     * A context whose image is busybox on scratch, then {@code extraLines}. The label comes first so that every
     * layer and every build container of this run carries it and no cache is shared with other builds.
     */
    private Path busyboxContext(String... extraLines) throws IOException {
        Path context = Files.createDirectories(work.resolve("context-" + UUID.randomUUID()));
        Files.copy(BUSYBOX, context.resolve("busybox"));
        List<String> dockerfile = new ArrayList<>(List.of("FROM scratch", "LABEL " + LABEL + "=" + run, "COPY busybox /bin/busybox",
                "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]"));
        dockerfile.addAll(List.of(extraLines));
        Files.write(context.resolve("Dockerfile"), dockerfile);
        return context;
    }
}
