package dev.dopq.server.gpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OurProcessesTest {
    private static final String OURS = "4f2a9c0b8e7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f";
    private static final String OTHER = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path proc;

    private void process(long pid, String cgroup) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(Long.toString(pid)).resolve("cgroup"), cgroup);
    }

    @Test
    void a_process_in_one_of_our_containers_is_ours_under_either_cgroup_layout() throws IOException {
        process(10, "0::/system.slice/docker-" + OURS + ".scope\n");
        process(11, "12:memory:/docker/" + OURS + "\n11:cpu:/docker/" + OURS + "\n");
        process(12, "0::/system.slice/docker-" + OTHER + ".scope\n");
        process(13, "0::/user.slice/user-1000.slice/session-3.scope\n");
        OurProcesses ours = new OurProcesses(proc);
        ours.watch(() -> List.of(OURS));

        assertThat(ours.test(10)).isTrue();
        assertThat(ours.test(11)).isTrue();
        assertThat(ours.test(12)).as("another container").isFalse();
        assertThat(ours.test(13)).as("a user's process").isFalse();
        assertThat(ours.test(99)).as("a pid that is gone").isFalse();
    }

    @Test
    void nothing_is_ours_before_the_running_containers_are_known() throws IOException {
        process(10, "0::/system.slice/docker-" + OURS + ".scope\n");

        assertThat(new OurProcesses(proc).test(10)).isFalse();
    }
}
