package dev.dopq.server.files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The safe-write primitive with links planted at every level a writer passes. */
class SafeFilesTest {
    @TempDir
    Path dir;
    Path share;
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        share = Files.createDirectories(dir.resolve("share"));
        outside = Files.createDirectories(dir.resolve("outside"));
    }

    private void write(List<String> folders, String name, String text) throws IOException {
        try (SafeFiles.Folder f = SafeFiles.open(share, folders, SafeFiles.OWNER_DIR)) {
            f.write(name, text.getBytes(StandardCharsets.UTF_8), SafeFiles.OWNER_FILE);
        }
    }

    @Test
    void a_file_is_written_whole_into_folders_made_owner_only() throws IOException {
        write(List.of("ana", "results", "7-train"), "status.json", "{}");

        Path file = share.resolve("ana/results/7-train/status.json");
        assertThat(file).hasContent("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file stays").containsExactly(file);
        }
    }

    @Test
    void a_rewrite_replaces_the_file_atomically() throws IOException {
        write(List.of("ana"), "status.json", "first");
        write(List.of("ana"), "status.json", "second");

        assertThat(share.resolve("ana/status.json")).hasContent("second");
    }

    @Test
    void a_link_planted_as_the_user_folder_is_refused_and_nothing_is_written_outside() throws IOException {
        Files.createSymbolicLink(share.resolve("ana"), outside);

        assertThatThrownBy(() -> write(List.of("ana", "results"), "status.json", "x"))
                .isInstanceOf(LinkRefusedException.class).hasMessageContaining("ana").hasMessageContaining("link");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void a_link_planted_as_the_results_folder_is_refused() throws IOException {
        Files.createDirectories(share.resolve("ana"));
        Files.createSymbolicLink(share.resolve("ana/results"), outside);

        assertThatThrownBy(() -> write(List.of("ana", "results", "7-train"), "status.json", "x"))
                .isInstanceOf(LinkRefusedException.class);
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void a_link_planted_as_the_job_folder_is_refused() throws IOException {
        Files.createDirectories(share.resolve("ana/results"));
        Files.createSymbolicLink(share.resolve("ana/results/7-train"), outside);

        assertThatThrownBy(() -> write(List.of("ana", "results", "7-train"), "status.json", "x"))
                .isInstanceOf(LinkRefusedException.class);
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void a_link_planted_at_the_file_name_is_replaced_not_followed() throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "untouched");
        Files.createDirectories(share.resolve("ana"));
        Files.createSymbolicLink(share.resolve("ana/status.json"), victim);

        write(List.of("ana"), "status.json", "ours");

        assertThat(victim).hasContent("untouched");
        assertThat(Files.isSymbolicLink(share.resolve("ana/status.json"))).isFalse();
        assertThat(share.resolve("ana/status.json")).hasContent("ours");
    }

    @Test
    void a_file_where_a_folder_should_be_is_refused() throws IOException {
        Files.writeString(share.resolve("ana"), "a file");

        assertThatThrownBy(() -> write(List.of("ana"), "status.json", "x"))
                .isInstanceOf(LinkRefusedException.class).hasMessageContaining("not a folder");
    }

    @Test
    void a_copy_reads_its_source_without_following_a_link() throws IOException {
        Path secret = Files.writeString(outside.resolve("secret"), "secret");
        Path log = dir.resolve("output.log");
        Files.createSymbolicLink(log, secret);

        try (SafeFiles.Folder f = SafeFiles.open(share, List.of("ana"), SafeFiles.OWNER_DIR)) {
            assertThatThrownBy(() -> f.copy(log, "output.log", SafeFiles.OWNER_FILE)).isInstanceOf(IOException.class);
        }
        assertThat(share.resolve("ana/output.log")).doesNotExist();
    }

    @Test
    void a_folder_opened_before_it_was_swapped_for_a_link_keeps_writing_into_the_real_folder() throws IOException {
        Path real = Files.createDirectories(share.resolve("ana"));
        try (SafeFiles.Folder f = SafeFiles.open(share, List.of("ana"), SafeFiles.OWNER_DIR)) {
            Path moved = Files.move(real, share.resolve("ana-moved"));
            Files.createSymbolicLink(share.resolve("ana"), outside);

            f.write("status.json", "ours".getBytes(StandardCharsets.UTF_8), SafeFiles.OWNER_FILE);

            assertThat(moved.resolve("status.json")).hasContent("ours");
        }
        assertThat(outside).isEmptyDirectory();
        assertThat(Files.isSymbolicLink(share.resolve("ana"))).isTrue();
        assertThat(Files.exists(share.resolve("ana-moved/status.json"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void names_that_leave_the_folder_are_refused() {
        assertThatThrownBy(() -> write(List.of(".."), "x", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> write(List.of("ana"), "../x", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
