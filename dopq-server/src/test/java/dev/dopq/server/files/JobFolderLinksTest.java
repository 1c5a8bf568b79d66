package dev.dopq.server.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job folder's small files are never written through a link planted at their names. */
class JobFolderLinksTest {
    @TempDir
    Path dir;

    @Test
    void a_source_record_and_a_marker_refuse_a_link_and_leave_its_target_alone() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere.txt"), "precious\n");
        Path source = Files.createSymbolicLink(dir.resolve("source.properties"), target);
        Path marker = Files.createSymbolicLink(dir.resolve("job.id"), target);

        assertThatThrownBy(() -> new SourceInfo("ana/x.zip", "x.zip", "ana").write(source))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Files.writeString(marker, "12", JobFolder.noLinks())).isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("precious\n");
    }

    @Test
    void without_a_link_the_files_are_written_and_replaced() throws IOException {
        Path marker = dir.resolve("job.id");
        Files.writeString(marker, "12345", JobFolder.noLinks());
        Files.writeString(marker, "7", JobFolder.noLinks());
        new SourceInfo("ana/x.zip", "x.zip", "ana").write(dir.resolve("source.properties"));

        assertThat(Files.readString(marker)).isEqualTo("7");
        assertThat(SourceInfo.read(dir.resolve("source.properties")).fileName()).isEqualTo("x.zip");
    }
}
