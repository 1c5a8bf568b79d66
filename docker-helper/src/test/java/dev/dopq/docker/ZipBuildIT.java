package dev.dopq.docker;

import static dev.dopq.docker.TestZips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds streamed straight from zips on the real engine: what the image holds, and a zip refused part way. */
class ZipBuildIT {

    private static final String LABEL = "dopq.test";
    private static DockerClient client;

    private final String run = "dopq-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> labels = Map.of(LABEL, run);
    private final String tag = run + ":latest";
    private final SafeZipExtractor extractor = new SafeZipExtractor(ZipLimits.defaults());

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
        LabelledImages.removeIfPresent(client, tag);
        LabelledImages.removeAll(client, labels);
    }

    @Test
    void the_image_holds_exactly_the_contexts_files_less_the_ignored_ones() throws IOException {
        Path zip = Files.write(work.resolve("job.zip"), ZipBuildContextTest.contextInAFolder(dockerfile(), "{}"));
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        BuildContextTar.write(extractor.extract(zip, work.resolve("x")).contextDir(), packed);

        new ImageBuilder(client).buildTimed(extractor.open(zip), tag, labels, work.resolve("build.log"));

        SortedMap<String, String> inImage = filesUnder("ctx/");
        assertThat(inImage).isEqualTo(ZipBuildContextTest.expectedContext(dockerfile(), "{}"));
        assertThat(TarContents.filesOf(inImage)).isEqualTo(TarContents.filesOf(TarContents.of(packed.toByteArray())));
    }

    @Test
    void a_bad_entry_late_in_the_zip_aborts_the_streamed_build_and_leaves_no_image() throws IOException {
        Path zip = Files.write(work.resolve("late.zip"), zip().file("container_config.json", "{}")
                .file("Dockerfile", dockerfile()).file("a.txt", "a").file("zz-zeros", new byte[8 << 20]).bytes());
        String extraction;
        try {
            extractor.extract(zip, work.resolve("x"));
            throw new AssertionError("extraction took the zip");
        } catch (ZipRejectedException e) {
            extraction = e.getMessage();
        }
        Path log = work.resolve("build.log");

        assertThatThrownBy(() -> new ImageBuilder(client).buildTimed(extractor.open(zip), tag, labels, log))
                .isInstanceOf(ZipRejectedException.class)
                .hasMessage(extraction)
                .hasMessageStartingWith("entry \"zz-zeros\" unpacks to more than 200 times its packed size");

        assertThat(new ImageBuilder(client).exists(tag)).isFalse();
        assertThat(client.listImagesCmd().withShowAll(true).withLabelFilter(labels).exec()).isEmpty();
        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()).isEmpty();
        assertThat(Files.readString(log)).contains("ERROR: " + extraction);
    }

    private String dockerfile() {
        return "FROM scratch\nLABEL " + LABEL + "=" + run + "\nCOPY . /ctx/\n";
    }

    /** The files under {@code prefix} in every layer of the built image, read from {@code docker save}. */
    private SortedMap<String, String> filesUnder(String prefix) throws IOException {
        SortedMap<String, String> files = new TreeMap<>();
        try (InputStream saved = client.saveImageCmd(tag).exec()) {
            TarArchiveInputStream image = new TarArchiveInputStream(saved);
            for (TarArchiveEntry e = image.getNextEntry(); e != null; e = image.getNextEntry()) {
                if (e.getName().endsWith("/layer.tar")) {
                    files.putAll(TarContents.of(new ByteArrayInputStream(image.readAllBytes()), prefix));
                }
            }
        }
        return files;
    }
}
