package dev.dopq.docker;

import static dev.dopq.docker.TestZips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipBuildContextTest {

    private static final String CONFIG = "{\"executor_name\": \"ana\"}";
    static final String IGNORE = "*.log\n!keep.log\ncache\n";
    private final SafeZipExtractor extractor = new SafeZipExtractor(ZipLimits.defaults());

    @TempDir
    Path work;

    /** A context in one folder, with an ignore file, an executable, nested and empty folders, and a file outside. */
    static byte[] contextInAFolder() {
        return contextInAFolder("FROM scratch\nCOPY . /ctx/\n", CONFIG);
    }

    static byte[] contextInAFolder(String dockerfile, String config) {
        return zip().file("README-outside.txt", "not part of the context")
                .file("job/container_config.json", config)
                .file("job/Dockerfile", dockerfile)
                .file("job/.dockerignore", IGNORE)
                .executable("job/run.sh", "#!/bin/sh\necho hi\n")
                .file("job/data/a.txt", "a")
                .file("job/sub/deep/b.txt", "b")
                .directory("job/empty")
                .file("job/cache/big.bin", "ignored folder")
                .file("job/x.log", "ignored file")
                .file("job/keep.log", "brought back by !keep.log")
                .bytes();
    }

    @Test
    void the_streamed_tar_holds_what_packing_the_extracted_folder_gives() throws IOException {
        Path zip = Files.write(work.resolve("job.zip"), contextInAFolder());
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        BuildContextTar.write(extractor.extract(zip, work.resolve("x")).contextDir(), packed);

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        extractor.open(zip).writeTar(streamed);

        SortedMap<String, String> contents = TarContents.of(streamed.toByteArray());
        assertThat(contents).isEqualTo(expectedContext("FROM scratch\nCOPY . /ctx/\n", CONFIG));
        // folders on disk take the umask's modes; the files of both tars must be the same
        assertThat(TarContents.filesOf(contents)).isEqualTo(TarContents.filesOf(TarContents.of(packed.toByteArray())));
    }

    /** What {@link #contextInAFolder()} sends: its context folder's files and folders, less the ignored ones. */
    static SortedMap<String, String> expectedContext(String dockerfile, String config) {
        return new TreeMap<>(Map.ofEntries(
                Map.entry(".dockerignore", "file 644 " + IGNORE),
                Map.entry("Dockerfile", "file 644 " + dockerfile),
                Map.entry("container_config.json", "file 644 " + config),
                Map.entry("data", "dir 755"),
                Map.entry("data/a.txt", "file 644 a"),
                Map.entry("empty", "dir 755"),
                Map.entry("keep.log", "file 644 brought back by !keep.log"),
                Map.entry("run.sh", "file 755 #!/bin/sh\necho hi\n"),
                Map.entry("sub", "dir 755"),
                Map.entry("sub/deep", "dir 755"),
                Map.entry("sub/deep/b.txt", "file 644 b")));
    }

    @Test
    void config_and_dockerfile_are_found_from_the_table_of_contents() {
        Path zip = write(contextInAFolder());

        ZipBuildContext context = extractor.open(zip);

        assertThat(context.contextFolder()).isEqualTo("job");
        assertThat(context.hasDockerfile()).isTrue();
        assertThat(context.read("container_config.json", 1000)).hasValueSatisfying(
                bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(CONFIG));
        assertThat(context.read("missing.txt", 1000)).isEmpty();
    }

    @Test
    void a_late_bad_entry_is_refused_with_the_extractions_reason_after_part_of_the_tar_went_out() throws IOException {
        Path zip = write(zip().file("container_config.json", CONFIG).file("Dockerfile", "FROM scratch\n")
                .file("zz-zeros", new byte[8 << 20]).bytes());
        String extraction = reasonOf(() -> extractor.extract(zip, work.resolve("x")));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();

        assertThatThrownBy(() -> extractor.open(zip).writeTar(streamed))
                .isInstanceOf(ZipRejectedException.class)
                .hasMessage(extraction)
                .hasMessageContaining("entry \"zz-zeros\" unpacks to more than 200 times its packed size");
        // the start of the bad entry was already sent, and what was sent is no complete tar
        assertThat(streamed.size()).isGreaterThan(1024 * 1024);
        assertThatThrownBy(() -> TarContents.of(streamed.toByteArray())).isInstanceOf(IOException.class);
    }

    @Test
    void a_declared_size_that_lies_is_refused_with_the_extractions_reason() throws IOException {
        byte[] lying = TestZips.withDeclaredSize(zip().file("container_config.json", "{}").bytes(), 1);
        Path zip = write(lying);
        String extraction = reasonOf(() -> extractor.extract(zip, work.resolve("x")));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();

        // the tar header promised 1 byte: a second one written into the tar would fail there with an IOException
        try (var file = SafeZipExtractor.openZip(zip)) {
            ZipPlan plan = ZipPlan.of(file, ZipLimits.defaults());
            ZipEntryReader reader = new ZipEntryReader(file, ZipLimits.defaults(), Files.size(zip));
            assertThatThrownBy(() -> new ZipContextTar(DockerIgnore.parse(List.of()), streamed)
                    .write(plan.items(), "", reader))
                    .isInstanceOf(ZipRejectedException.class).hasMessage(extraction)
                    .hasMessage("entry \"container_config.json\" holds 2 bytes but the zip declares 1 (damaged or"
                            + " tampered zip)");
        }
    }

    private Path write(byte[] bytes) {
        try {
            return Files.write(work.resolve("job.zip"), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String reasonOf(Runnable extraction) {
        try {
            extraction.run();
        } catch (ZipRejectedException e) {
            return e.getMessage();
        }
        throw new AssertionError("extraction took the zip");
    }
}
