package dev.dopq.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The real local engine for integration tests, and a tiny busybox image built from the host's static busybox. */
final class TestDocker {

    /** Label on everything these tests create, so a leak is findable. */
    static final String TEST_LABEL = "dopq.test";
    static final String TEST_LABEL_VALUE = "container-handler";
    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    private TestDocker() {
    }

    static DockerClient client() {
        return client("unix:///var/run/docker.sock");
    }

    static DockerClient client(String dockerHost) {
        DockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(false)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(cfg.getDockerHost())
                .sslConfig(cfg.getSSLConfig())
                .maxConnections(50)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return DockerClientImpl.getInstance(cfg, http);
    }

    /** Builds a busybox image tagged {@code tag}; returns its id. */
    static String buildBusybox(DockerClient docker, String tag) throws IOException {
        byte[] context = busyboxContext();
        return docker.buildImageCmd(new ByteArrayInputStream(context))
                .withTags(Set.of(tag))
                .withLabels(Map.of(TEST_LABEL, TEST_LABEL_VALUE))
                .withPull(false)
                .withRemove(true)
                .withForcerm(true)
                .exec(new BuildImageResultCallback())
                .awaitImageId();
    }

    private static byte[] busyboxContext() throws IOException {
        byte[] dockerfile = String.join("\n", "FROM scratch", "COPY busybox /bin/busybox",
                "RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]", "").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            add(tar, "Dockerfile", dockerfile, 0644);
            add(tar, "busybox", Files.readAllBytes(BUSYBOX), 0755);
        }
        return bytes.toByteArray();
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Waits until {@code condition} holds, failing after {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
