package dev.dopq.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecParserTest {

    @org.junit.jupiter.api.Test
    void json_error_reasons_carry_no_parser_internals() {
        assertThat(JobSpecParser.plain("Unexpected end-of-input: expected close marker for Object (start marker at"
                + " [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])"))
                .isEqualTo("Unexpected end-of-input: expected close marker for Object");
    }

    private static final long GIB = 1024L * 1024 * 1024;
    private static final SpecPolicy TWO_GPUS = new SpecPolicy(2, 32 * GIB, false, false);

    /** A minimal valid spec with extra top-level fields spliced in (JSON text without braces). */
    private static String spec(String extra) {
        return "{\"name\": \"train\", \"executor_name\": \"ana\"" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private static JobSpec parse(String json) {
        return JobSpecParser.parse(json, TWO_GPUS);
    }

    @Test
    void an_array_makes_one_index_per_item_with_an_optional_bound_on_parallel_runs() {
        assertThat(parse(spec("\"array\": \"0-3\"")).arrayIndexes()).containsExactly(0, 1, 2, 3);
        assertThat(parse(spec("\"array\": \"0-9:4\", \"max_parallel\": 2")))
                .satisfies(s -> assertThat(s.arrayIndexes()).containsExactly(0, 4, 8))
                .satisfies(s -> assertThat(s.maxParallel()).isEqualTo(2));
        assertThat(parse(spec("\"array\": \"9, 1,4,4\"")).arrayIndexes()).containsExactly(1, 4, 9);
        assertThat(parse(spec("")).isArray()).isFalse();
    }

    @Test
    void a_malformed_array_or_a_max_parallel_without_one_is_rejected_with_the_reason() {
        assertRejected(spec("\"array\": \"3-1\""), "array item \"3-1\" must go up from A to B");
        assertRejected(spec("\"array\": \"a-b\""), "array item \"a-b\" is not N, A-B or A-B:STEP");
        assertRejected(spec("\"array\": 4"), "array must be a string like \"0-19\"");
        assertRejected(spec("\"array\": \"0-5000\""), "makes more than 1000 jobs");
        assertRejected(spec("\"max_parallel\": 2"), "max_parallel needs an \"array\"");
    }

    @Test
    void gpu_memory_with_one_gpu_marks_a_job_that_may_share_its_gpu_and_survives_storage() {
        JobSpec shared = parse(spec("\"num_gpus\": 1, \"gpu_memory\": \"10g\""));
        JobSpec whole = parse(spec("\"num_gpus\": 1"));

        assertThat(shared.gpuMemoryBytes()).isEqualTo(10 * GIB);
        assertThat(shared.sharesGpu()).isTrue();
        assertThat(whole.sharesGpu()).isFalse();
        assertThat(JobSpec.fromJson(shared.toJson())).isEqualTo(shared);
        assertThat(parse(spec("\"gpu_memory\": \"4g\"")).gpuMemoryBytes())
                .as("num_gpus defaults to 1").isEqualTo(4 * GIB);
    }

    @Test
    void gpu_memory_without_exactly_one_gpu_or_beyond_the_largest_gpu_is_rejected_with_the_reason() {
        assertRejected(spec("\"num_gpus\": 2, \"gpu_memory\": \"10g\""),
                "gpu_memory needs \"num_gpus\": 1 (a shared job runs on one GPU), got num_gpus 2");
        assertRejected(spec("\"num_gpus\": 0, \"gpu_memory\": \"10g\""), "got num_gpus 0");
        assertRejected(spec("\"gpu_memory\": \"ten\""), "gpu_memory: ");
        assertRejected(spec("\"gpu_memory\": 0"), "gpu_memory must be more than 0");
        SpecPolicy withMemory = new SpecPolicy(2, 32 * GIB, false, false, java.util.List.of(), false, 24 * GIB);
        assertThatThrownBy(() -> JobSpecParser.parse(spec("\"gpu_memory\": \"30g\""), withMemory))
                .isInstanceOf(SpecRejectedException.class)
                .hasMessageContaining("gpu_memory 30 GiB is more than the largest GPU here has (24 GiB)");
        assertThat(JobSpecParser.parse(spec("\"gpu_memory\": \"24g\""), withMemory).gpuMemoryBytes())
                .isEqualTo(24 * GIB);
        SpecPolicy wholeGpusOnly = new SpecPolicy(2, 32 * GIB, false, false, java.util.List.of(), false,
                SpecPolicy.NO_SHARING);
        assertThatThrownBy(() -> JobSpecParser.parse(spec("\"gpu_memory\": \"4g\""), wholeGpusOnly))
                .hasMessageContaining("gpu_memory is not available on this server: its backend gives every job"
                        + " whole GPUs");
    }

    @Test
    void after_and_after_any_take_ids_or_names_as_a_list_or_one_value() {
        JobSpec spec = parse(spec("\"after\": [12, \"prep\", \"12\"], \"after_any\": \"sweep[3]\""));

        assertThat(spec.after()).containsExactly("12", "prep");
        assertThat(spec.afterAny()).containsExactly("sweep[3]");
        assertRejected(spec("\"after\": [true]"), "after must list job ids or job names, got true");
        assertRejected(spec("\"after\": \"../x\""), "after must list job ids or job names");
    }

    private static void assertRejected(String json, String reasonPart) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(SpecRejectedException.class)
                .hasMessageContaining(reasonPart);
    }

    @Test
    void a_dopq_config_with_run_params_command_is_accepted_as_is() {
        String dopq = """
                {
                  "name": "resnet50-cifar",
                  "executor_name": "Mustermann",
                  "num_gpus": 2,
                  "required_memory": "20g",
                  "build_flag": true,
                  "num_slots": 4,
                  "run_params": {
                    "command": "python3 /workspace/train.py --epochs 10 --tag 'first run'",
                    "environment": {"PYTHONUNBUFFERED": "1"},
                    "working_dir": "/workspace",
                    "shm_size": "8g",
                    "detach": true,
                    "auto_remove": false
                  }
                }
                """;

        JobSpec spec = parse(dopq);

        assertThat(spec.name()).isEqualTo("resnet50-cifar");
        assertThat(spec.user()).isEqualTo("mustermann");
        assertThat(spec.numGpus()).isEqualTo(2);
        assertThat(spec.memoryBytes()).isEqualTo(20 * GIB);
        assertThat(spec.buildFlag()).isTrue();
        assertThat(spec.command())
                .containsExactly("python3", "/workspace/train.py", "--epochs", "10", "--tag", "first run");
        assertThat(spec.env()).containsExactly(Map.entry("PYTHONUNBUFFERED", "1"));
        assertThat(spec.workingDir()).isEqualTo("/workspace");
        assertThat(spec.shmBytes()).isEqualTo(8 * GIB);
        assertThat(spec.timeout()).isNull();
        assertThat(spec.hostNetwork()).isFalse();
    }

    @Test
    void omitted_fields_take_their_defaults() {
        JobSpec spec = parse(spec(""));

        assertThat(spec.numGpus()).isEqualTo(1);
        assertThat(spec.memoryBytes()).isZero();
        assertThat(spec.buildFlag()).isTrue();
        assertThat(spec.command()).isNull();
        assertThat(spec.entrypoint()).isNull();
        assertThat(spec.env()).isEmpty();
        assertThat(spec.retries()).isZero();
        assertThat(spec.cpus()).isZero();
        assertThat(spec.shmBytes()).isZero();
    }

    @Test
    void our_extensions_are_read() {
        JobSpec spec = JobSpecParser.parse(spec("""
                "image": "pytorch/pytorch:2.1-cuda12", "command": ["python", "-u", "run.py"],
                "env": {"SEED": 7, "DEBUG": true}, "cpus": 4.5, "shm_size": "2g", "timeout": "2h", "retries": 2,
                "num_gpus": 0, "required_memory": 1073741824"""),
                new SpecPolicy(2, 32 * GIB, false, false, List.of("pytorch/pytorch:*"), false));

        assertThat(spec.image()).isEqualTo("pytorch/pytorch:2.1-cuda12");
        assertThat(spec.buildFlag()).as("an image without build_flag means: run that image").isFalse();
        assertThat(spec.command()).containsExactly("python", "-u", "run.py");
        assertThat(spec.env()).containsExactly(Map.entry("SEED", "7"), Map.entry("DEBUG", "true"));
        assertThat(spec.cpus()).isEqualTo(4.5);
        assertThat(spec.shmBytes()).isEqualTo(2 * GIB);
        assertThat(spec.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(spec.retries()).isEqualTo(2);
        assertThat(spec.numGpus()).isZero();
        assertThat(spec.memoryBytes()).isEqualTo(GIB);
    }

    @Test
    void an_existing_image_the_admin_did_not_allow_is_refused_with_the_reason() {
        assertRejected(spec("\"build_flag\": false, \"image\": \"dopq/other-job:abc-7\""),
                "image \"dopq/other-job:abc-7\" is not allowed on this server: only images the admin lists in"
                        + " allowed_images run by name (none are listed)");
    }

    @Test
    void an_existing_image_matching_an_allowed_pattern_runs_by_name() {
        SpecPolicy cuda = new SpecPolicy(2, 32 * GIB, false, false, List.of("nvidia/cuda:*", "busybox"), false);

        assertThat(JobSpecParser.parse(spec("\"image\": \"nvidia/cuda:12.4.1-base\""), cuda).image())
                .isEqualTo("nvidia/cuda:12.4.1-base");
        assertThat(JobSpecParser.parse(spec("\"image\": \"busybox\""), cuda).buildFlag()).isFalse();
        assertThatThrownBy(() -> JobSpecParser.parse(spec("\"image\": \"nvidia/cudax:1\""), cuda))
                .hasMessageContaining("is not allowed on this server");
    }

    @Test
    void an_image_named_beside_a_build_is_not_run_and_needs_no_permission() {
        assertThat(parse(spec("\"build_flag\": true, \"image\": \"anything:1\"")).buildFlag()).isTrue();
    }

    @Test
    void a_timeout_may_be_a_number_of_seconds() {
        assertThat(parse(spec("\"timeout\": 3600")).timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(parse(spec("\"timeout\": \"90m\"")).timeout()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void an_image_file_without_build_flag_means_load_that_tar() {
        JobSpec spec = parse(spec("\"image_file\": \"images/model.tar\""));

        assertThat(spec.imageFile()).isEqualTo("images/model.tar");
        assertThat(spec.buildFlag()).isFalse();
    }

    @Test
    void an_unknown_top_level_key_is_named_with_the_closest_known_one() {
        assertRejected(spec("\"num_gpu\": 1"), "unknown key \"num_gpu\" (did you mean \"num_gpus\"?)");
    }

    @Test
    void an_unknown_key_unlike_any_known_one_gets_no_suggestion() {
        assertThatThrownBy(() -> parse(spec("\"favourite_colour\": \"blue\"")))
                .hasMessage("unknown key \"favourite_colour\"");
    }

    @Test
    void invalid_json_is_reported_with_line_and_column() {
        assertRejected("{\n  \"name\": \"x\",\n    oops\n}",
                "container_config.json is not valid JSON at line 3, column 5: ");
    }

    @Test
    void a_duplicate_key_is_refused() {
        assertRejected("{\"name\": \"a\", \"executor_name\": \"ana\", \"name\": \"b\"}", "is not valid JSON at line 1");
        assertRejected("{\"name\": \"a\", \"executor_name\": \"ana\", \"name\": \"b\"}", "name");
    }

    @Test
    void a_file_that_is_not_an_object_is_refused() {
        assertRejected("[1, 2]", "container_config.json must hold a JSON object");
        assertRejected("   ", "container_config.json is empty");
    }

    @Test
    void more_gpus_than_the_machine_has_are_refused() {
        assertRejected(spec("\"num_gpus\": 3"), "asks for 3 GPUs; this machine has 2");
    }

    @Test
    void the_default_gpu_on_a_machine_without_gpus_is_refused_with_a_hint() {
        assertThatThrownBy(() -> JobSpecParser.parse(spec(""), new SpecPolicy(0, 0, false, false)))
                .hasMessageContaining("asks for 1 GPU; this machine has none (num_gpus defaults to 1; set it to 0)");
    }

    @Test
    void more_memory_than_the_machine_has_is_refused() {
        assertRejected(spec("\"required_memory\": \"64g\""), "asks for 64 GiB of memory; this machine has 32 GiB");
    }

    @Test
    void a_number_given_as_words_is_refused_with_its_type() {
        assertRejected(spec("\"num_gpus\": \"two\""), "num_gpus must be a whole number, got \"two\"");
        assertRejected(spec("\"num_gpus\": 1.5"), "num_gpus must be a whole number, got 1.5");
        assertRejected(spec("\"cpus\": \"many\""), "cpus must be a number, got \"many\"");
        assertRejected(spec("\"build_flag\": \"yes\""), "build_flag must be true or false, got \"yes\"");
    }

    @Test
    void negative_numbers_are_refused() {
        assertRejected(spec("\"num_gpus\": -1"), "num_gpus must not be negative, got -1");
        assertRejected(spec("\"retries\": -2"), "retries must not be negative, got -2");
        assertRejected(spec("\"cpus\": -0.5"), "cpus must not be negative, got -0.5");
        assertRejected(spec("\"required_memory\": -5"), "required_memory must not be negative, got -5");
        assertRejected(spec("\"timeout\": -60"), "timeout must not be negative, got -60");
    }

    @Test
    void sizes_and_durations_that_do_not_read_are_refused() {
        assertRejected(spec("\"required_memory\": \"lots\""), "required_memory: \"lots\" is not a size");
        assertRejected(spec("\"shm_size\": \"8 gigs\""), "shm_size: \"8 gigs\" is not a size");
        assertRejected(spec("\"timeout\": \"soon\""), "timeout: \"soon\" is not a duration");
        assertRejected(spec("\"timeout\": \"0s\""), "timeout must be longer than zero");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"my job!\"", "\"../etc\"", "\"-lead\"", "42"})
    void an_empty_or_invalid_name_is_refused(String name) {
        assertRejected("{\"name\": " + name + ", \"executor_name\": \"ana\"}", "name");
        assertThatThrownBy(() -> parse("{\"name\": " + name + ", \"executor_name\": \"ana\"}"))
                .hasMessageMatching("name (must be a string|\".*\" is not a valid job name).*");
    }

    @Test
    void a_missing_name_or_user_is_refused() {
        assertRejected("{\"executor_name\": \"ana\"}", "name is missing");
        assertRejected("{\"name\": \"x\"}", "executor_name is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ana b", "ana/../x", "_ana", "a-very-long-user-name-that-goes-on-and-on", "", "Ä"})
    void a_user_name_outside_the_safe_characters_is_refused(String user) {
        assertRejected("{\"name\": \"x\", \"executor_name\": \"" + user + "\"}",
                "executor_name \"" + user + "\" is not a valid user name");
    }

    @Test
    void user_names_are_lower_cased() {
        assertThat(parse("{\"name\": \"x\", \"executor_name\": \"Ana_B-2\"}").user()).isEqualTo("ana_b-2");
    }

    @Test
    void an_image_file_outside_the_zip_is_refused() {
        assertRejected(spec("\"image_file\": \"../other.tar\""), "image_file must be a relative path inside the zip");
        assertRejected(spec("\"image_file\": \"/etc/passwd\""), "image_file must be a relative path inside the zip");
    }

    @Test
    void setting_the_visible_gpus_yourself_is_refused() {
        assertRejected(spec("\"env\": {\"NVIDIA_VISIBLE_DEVICES\": \"all\"}"),
                "env must not set NVIDIA_VISIBLE_DEVICES: GPUs are assigned by the queue");
    }

    @Test
    void every_problem_is_reported_at_once() {
        assertThatThrownBy(() -> parse(spec("\"num_gpu\": 1, \"retries\": -1, \"num_gpus\": 5")))
                .hasMessageContaining("unknown key \"num_gpu\"")
                .hasMessageContaining("retries must not be negative")
                .hasMessageContaining("asks for 5 GPUs");
    }

    @Nested
    class RoundTrip {

        @Test
        void a_full_spec_reads_back_equal_from_its_json() {
            JobSpec spec = new JobSpec("train", "ana", 2, 20 * GIB, false, "busybox:latest", "img.tar",
                    List.of("sh", "-c", "echo \"hi\""), List.of("/bin/entry"), Map.of("A", "1"), "/work", "1000:1000",
                    2.5, 8 * GIB, Duration.ofMinutes(90), 3, true, true, List.of("start", "end"), List.of(0, 2, 4), 2, List.of("12", "prep"), List.of("13"));

            assertThat(JobSpec.fromJson(spec.toJson())).isEqualTo(spec);
        }

        @Test
        void a_spec_with_defaults_reads_back_equal_from_its_json() {
            JobSpec spec = parse(spec(""));

            assertThat(JobSpec.fromJson(spec.toJson())).isEqualTo(spec);
        }

        @Test
        void stored_json_that_is_not_a_spec_is_refused() {
            assertThatThrownBy(() -> JobSpec.fromJson("{\"name\": \"x\"}")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> JobSpec.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void environment_order_survives_the_round_trip() {
            JobSpec spec = parse(spec("\"env\": {\"Z\": \"1\", \"A\": \"2\", \"M\": \"3\"}"));

            assertThat(JobSpec.fromJson(spec.toJson()).env().keySet()).containsExactly("Z", "A", "M");
        }
    }
}
