package dev.dopq.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildContextTarTest {

    @TempDir
    Path context;

    @Test
    void executable_scripts_stay_executable_and_plain_files_do_not() throws IOException {
        write("run.sh", "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(context.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        write("data.txt", "1");
        Files.setPosixFilePermissions(context.resolve("data.txt"), PosixFilePermissions.fromString("rw-r--r--"));

        Map<String, TarArchiveEntry> entries = tarEntries();

        assertThat(entries.get("run.sh").getMode() & 07777).isEqualTo(0750);
        assertThat(entries.get("run.sh").isFile()).isTrue();
        assertThat(entries.get("data.txt").getMode() & 07777).isEqualTo(0644);
    }

    @Test
    void entries_belong_to_root_whoever_owns_the_files() throws IOException {
        write("a.txt", "1");

        TarArchiveEntry entry = tarEntries().get("a.txt");

        assertThat(entry.getLongUserId()).isZero();
        assertThat(entry.getLongGroupId()).isZero();
        assertThat(entry.getUserName()).isEmpty();
    }

    @Test
    void names_longer_than_the_old_tar_limit_and_non_ascii_names_survive() throws IOException {
        String longName = "d".repeat(80) + "/" + "f".repeat(150) + ".txt";
        write(longName, "deep");
        write("Übung ñ.txt", "umlaut");

        Map<String, TarArchiveEntry> entries = tarEntries();

        assertThat(entries).containsKeys(longName, "Übung ñ.txt", "d".repeat(80) + "/");
        assertThat(entries.get(longName).getSize()).isEqualTo(4);
    }

    @Test
    void file_content_is_packed_unchanged() throws IOException {
        write("sub/model.bin", "weights");

        assertThat(tarContents()).containsEntry("sub/model.bin", "weights");
    }

    @Test
    void dockerignore_leaves_out_matching_files_folders_and_everything_under_double_star() throws IOException {
        writeIgnore("# a comment line", "*.log", "/build", "data/**", "**/secret.txt", "", "  cache/  ");
        write("Dockerfile", "FROM scratch");
        write("app.py", "1");
        write("train.log", "x");
        write("sub/train.log", "x");
        write("build/out.o", "x");
        write("data/a/b.csv", "x");
        write("deep/er/secret.txt", "x");
        write("cache/x", "x");

        assertThat(tarEntries().keySet()).containsExactlyInAnyOrder(
                ".dockerignore", "Dockerfile", "app.py", "sub/", "sub/train.log", "data/", "deep/", "deep/er/");
    }

    @Test
    void a_negated_pattern_brings_back_a_file_from_an_ignored_folder() throws IOException {
        writeIgnore("data", "!data/keep.txt", "*.md", "!README.md");
        write("data/keep.txt", "kept");
        write("data/drop.txt", "x");
        write("README.md", "readme");
        write("NOTES.md", "x");

        assertThat(tarContents()).containsOnlyKeys(".dockerignore", "data/keep.txt", "README.md");
    }

    @Test
    void the_dockerfile_and_dockerignore_are_sent_even_when_ignored() throws IOException {
        writeIgnore("*");
        write("Dockerfile", "FROM scratch");
        write("other.txt", "x");

        assertThat(tarContents()).containsOnlyKeys(".dockerignore", "Dockerfile");
    }

    @Test
    void ignore_patterns_follow_the_docker_cli_matching_rules() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("a?c", "[x-z].txt", "**/tmp", "logs/*.gz", "\\*star"));

        assertThat(ignore.excludes("abc")).isTrue();
        assertThat(ignore.excludes("abbc")).isFalse();
        assertThat(ignore.excludes("y.txt")).isTrue();
        assertThat(ignore.excludes("a.txt")).isFalse();
        assertThat(ignore.excludes("tmp")).isTrue();
        assertThat(ignore.excludes("x/y/tmp/z")).isTrue();
        assertThat(ignore.excludes("logs/old.gz")).isTrue();
        assertThat(ignore.excludes("logs/sub/old.gz")).isFalse();
        assertThat(ignore.excludes("*star")).isTrue();
        assertThat(ignore.excludes("xstar")).isFalse();
    }

    @Test
    void more_matching_rules_classes_negation_star_runs_and_folders() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("[^a]*.log", "build/**", "**/*.tmp", "doc/**/x?.md",
                "!build/keep"));

        assertThat(ignore.excludes("b.log")).isTrue();
        assertThat(ignore.excludes("a.log")).isFalse();
        assertThat(ignore.excludes("sub/b.log")).isFalse();
        assertThat(ignore.excludes("build/out/a.o")).isTrue();
        assertThat(ignore.excludes("build/keep")).isFalse();
        assertThat(ignore.excludes("a/b/c.tmp")).isTrue();
        assertThat(ignore.excludes("c.tmp")).isTrue();
        assertThat(ignore.excludes("doc/x1.md")).isTrue();
        assertThat(ignore.excludes("doc/a/b/x2.md")).isTrue();
        assertThat(ignore.excludes("doc/a/b/y2.md")).isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(5)
    void a_pathological_pattern_is_matched_in_linear_time() {
        // as a regular expression ([^/]*a)^30 b, this takes longer than the age of the universe on 60 a's
        DockerIgnore ignore = DockerIgnore.parse(List.of("*a".repeat(30) + "b", "**/" + "**/x".repeat(30) + "y"));
        String many = "a".repeat(60);

        assertThat(ignore.excludes(many)).isFalse();
        assertThat(ignore.excludes(many + "b")).isTrue();
        assertThat(ignore.excludes("x/".repeat(200) + "z")).isFalse();
    }

    @Test
    void a_symbolic_link_in_the_context_is_refused() throws IOException {
        write("real.txt", "1");
        Files.createSymbolicLink(context.resolve("link"), Path.of("real.txt"));

        assertThatThrownBy(() -> BuildContextTar.write(context, new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic links are not allowed in a build context: link");
    }

    private void write(String name, String content) throws IOException {
        Path file = context.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void writeIgnore(String... lines) throws IOException {
        Files.write(context.resolve(".dockerignore"), List.of(lines));
    }

    private Map<String, TarArchiveEntry> tarEntries() throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = tar()) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    /** File name -> content, for the files (not folders) in the tar. */
    private Map<String, String> tarContents() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (TarArchiveInputStream in = tar()) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isFile()) {
                    files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private TarArchiveInputStream tar() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildContextTar.write(context, out);
        return new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()), "UTF-8");
    }
}
