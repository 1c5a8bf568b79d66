package dev.dopq.server.queue;

import dev.dopq.container.ContainerUser;
import dev.dopq.docker.EngineSecurity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Needs to run as root (or with CAP_CHOWN) for the ownership checks, as the server does with an output folder. */
class OutputFoldersTest {
    @TempDir
    Path dir;

    @Test
    void the_users_folder_is_made_owner_only_for_the_jobs_uid_and_its_real_path_is_mounted() throws Exception {
        Path root = dir.resolve("output");
        OutputFolders outputs = new OutputFolders(root, EngineSecurity.PLAIN);

        String mounted = outputs.prepare("ana", new ContainerUser(200_123, 200_124));

        Path ana = root.toRealPath().resolve("ana");
        assertThat(mounted).isEqualTo(ana.toString());
        assertThat(Files.getAttribute(ana, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(200_123);
        assertThat(Files.getAttribute(ana, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(200_124);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ana))).isEqualTo("rwx------");
    }

    @Test
    void a_remapping_engine_gets_the_folder_owned_by_the_mapped_host_uid() throws Exception {
        Path root = dir.resolve("output");

        new OutputFolders(root, new EngineSecurity(true, 100_000, 100_000)).prepare("ana", new ContainerUser(5, 6));

        assertThat(Files.getAttribute(root.resolve("ana"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(100_005);
    }

    @Test
    void a_planted_link_is_never_mounted() throws Exception {
        Path root = Files.createDirectories(dir.resolve("output"));
        Path elsewhere = Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(root.resolve("ana"), elsewhere);

        assertThatThrownBy(() -> new OutputFolders(root, EngineSecurity.PLAIN).prepare("ana",
                new ContainerUser(200_000, 200_000)))
                .isInstanceOf(OutputFolders.OutputFolderException.class)
                .hasMessageContaining("is a link or not a folder");
        assertThat(Files.getAttribute(elsewhere, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0);
    }

    @Test
    void a_file_in_place_of_the_folder_is_refused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("output"));
        Files.writeString(root.resolve("ana"), "x");

        assertThatThrownBy(() -> new OutputFolders(root, EngineSecurity.PLAIN).prepare("ana",
                new ContainerUser(200_000, 200_000)))
                .isInstanceOf(OutputFolders.OutputFolderException.class);
    }
}
