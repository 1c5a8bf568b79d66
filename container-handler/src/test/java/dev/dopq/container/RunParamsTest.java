package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DoPQ's run_params are read through an allow-list, never passed to Docker. */
class RunParamsTest {

    private static final long MIB = 1024L * 1024;
    private static final SpecPolicy STRICT = new SpecPolicy(2, 64 * 1024 * MIB, false, false);
    private static final SpecPolicy RELAXED = new SpecPolicy(2, 64 * 1024 * MIB, true, true);

    private static String withRunParams(String params) {
        return "{\"name\": \"x\", \"executor_name\": \"ana\", \"run_params\": {" + params + "}}";
    }

    private static JobSpec parse(String params) {
        return JobSpecParser.parse(withRunParams(params), STRICT);
    }

    private static void assertRejected(String params, String reason) {
        assertThatThrownBy(() -> parse(params)).isInstanceOf(SpecRejectedException.class).hasMessageContaining(reason);
    }

    @Test
    void honoured_keys_reach_the_spec() {
        JobSpec spec = parse("""
                "command": ["python", "a.py"], "entrypoint": "/bin/sh -c", "environment": ["A=1", "B=x=y"],
                "working_dir": "/app", "user": "1000:100", "mem_limit": "512m", "shm_size": 67108864""");

        assertThat(spec.command()).containsExactly("python", "a.py");
        assertThat(spec.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(spec.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"));
        assertThat(spec.workingDir()).isEqualTo("/app");
        assertThat(spec.containerUser()).isEqualTo("1000:100");
        assertThat(spec.memoryBytes()).isEqualTo(512 * MIB);
        assertThat(spec.shmBytes()).isEqualTo(64 * MIB);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"root\"   | jobs never run as root on this machine",
            "0          | jobs never run as root on this machine",
            "\"0:0\"    | jobs never run as root on this machine",
            "\"1000:0\" | jobs never run as root on this machine",
            "\"1000:root\" | jobs never run as root on this machine",
            "\"nobody\" | give a numeric uid or uid:gid"})
    void root_and_names_are_refused_as_user_on_an_engine_that_does_not_remap(String user, String reason) {
        assertRejected("\"user\": " + user, reason);
    }

    @Test
    void root_is_allowed_as_user_where_the_engine_remaps_it() {
        SpecPolicy remapped = new SpecPolicy(2, 64 * 1024 * MIB, false, false, java.util.List.of(), true);

        assertThat(JobSpecParser.parse(withRunParams("\"user\": \"root\""), remapped).containerUser())
                .isEqualTo("root");
    }

    @Test
    void a_numeric_non_root_user_is_kept() {
        assertThat(parse("\"user\": 1234").containerUser()).isEqualTo("1234");
        assertThat(parse("\"user\": \"1234:1234\"").containerUser()).isEqualTo("1234:1234");
    }

    @Test
    void nano_cpus_and_cpu_count_become_cpus() {
        assertThat(parse("\"nano_cpus\": 1500000000").cpus()).isEqualTo(1.5);
        assertThat(parse("\"cpu_count\": 3").cpus()).isEqualTo(3.0);
    }

    @Test
    void keys_the_queue_decides_itself_are_accepted_and_ignored() {
        JobSpec spec = parse("\"stdin_open\": true, \"tty\": true, \"detach\": true, \"auto_remove\": true,"
                + " \"remove\": true, \"name\": \"whatever\"");

        assertThat(spec.name()).isEqualTo("x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"privileged\": true                         | run_params key \"privileged\" is not allowed",
            "\"devices\": [\"/dev/nvidia0\"]              | run_params key \"devices\" is not allowed",
            "\"device_requests\": [{\"count\": -1}]       | run_params key \"device_requests\" is not allowed",
            "\"volumes\": {\"/home\": {\"bind\": \"/h\"}} | run_params key \"volumes\" is not allowed",
            "\"mounts\": [\"/data:/data\"]                | run_params key \"mounts\" is not allowed",
            "\"binds\": [\"/:/host\"]                     | run_params key \"binds\" is not allowed",
            "\"cap_add\": [\"SYS_ADMIN\"]                 | run_params key \"cap_add\" is not allowed",
            "\"security_opt\": [\"seccomp=unconfined\"]   | run_params key \"security_opt\" is not allowed",
            "\"userns_mode\": \"host\"                    | run_params key \"userns_mode\" is not allowed",
            "\"runtime\": \"kata\"                        | run_params key \"runtime\" is not allowed",
            "\"sysctls\": {\"net.core.somaxconn\": 1024}  | run_params key \"sysctls\" is not allowed",
            "\"network_mode\": \"host\"                   | run_params network_mode \"host\" is not allowed on this machine",
            "\"network\": \"host\"                        | run_params network \"host\" is not allowed on this machine",
            "\"network\": \"lab-net\"                     | run_params network \"lab-net\" is not allowed",
            "\"pid_mode\": \"host\"                       | run_params pid_mode \"host\" is not allowed on this machine",
            "\"ipc_mode\": \"host\"                       | run_params ipc_mode \"host\" is not allowed; use shm_size",
            "\"oom_kill_disable\": true                   | run_params key \"oom_kill_disable\" is not allowed",
            "\"x\": 1                                     | run_params key \"x\" is not allowed",
    })
    void keys_that_widen_a_containers_reach_are_refused_by_name(String params, String reason) {
        assertRejected(params, reason);
    }

    @Test
    void refused_keys_that_ask_for_nothing_do_no_harm() {
        JobSpec spec = parse("\"privileged\": false, \"devices\": [], \"volumes\": {}, \"cap_add\": []");

        assertThat(spec.name()).isEqualTo("x");
    }

    @Test
    void host_network_and_pid_are_taken_when_the_policy_allows_them() {
        JobSpec spec = JobSpecParser.parse(withRunParams("\"network_mode\": \"host\", \"pid_mode\": \"host\""), RELAXED);

        assertThat(spec.hostNetwork()).isTrue();
        assertThat(spec.hostPid()).isTrue();
    }

    @Test
    void dopqs_nvidia_runtime_is_accepted_because_the_queue_gives_gpu_access_itself() {
        assertThat(parse("\"runtime\": \"nvidia\"").hostNetwork()).isFalse();
    }

    @Test
    void the_engines_default_network_is_accepted() {
        assertThat(parse("\"network_mode\": \"bridge\"").hostNetwork()).isFalse();
    }

    @Test
    void run_params_that_are_not_an_object_are_refused() {
        assertThatThrownBy(() -> JobSpecParser.parse(
                "{\"name\": \"x\", \"executor_name\": \"ana\", \"run_params\": \"--gpus all\"}", STRICT))
                .hasMessageContaining("run_params must be an object, got \"--gpus all\"");
    }

    @Test
    void malformed_values_are_refused_with_their_field() {
        assertRejected("\"environment\": [\"NOEQUALS\"]", "run_params environment entry \"NOEQUALS\" must look like");
        assertRejected("\"environment\": \"A=1\"", "run_params environment must be an object or an array");
        assertRejected("\"working_dir\": \"relative/dir\"", "run_params working_dir must be an absolute path");
        assertRejected("\"command\": \"echo 'unclosed\"", "run_params command has an unclosed ' quote");
        assertRejected("\"command\": [\"echo\", 1]", "run_params command must be a string or an array of strings");
        assertRejected("\"user\": \"root; rm\"", "run_params user must be a name or uid[:gid]");
    }

    @Test
    void the_same_setting_given_twice_with_different_values_is_refused() {
        String json = "{\"name\": \"x\", \"executor_name\": \"ana\", \"required_memory\": \"1g\", \"command\": \"a\","
                + " \"env\": {\"K\": \"1\"}, \"run_params\": {\"mem_limit\": \"2g\", \"command\": \"b\","
                + " \"environment\": {\"K\": \"2\"}}}";

        assertThatThrownBy(() -> JobSpecParser.parse(json, STRICT))
                .hasMessageContaining("required_memory and run_params mem_limit disagree")
                .hasMessageContaining("command and run_params command disagree")
                .hasMessageContaining("env K and run_params environment K disagree");
    }

    @Test
    void the_same_setting_given_twice_with_equal_values_is_fine() {
        String json = "{\"name\": \"x\", \"executor_name\": \"ana\", \"required_memory\": \"1g\","
                + " \"run_params\": {\"mem_limit\": 1073741824}}";

        assertThat(JobSpecParser.parse(json, STRICT).memoryBytes()).isEqualTo(1024 * MIB);
    }
}
