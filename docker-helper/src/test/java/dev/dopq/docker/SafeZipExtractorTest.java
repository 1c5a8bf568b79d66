package dev.dopq.docker;

import static dev.dopq.docker.TestZips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeZipExtractorTest {

    /** Names that a broken extractor would create outside the target carry this marker. */
    private static final String MARKER = "dopq-evil-" + UUID.randomUUID();
    private static final String CONFIG = "{\"executor_name\": \"ana\"}";
    private static final ZipLimits SMALL = new ZipLimits(3, 1000, 1500, 200);

    @TempDir
    Path work;

    /** A bad zip, the limits to apply, and the reason the user must read. */
    record BadZip(byte[] zip, ZipLimits limits, String reason) {
        static BadZip of(byte[] zip, String reason) {
            return new BadZip(zip, ZipLimits.defaults(), reason);
        }
    }

    static Stream<Arguments> badZips() {
        byte[] thousandBytes = randomBytes(1000);
        return Stream.of(
                bad("parent traversal", BadZip.of(withConfig().file("../" + MARKER, "x").bytes(),
                        "entry \"../" + MARKER + "\" contains '..'")),
                bad("deep traversal to /tmp", BadZip.of(withConfig().file("a/../../../../../../../../tmp/" + MARKER,
                        "x").bytes(), "contains '..' (a path outside the zip)")),
                bad("absolute path", BadZip.of(withConfig().file("/tmp/" + MARKER, "x").bytes(),
                        "entry \"/tmp/" + MARKER + "\" is an absolute path")),
                bad("drive letter with backslash", BadZip.of(TestZips.withRawName(withConfig()
                        .file("C:|" + MARKER, "x").bytes(), "C:|", "C:\\"), "entry \"C:\\" + MARKER
                        + "\" starts with a drive letter")),
                bad("drive letter with slash", BadZip.of(withConfig().file("C:/" + MARKER, "x").bytes(),
                        "entry \"C:/" + MARKER + "\" starts with a drive letter")),
                bad("backslash traversal", BadZip.of(TestZips.withRawName(withConfig()
                        .file("a|..|..|" + MARKER, "x").bytes(), "a|..|..|", "a\\..\\..\\"),
                        "entry \"a\\..\\..\\" + MARKER + "\" contains a backslash")),
                bad("NUL in name", BadZip.of(withConfig().file("ok.txt\0" + MARKER, "x").bytes(),
                        "entry \"ok.txt?" + MARKER + "\" has a NUL character in its name")),
                bad("control character in name", BadZip.of(withConfig().file("bell\u0007", "x").bytes(),
                        "entry \"bell?\" has a control character in its name")),
                bad("empty name", BadZip.of(withConfig().file("", "x").bytes(),
                        "the zip has an entry with an empty name")),
                bad("name that is only a dot", BadZip.of(withConfig().file("./", "x").bytes(),
                        "the zip has an entry with an empty name")),
                bad("symlink", BadZip.of(withConfig().symlink("link", "/tmp/" + MARKER).bytes(),
                        "entry \"link\" is a symbolic link; links are not allowed")),
                bad("symlink then a file through it", BadZip.of(withConfig().symlink("dir", "/tmp")
                        .file("dir/" + MARKER, "x").bytes(), "entry \"dir\" is a symbolic link")),
                bad("character device", BadZip.of(withConfig().withMode("dev", TestZips.CHAR_DEVICE_MODE, "")
                        .bytes(), "entry \"dev\" is not a regular file or folder")),
                bad("fifo", BadZip.of(withConfig().withMode("pipe", TestZips.FIFO_MODE, "").bytes(),
                        "entry \"pipe\" is not a regular file or folder")),
                bad("duplicate names", BadZip.of(withConfig().file("a.txt", "1").file("a.txt", "2").bytes(),
                        "entry \"a.txt\" appears more than once in the zip")),
                bad("duplicate after normalizing", BadZip.of(withConfig().file("a/b.txt", "1")
                        .file("a//./b.txt", "2").bytes(), "entry \"a/b.txt\" appears more than once")),
                bad("a file that is also a folder", BadZip.of(withConfig().file("a", "1").file("a/b", "2")
                        .bytes(), "entry \"a\" is both a file and a folder")),
                bad("too many entries", new BadZip(withConfig().file("a", "1").file("b", "2").file("c", "3")
                        .bytes(), SMALL, "the zip has 4 entries, more than the limit of 3")),
                bad("entry over the limit", new BadZip(withConfig().file("big", randomBytes(1001)).bytes(),
                        SMALL, "entry \"big\" is larger than the limit of 1000 B")),
                bad("entry over the limit while declaring less", new BadZip(TestZips.withDeclaredSize(
                        zip().file("container_config.json", randomBytes(1200)).bytes(), 10), SMALL,
                        "entry \"container_config.json\" is larger than the limit of 1000 B")),
                bad("total over the limit", new BadZip(withConfig().file("a", thousandBytes)
                        .file("b", thousandBytes).bytes(), SMALL, "the zip unpacks to more than the limit of")),
                bad("zip bomb entry", BadZip.of(withConfig().file("zeros", new byte[8 << 20]).bytes(),
                        "entry \"zeros\" unpacks to more than 200 times its packed size")),
                bad("zip bomb of many entries", BadZip.of(manySmallZeroFiles(),
                        "the zip unpacks to more than 200 times its size")),
                bad("declared size lies", BadZip.of(TestZips.withDeclaredSize(zip()
                        .file("container_config.json", thousandBytes).bytes(), 10),
                        "entry \"container_config.json\" holds 1000 bytes but the zip declares 10")),
                bad("checksum mismatch", BadZip.of(TestZips.withCrc(zip()
                        .file("container_config.json", CONFIG).bytes(), 12345),
                        "entry \"container_config.json\" is damaged (checksum mismatch)")),
                bad("encrypted entry", BadZip.of(TestZips.withEncryptedFlag(withConfig().bytes()),
                        "entry \"container_config.json\" is encrypted")),
                bad("unsupported compression", BadZip.of(TestZips.withMethod(zip()
                        .stored("container_config.json", CONFIG.getBytes(StandardCharsets.UTF_8)).bytes(), 14),
                        "entry \"container_config.json\" uses an unsupported compression method (LZMA)")),
                bad("not a zip", BadZip.of("just some text".getBytes(StandardCharsets.UTF_8),
                        "the file is not a zip archive")),
                bad("empty file", BadZip.of(new byte[0], "the file is not a zip archive")),
                bad("empty zip", BadZip.of(zip().bytes(), "the zip is empty")),
                bad("truncated zip", BadZip.of(truncated(withConfig().file("Dockerfile", randomBytes(4000))
                        .bytes()), "the zip is incomplete or damaged")),
                bad("no container_config.json", BadZip.of(zip().file("Dockerfile", "FROM scratch").bytes(),
                        "no container_config.json in the zip")),
                bad("container_config.json in two folders", BadZip.of(zip().file("a/container_config.json",
                        CONFIG).file("b/container_config.json", CONFIG).bytes(),
                        "container_config.json is in several folders (a, b)")),
                bad("container_config.json at the top and in a folder", BadZip.of(withConfig()
                        .file("b/container_config.json", CONFIG).bytes(),
                        "container_config.json is in several folders ((top level), b)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badZips")
    void a_bad_zip_is_rejected_with_its_reason_and_leaves_nothing_behind(BadZip bad) throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), bad.zip());
        Path target = work.resolve("out/deep/target");
        Files.createDirectories(target.getParent());
        SortedMap<String, String> workBefore = snapshot(work);
        String[] tmpBefore = tmpNamesWithMarker();

        assertThatThrownBy(() -> new SafeZipExtractor(bad.limits()).extract(zipFile, target))
                .isInstanceOf(ZipRejectedException.class)
                .hasMessageContaining(bad.reason())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        assertThat(snapshot(work)).isEqualTo(workBefore);
        assertThat(tmpNamesWithMarker()).isEqualTo(tmpBefore).isEmpty();
    }

    @Test
    void a_rejected_zip_leaves_an_existing_empty_target_empty() throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), TestZips.withDeclaredSize(
                withConfig().file("later", randomBytes(100)).bytes(), 10));
        Path target = Files.createDirectories(work.resolve("target"));

        assertThatThrownBy(() -> new SafeZipExtractor(ZipLimits.defaults()).extract(zipFile, target))
                .isInstanceOf(ZipRejectedException.class);

        assertThat(target).isEmptyDirectory();
    }

    @Test
    void a_zip_with_the_config_at_the_top_is_its_own_build_context() throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), withConfig().file("Dockerfile", "FROM scratch")
                .file("src/train.py", "print(1)").bytes());
        Path target = work.resolve("target");

        SafeZipExtractor.Extracted result = new SafeZipExtractor(ZipLimits.defaults()).extract(zipFile, target);

        assertThat(result.contextDir()).isEqualTo(target);
        assertThat(result.files()).isEqualTo(3);
        assertThat(result.bytes()).isEqualTo(CONFIG.length() + "FROM scratch".length() + "print(1)".length());
        assertThat(target.resolve("src/train.py")).hasContent("print(1)");
        assertThat(target.resolve("container_config.json")).hasContent(CONFIG);
    }

    @Test
    void a_zip_of_one_folder_has_that_folder_as_build_context() throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), zip().directory("myjob")
                .file("myjob/container_config.json", CONFIG).file("myjob/Dockerfile", "FROM scratch")
                .file("__MACOSX/myjob/._container_config.json", "resource fork").bytes());
        Path target = work.resolve("target");

        SafeZipExtractor.Extracted result = new SafeZipExtractor(ZipLimits.defaults()).extract(zipFile, target);

        assertThat(result.contextDir()).isEqualTo(target.resolve("myjob"));
        assertThat(result.contextDir().resolve("Dockerfile")).hasContent("FROM scratch");
    }

    @Test
    void executable_files_stay_executable_others_do_not_and_files_from_windows_become_executable()
            throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), withConfig().executable("run.sh", "#!/bin/sh\n")
                .file("data.txt", "1").windowsFile("from-windows.txt", "2").bytes());
        Path target = work.resolve("target");

        new SafeZipExtractor(ZipLimits.defaults()).extract(zipFile, target);

        assertThat(Files.getPosixFilePermissions(target.resolve("run.sh")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(target.resolve("data.txt")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(target.resolve("from-windows.txt")).hasContent("2");
        assertThat(Files.getPosixFilePermissions(target.resolve("from-windows.txt")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void names_from_old_tools_without_the_utf8_flag_are_read_in_the_dos_code_page() throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), TestZips.legacyZip()
                .file("container_config.json", CONFIG).file("Übung.txt", "1").bytes());
        Path target = work.resolve("target");

        new SafeZipExtractor(ZipLimits.defaults()).extract(zipFile, target);

        assertThat(target.resolve("Übung.txt")).hasContent("1");
    }

    @Test
    void a_target_that_is_not_empty_is_refused_before_anything_is_written() throws IOException {
        Path zipFile = Files.write(work.resolve("job.zip"), withConfig().bytes());
        Path target = Files.createDirectories(work.resolve("target"));
        Files.writeString(target.resolve("mine.txt"), "keep");

        assertThatThrownBy(() -> new SafeZipExtractor(ZipLimits.defaults()).extract(zipFile, target))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(target.resolve("mine.txt")).hasContent("keep");
        assertThat(target.resolve("container_config.json")).doesNotExist();
    }

    @Test
    void a_complete_zip_is_recognised_and_a_half_copied_one_is_not() throws IOException {
        byte[] complete = withConfig().file("Dockerfile", randomBytes(4000)).bytes();
        Path whole = Files.write(work.resolve("whole.zip"), complete);
        Path half = Files.write(work.resolve("half.zip"), truncated(complete));

        assertThat(SafeZipExtractor.isCompleteZip(whole)).isTrue();
        assertThat(SafeZipExtractor.isCompleteZip(half)).isFalse();
        assertThat(SafeZipExtractor.isCompleteZip(work.resolve("missing.zip"))).isFalse();
    }

    private static Arguments bad(String name, BadZip zip) {
        return Arguments.of(named(name, zip));
    }

    private static TestZips withConfig() {
        return zip().file("container_config.json", CONFIG);
    }

    /** Every entry stays under the per-entry ratio grace, but together they are a bomb. */
    private static byte[] manySmallZeroFiles() {
        TestZips zip = withConfig();
        for (int i = 0; i < 40; i++) {
            zip.file("zeros" + i, new byte[512 * 1024]);
        }
        return zip.bytes();
    }

    /** What a reader sees of a zip still being copied: the central directory at the end is missing. */
    private static byte[] truncated(byte[] zip) {
        return Arrays.copyOf(zip, zip.length * 2 / 3);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Relative path -> kind and size, for every path under {@code root}, links not followed. */
    private static SortedMap<String, String> snapshot(Path root) throws IOException {
        SortedMap<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String kind = Files.isSymbolicLink(p) ? "link"
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : "file " + Files.size(p);
                tree.put(root.relativize(p).toString(), kind);
            }
        }
        return tree;
    }

    private static String[] tmpNamesWithMarker() throws IOException {
        try (Stream<Path> names = Files.list(Path.of("/tmp"))) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.contains(MARKER)).sorted()
                    .toArray(String[]::new);
        }
    }
}
