package dev.dopq.server.gpu;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class DcgmJobMappingTest {
    @TempDir
    Path dir;

    private final Jobs jobs = new Jobs(new InMemoryJobStore());
    private final List<GpuDevice> gpus = List.of(GpuDevice.declared("0"), GpuDevice.declared("1"),
            GpuDevice.declared("2"));

    private Job running(String user, String... gpuIds) {
        Job queued = jobs.insert(aJob().user(user).state(JobState.QUEUED).gpusRequested(gpuIds.length).build(), "t");
        return jobs.move(queued, JobState.RUNNING, "t", b -> b.gpus(List.of(gpuIds)));
    }

    @Test
    void each_gpu_index_gets_a_file_with_the_ids_of_its_jobs_and_idle_gpus_an_empty_one() throws Exception {
        Path mapping = dir.resolve("dcgm");
        DcgmJobMapping m = new DcgmJobMapping(mapping, jobs, () -> gpus);
        Job a = running("ana", "0", "2");
        Job b = running("bob", "1");

        m.writeAll();

        assertThat(Files.readString(mapping.resolve("0"))).isEqualTo(a.id() + "\n");
        assertThat(Files.readString(mapping.resolve("1"))).isEqualTo(b.id() + "\n");
        assertThat(Files.readString(mapping.resolve("2"))).isEqualTo(a.id() + "\n");

        jobs.move(jobs.find(b.id()).orElseThrow(), JobState.SUCCEEDED, "t", x -> x);
        m.writeAll();

        assertThat(Files.readString(mapping.resolve("1"))).isEmpty();
        assertThat(Files.readString(mapping.resolve("0"))).isEqualTo(a.id() + "\n");
        try (var files = Files.list(mapping)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("0", "1", "2");
        }
    }

    @Test
    void a_link_planted_where_a_file_goes_is_replaced_and_its_target_left_alone() throws Exception {
        Path mapping = Files.createDirectories(dir.resolve("dcgm"));
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Files.createSymbolicLink(mapping.resolve("0"), victim);
        Job a = running("ana", "0");

        new DcgmJobMapping(mapping, jobs, () -> gpus).writeAll();

        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(Files.isSymbolicLink(mapping.resolve("0"))).isFalse();
        assertThat(Files.readString(mapping.resolve("0"))).isEqualTo(a.id() + "\n");
    }
}
