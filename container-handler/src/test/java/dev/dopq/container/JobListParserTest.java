package dev.dopq.container;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobListParserTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final SpecPolicy TWO_GPUS = new SpecPolicy(2, 32 * GIB, false, false);

    /** A config of user ana with these top-level fields (JSON without braces) and a jobs list. */
    private static String config(String top, String... entries) {
        return "{\"executor_name\": \"ana\"" + (top.isEmpty() ? "" : ", " + top) + ", \"jobs\": ["
                + String.join(", ", entries) + "]}";
    }

    private static JobList parse(String json) {
        return JobListParser.parse(json, TWO_GPUS);
    }

    private static void assertRejected(String json, String reason) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(SpecRejectedException.class).hasMessage(reason);
    }

    private static List<String> names(JobList list) {
        return list.steps().stream().map(s -> s.spec().name()).toList();
    }

    @Test
    void a_config_without_jobs_is_one_job_whose_references_all_name_jobs_outside_it() {
        JobList list = parse("{\"name\": \"train\", \"executor_name\": \"ana\", \"after\": [\"prep\", 12]}");

        assertThat(list.listed()).isFalse();
        assertThat(list.first().name()).isEqualTo("train");
        assertThat(list.steps()).singleElement().satisfies(s -> {
            assertThat(s.afterOutside()).containsExactly("prep", "12");
            assertThat(s.after()).isEmpty();
        });
    }

    @Test
    void top_level_keys_are_defaults_for_every_entry_and_an_entrys_own_key_wins() {
        JobList list = parse(config("\"num_gpus\": 0, \"timeout\": \"1h\", \"required_memory\": \"1g\"",
                "{\"name\": \"prep\", \"command\": \"echo prep\"}",
                "{\"name\": \"train\", \"num_gpus\": 2, \"timeout\": \"5h\", \"command\": [\"train\", \"--fast\"],"
                        + " \"after\": \"prep\"}"));

        JobSpec prep = list.steps().get(0).spec();
        JobSpec train = list.steps().get(1).spec();
        assertThat(prep.numGpus()).isZero();
        assertThat(prep.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(prep.command()).containsExactly("echo", "prep");
        assertThat(train.numGpus()).isEqualTo(2);
        assertThat(train.timeout()).isEqualTo(Duration.ofHours(5));
        assertThat(train.command()).containsExactly("train", "--fast");
        assertThat(train.memoryBytes()).as("a default the entry leaves alone").isEqualTo(GIB);
        assertThat(List.of(prep.user(), train.user())).containsOnly("ana");
    }

    @Test
    void env_merges_by_variable_run_params_by_key_and_lists_are_replaced_whole() {
        JobList list = parse(config("\"env\": {\"SEED\": \"1\", \"DATA\": \"/data\"},"
                        + " \"run_params\": {\"working_dir\": \"/work\", \"command\": \"echo default\"},"
                        + " \"notify\": [\"start\", \"end\"]",
                "{\"name\": \"a\", \"env\": {\"SEED\": \"2\", \"MODE\": \"fast\"}, \"notify\": \"fail\","
                        + " \"run_params\": {\"command\": \"echo own\"}}"));

        JobSpec a = list.first();
        assertThat(a.env()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("SEED", "2", "DATA", "/data",
                "MODE", "fast"));
        assertThat(a.workingDir()).isEqualTo("/work");
        assertThat(a.command()).containsExactly("echo", "own");
        assertThat(a.notifyOn()).containsExactly("fail");
    }

    @Test
    void an_entrys_field_wins_over_the_default_given_in_the_other_spelling_of_the_same_field() {
        JobList list = parse(config("\"run_params\": {\"command\": \"echo default\", \"mem_limit\": \"1g\","
                        + " \"environment\": [\"SEED=1\", \"DATA=/data\"]}, \"cpus\": 2, \"env\": {\"MODE\": \"slow\"}",
                "{\"name\": \"a\", \"command\": \"echo own\", \"required_memory\": \"2g\", \"env\": {\"SEED\": \"2\"},"
                        + " \"run_params\": {\"cpu_count\": 4, \"environment\": {\"MODE\": \"fast\"}}}",
                "{\"name\": \"b\"}"));

        JobSpec a = list.steps().get(0).spec();
        assertThat(a.command()).containsExactly("echo", "own");
        assertThat(a.memoryBytes()).isEqualTo(2 * GIB);
        assertThat(a.cpus()).isEqualTo(4.0);
        // run_params merges by key: the entry's environment replaces the default's (DATA goes with it)
        assertThat(a.env()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("SEED", "2", "MODE", "fast"));
        JobSpec b = list.steps().get(1).spec();
        assertThat(b.command()).containsExactly("echo", "default");
        assertThat(b.memoryBytes()).isEqualTo(GIB);
        assertThat(b.cpus()).isEqualTo(2.0);
        assertThat(b.env()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("SEED", "1", "DATA", "/data",
                "MODE", "slow"));
    }

    @Test
    void an_entry_may_drop_a_default_by_setting_it_to_null() {
        JobList list = parse(config("\"timeout\": \"1h\"", "{\"name\": \"a\", \"timeout\": null}"));

        assertThat(list.first().timeout()).isNull();
    }

    @Test
    void entries_come_after_the_entries_they_wait_for_and_otherwise_keep_the_files_order() {
        JobList list = parse(config("",
                "{\"name\": \"eval\", \"after\": [\"train\"]}",
                "{\"name\": \"report\", \"after_any\": [\"eval\", \"prep\"]}",
                "{\"name\": \"train\", \"after\": \"prep\"}",
                "{\"name\": \"prep\"}",
                "{\"name\": \"lint\"}"));

        // of the entries free to go next, the one earliest in the file: eval goes before lint once train is placed
        assertThat(names(list)).containsExactly("prep", "train", "eval", "report", "lint");
        assertThat(list.steps().get(1).after()).containsExactly(0);
        assertThat(list.steps().get(2).after()).containsExactly(1);
        assertThat(list.steps().get(3).afterAny()).containsExactly(0, 2);
        assertThat(list.steps().get(3).after()).isEmpty();
        assertThat(list.steps().get(4).after()).isEmpty();
    }

    @Test
    void references_that_name_no_entry_are_left_for_the_users_existing_jobs_and_an_entrys_name_wins() {
        JobList list = parse(config("",
                "{\"name\": \"train\", \"after\": [\"41\", \"cleanup\", \"prep\"], \"after_any\": [\"old-run\"]}",
                "{\"name\": \"prep\"}"));

        JobList.Step train = list.steps().get(1);
        assertThat(train.spec().name()).isEqualTo("train");
        assertThat(train.after()).containsExactly(0);
        assertThat(train.afterOutside()).containsExactly("41", "cleanup");
        assertThat(train.afterAnyOutside()).containsExactly("old-run");
        assertThat(list.steps().get(0).afterOutside()).isEmpty();
    }

    @Test
    void a_top_level_after_is_a_default_so_every_entry_that_names_none_of_its_own_waits_for_it() {
        JobList list = parse(config("\"after\": [41]",
                "{\"name\": \"prep\"}", "{\"name\": \"train\", \"after\": [\"prep\"]}"));

        assertThat(list.steps().get(0).afterOutside()).containsExactly("41");
        assertThat(list.steps().get(1).afterOutside()).as("replaced by its own list").isEmpty();
        assertThat(list.steps().get(1).after()).containsExactly(0);
    }

    @Test
    void a_cycle_is_rejected_naming_its_jobs_in_running_order() {
        assertRejected(config("", "{\"name\": \"a\", \"after\": \"b\"}", "{\"name\": \"b\", \"after\": \"a\"}"),
                "jobs: cycle: a -> b -> a (each job waits for the one before it)");
        assertRejected(config("", "{\"name\": \"prep\"}",
                        "{\"name\": \"train\", \"after\": [\"prep\", \"eval\"]}",
                        "{\"name\": \"eval\", \"after_any\": \"train\"}"),
                "jobs: cycle: train -> eval -> train (each job waits for the one before it)");
        assertRejected(config("", "{\"name\": \"x\", \"after\": \"z\"}", "{\"name\": \"y\", \"after\": \"x\"}",
                        "{\"name\": \"z\", \"after\": \"y\"}"),
                "jobs: cycle: x -> y -> z -> x (each job waits for the one before it)");
    }

    @Test
    void an_entry_waiting_for_itself_is_a_cycle_of_one() {
        assertRejected(config("", "{\"name\": \"solo\", \"after\": [\"solo\"]}"),
                "jobs: cycle: solo -> solo (each job waits for the one before it)");
    }

    @Test
    void duplicate_entry_names_are_rejected() {
        assertRejected(config("", "{\"name\": \"step\"}", "{\"name\": \"step\", \"num_gpus\": 0}"),
                "jobs: two entries are named \"step\"; each entry needs a name of its own (an entry without \"name\""
                        + " takes the top level's)");
        assertRejected(config("\"name\": \"zipname\"", "{}", "{\"num_gpus\": 0}"),
                "jobs: two entries are named \"zipname\"; each entry needs a name of its own (an entry without"
                        + " \"name\" takes the top level's)");
    }

    @Test
    void an_empty_list_or_one_that_is_no_list_of_objects_is_rejected() {
        assertRejected(config(""), "jobs is empty; list at least one job or remove \"jobs\"");
        assertRejected("{\"executor_name\": \"ana\", \"jobs\": {\"name\": \"a\"}}",
                "jobs must be a list of job configs [{...}, {...}], got {\"name\":\"a\"}");
        assertRejected(config("", "{\"name\": \"a\"}", "\"b\""), "jobs entry 2 must be a job config {...}, got \"b\"");
        String many = String.join(", ", java.util.Collections.nCopies(JobListParser.MAX_JOBS + 1, "{}"));
        assertRejected(config("", many), "jobs lists 101 jobs; at most 100");
    }

    @Test
    void jobs_do_not_combine_with_an_array_at_the_top_or_in_an_entry() {
        String refusal = "\"array\" and \"max_parallel\" cannot be combined with \"jobs\"; submit the array as a zip"
                + " of its own";
        assertRejected(config("\"array\": \"0-3\"", "{\"name\": \"a\"}"), refusal);
        assertRejected(config("", "{\"name\": \"a\", \"array\": \"0-3\", \"max_parallel\": 2}"),
                "jobs entry \"a\": " + refusal);
    }

    @Test
    void the_shared_image_is_set_at_the_top_level_only() {
        assertRejected(config("", "{\"name\": \"a\", \"image_file\": \"a.tar\", \"build_flag\": false}"),
                "jobs entry \"a\": build_flag belongs at the top level: all jobs of a zip share one image;"
                        + " jobs entry \"a\": image_file belongs at the top level: all jobs of a zip share one image");
    }

    @Test
    void all_jobs_run_for_one_user() {
        assertRejected(config("", "{\"name\": \"a\"}", "{\"name\": \"b\", \"executor_name\": \"bob\"}"),
                "jobs entry \"b\": executor_name \"bob\" differs from \"ana\"; all jobs of a zip run for one user");
    }

    @Test
    void problems_of_every_entry_are_reported_at_once_with_the_entry_they_belong_to() {
        assertRejected(config("\"num_gpu\": 1", "{\"name\": \"a\", \"timeot\": \"1h\"}", "{\"name\": \"b\"}"),
                "unknown key \"num_gpu\" (did you mean \"num_gpus\"?); jobs entry \"a\": unknown key \"timeot\""
                        + " (did you mean \"timeout\"?)");
        assertRejected(config("", "{\"name\": \"a\", \"timeot\": \"1h\"}", "{\"name\": \"b\", \"num_gpus\": 3}",
                        "{\"jobs\": []}"),
                "jobs entry \"a\": unknown key \"timeot\" (did you mean \"timeout\"?); jobs entry \"b\": asks for 3"
                        + " GPUs; this machine has 2; jobs entry 3: an entry cannot hold its own \"jobs\" list;"
                        + " jobs entry 3: name is missing");
    }

    @Test
    void the_example_pipeline_of_the_repository_reads_as_prep_then_train_then_eval() throws Exception {
        String json = java.nio.file.Files.readString(java.nio.file.Path.of("../examples/pipeline/container_config.json"));

        JobList list = parse(json);

        assertThat(names(list)).containsExactly("prep", "train", "eval");
        assertThat(list.steps().get(1).after()).containsExactly(0);
        assertThat(list.steps().get(2).after()).containsExactly(1);
        assertThat(list.steps().get(1).spec().env()).containsEntry("EPOCHS", "3").containsEntry("DOPQ_PIPELINE",
                "example");
        assertThat(list.steps()).allSatisfy(step -> assertThat(step.spec().user()).isEqualTo("demo"));
    }
}
