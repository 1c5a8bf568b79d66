package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    private static final SpecPolicy POLICY = new SpecPolicy(4, 0, true, false);

    @Test
    void a_jobs_container_carries_its_spec_labels_and_the_admins_settings() {
        JobSpec job = JobSpecParser.parse("""
                {"name": "train", "executor_name": "Ana", "num_gpus": 2, "required_memory": "1g", "cpus": 2,
                 "shm_size": "256m", "command": "python run.py", "env": {"SEED": "1"},
                 "run_params": {"working_dir": "/app", "user": "1000"}}""", POLICY);
        Mount data = new Mount("/srv/data", "/data", true);

        ContainerSpec spec = ContainerSpec.forJob("dopq-job-42", "sha256:abc", "42", job, List.of("0", "3"), false,
                List.of(data), "lab-net");

        assertThat(spec.labels()).containsExactly(Map.entry("dopq.job", "42"), Map.entry("dopq.user", "ana"),
                Map.entry("dopq.gpus", "0,3"));
        assertThat(spec.command()).containsExactly("python", "run.py");
        assertThat(spec.env()).containsExactly(Map.entry("SEED", "1"));
        assertThat(spec.workingDir()).isEqualTo("/app");
        assertThat(spec.user()).isEqualTo("1000");
        assertThat(spec.memoryBytes()).isEqualTo(1L << 30);
        assertThat(spec.cpus()).isEqualTo(2.0);
        assertThat(spec.shmBytes()).isEqualTo(256L << 20);
        assertThat(spec.gpuIds()).containsExactly("0", "3");
        assertThat(spec.mounts()).containsExactly(data);
        assertThat(spec.networkMode()).isEqualTo("lab-net");
    }

    @Test
    void a_job_allowed_the_host_network_gets_it() {
        JobSpec job = JobSpecParser.parse("""
                {"name": "serve", "executor_name": "ana", "num_gpus": 0, "run_params": {"network_mode": "host"}}""",
                POLICY);

        ContainerSpec spec = ContainerSpec.forJob("dopq-job-43", "img", "43", job, List.of(), false, List.of(), null);

        assertThat(spec.networkMode()).isEqualTo("host");
        assertThat(spec.labels()).containsEntry("dopq.gpus", "");
    }
}
