package dev.dopq.server.config;

import dev.dopq.server.core.Quotas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            [paths]
            inbox = inbox
            state = state
            [gpu]
            devices = 0,1
            [api]
            host = 127.0.0.1
            port = 7777
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private DopqConfig load(String text) throws IOException {
        return ConfigLoader.load(write("config.ini", text), Map.of());
    }

    private List<String> problemsOf(String text, Map<String, String> env) throws IOException {
        Path file = write("config.ini", text);
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, env)).problems();
    }

    private List<String> problemsOf(String text) throws IOException {
        return problemsOf(text, Map.of());
    }

    @Test
    void a_minimal_file_is_complete_and_every_other_key_takes_its_default() throws IOException {
        DopqConfig config = load(MINIMAL);

        assertThat(config.file()).isEqualTo(dir.resolve("config.ini").toAbsolutePath());
        assertThat(config.paths().database()).isEqualTo(dir.resolve("state/db/dopq").toAbsolutePath());
        assertThat(config.gpu().mode()).isEqualTo(DopqConfig.Gpu.Mode.DECLARED);
        assertThat(config.gpu().ids()).containsExactly("0", "1");
        assertThat(config.provider().settle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.provider().minFreeBytes()).isEqualTo(1L << 30);
        assertThat(config.provider().maxEntries()).isEqualTo(100_000);
        assertThat(config.provider().removeImages()).isTrue();
        assertThat(config.queue().penalty()).isEqualTo("usage");
        assertThat(config.queue().halfLife()).isEqualTo(Duration.ofHours(24));
        assertThat(config.queue().cpuWeight()).isEqualTo(0.1);
        assertThat(config.docker().host()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(config.docker().network()).isNull();
        assertThat(config.docker().output()).isNull();
        assertThat(config.users().valid()).isEmpty();
        assertThat(config.api().port()).isEqualTo(7777);
        assertThat(config.api().hostname()).isEqualTo("127.0.0.1");
        assertThat(config.api().tls()).isFalse();
        assertThat(config.docker().uidFirst()).isEqualTo(200_000);
        assertThat(config.docker().uidLast()).isEqualTo(265_535);
        assertThat(config.docker().pidsLimit()).isEqualTo(4096);
        assertThat(config.docker().allowedImages()).isEmpty();
        assertThat(config.users().uids()).isEmpty();
        assertThat(config.provider().buildTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.provider().buildMemoryBytes()).isEqualTo(8L << 30);
        assertThat(config.queue().maxLogBytes()).isEqualTo(1L << 30);
    }

    @Test
    void isolation_keys_are_read() throws IOException {
        DopqConfig config = load(MINIMAL + """
                [docker]
                uid_range = 300000-300009
                pids_limit = 512
                allowed_images = nvidia/cuda:*, pytorch/pytorch:2.*
                [users]
                uids = Ana:1001, bo:1002:100
                """);

        assertThat(config.docker().uidFirst()).isEqualTo(300_000);
        assertThat(config.docker().uidLast()).isEqualTo(300_009);
        assertThat(config.docker().pidsLimit()).isEqualTo(512);
        assertThat(config.docker().allowedImages()).containsExactly("nvidia/cuda:*", "pytorch/pytorch:2.*");
        assertThat(config.users().uids()).containsOnly(
                java.util.Map.entry("ana", new dev.dopq.container.ContainerUser(1001, 1001)),
                java.util.Map.entry("bo", new dev.dopq.container.ContainerUser(1002, 100)));
    }

    @Test
    void root_uids_and_bad_ranges_are_refused_with_the_fix() throws IOException {
        List<String> problems = problemsOf(MINIMAL + """
                [docker]
                uid_range = 0-100
                [users]
                uids = ana:0, bo, cy:12:0
                [queue]
                max_log = 10k
                """);

        assertThat(problems).containsExactlyInAnyOrder(
                "config.ini [docker] uid_range: \"0-100\" is not a uid range; use first-last with 1000 <= first <="
                        + " last <= 4294967294, like 200000-265535 (uids no account of this machine uses)",
                "config.ini [users] uids: \"ana:0\" gives root's uid or gid; jobs never run as root, use the user's"
                        + " own uid",
                "config.ini [users] uids: \"bo\" is not a user's uid; use name:uid or name:uid:gid like ana:1001"
                        + " or ana:1001:100, comma separated",
                "config.ini [users] uids: \"cy:12:0\" gives root's uid or gid; jobs never run as root, use the"
                        + " user's own uid",
                "config.ini [queue] max_log: \"10k\" is too small; use at least 1m, like 1g");
    }

    @Test
    void relative_paths_are_resolved_against_the_config_files_folder() throws IOException {
        Files.createDirectories(dir.resolve("etc"));
        Path file = write("etc/dopq.ini", MINIMAL.replace("inbox = inbox", "inbox = ../share")
                .replace("state = state", "state = /var/lib/dopq"));

        DopqConfig config = ConfigLoader.load(file, Map.of());

        assertThat(config.paths().inbox()).isEqualTo(dir.resolve("share").toAbsolutePath());
        assertThat(config.paths().state()).isEqualTo(Path.of("/var/lib/dopq"));
        assertThat(config.paths().work()).isEqualTo(Path.of("/var/lib/dopq/work"));
        assertThat(config.paths().logs()).isEqualTo(Path.of("/var/lib/dopq/logs"));
    }

    @Test
    void a_state_folder_inside_the_inbox_is_an_error() throws IOException {
        assertThat(problemsOf(MINIMAL.replace("state = state", "state = inbox/state")))
                .singleElement().asString().startsWith("config.ini [paths] state: ").contains("overlaps the inbox");
    }

    @Test
    void every_problem_is_reported_at_once_naming_file_section_and_key() throws IOException {
        List<String> problems = problemsOf(MINIMAL.replace("devices = 0,1", "devices = 0,x")
                .replace("port = 7777", "port = 99999") + """
                [provider]
                settle = soon
                [queue]
                remove_containers = maybe
                """);

        assertThat(problems).containsExactlyInAnyOrder(
                "config.ini [gpu] devices: \"0,x\" is not a GPU list; use auto, none, indices like 0,1,2, or indices"
                        + " with memory like 0:24g,1:24g (\"x\" is neither)",
                "config.ini [api] port: \"99999\" is not a whole number from 1 to 65535; use a whole number"
                        + " from 1 to 65535",
                "config.ini [provider] settle: \"soon\" is not a duration; use a number with ms, s, m, h or d"
                        + " like 5s, 90m or 24h (plain numbers are seconds)",
                "config.ini [queue] remove_containers: \"maybe\" is not a yes/no value; use yes, no, true, false,"
                        + " on, off, 1 or 0");
    }

    @Test
    void declared_gpus_may_carry_their_memory_and_the_two_forms_mix() throws IOException {
        DopqConfig config = load(MINIMAL.replace("devices = 0,1", "devices = 0:24g, 1 : 80g,2"));

        assertThat(config.gpu().mode()).isEqualTo(DopqConfig.Gpu.Mode.DECLARED);
        assertThat(config.gpu().ids()).containsExactly("0", "1", "2");
        assertThat(config.gpu().memory()).containsOnly(Map.entry("0", 24L << 30), Map.entry("1", 80L << 30));
    }

    @Test
    void a_bad_gpu_memory_or_a_gpu_named_twice_names_file_section_and_key() throws IOException {
        assertThat(problemsOf(MINIMAL.replace("devices = 0,1", "devices = 0:24g,1:lots")))
                .containsExactly("config.ini [gpu] devices: \"0:24g,1:lots\": \"lots\" is not a GPU memory size; use"
                        + " a size like 24g or 80g after the index, as in 0:24g,1:24g");
        assertThat(problemsOf(MINIMAL.replace("devices = 0,1", "devices = 0:0")))
                .singleElement().asString().contains("\"0\" is not a GPU memory size");
        assertThat(problemsOf(MINIMAL.replace("devices = 0,1", "devices = 0:24g,0:24g")))
                .containsExactly("config.ini [gpu] devices: \"0:24g,0:24g\" names GPU 0 twice; list each GPU once");
    }

    @Test
    void problems_use_the_actual_file_name() throws IOException {
        Path file = write("lab.ini", "[gpu]\ndevices = many\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("lab.ini [gpu] devices: \"many\" is not a GPU list");
    }

    @Test
    void an_unknown_key_is_an_error_with_a_suggestion() throws IOException {
        assertThat(problemsOf(MINIMAL + "[queue]\nhalflife = 2h\n"))
                .singleElement().asString()
                .startsWith("config.ini [queue] halflife: unknown key (did you mean half_life?)");
    }

    @Test
    void an_unknown_section_is_an_error_with_a_suggestion() throws IOException {
        assertThat(problemsOf(MINIMAL + "[dockr]\nhost = tcp://x:2376\n"))
                .singleElement().asString()
                .startsWith("config.ini [dockr]: unknown section (did you mean [docker]?)");
    }

    @Test
    void a_key_set_twice_is_an_error_instead_of_a_silent_choice() throws IOException {
        assertThat(problemsOf(MINIMAL + "[queue]\nstop_grace = 10s\nstop_grace = 20s\n"))
                .containsExactly("config.ini [queue] stop_grace: is set more than once; keep one line");
    }

    @Test
    void a_section_written_twice_is_an_error() throws IOException {
        assertThat(problemsOf(MINIMAL + "[gpu]\nrespect_foreign = no\n"))
                .containsExactly("config.ini [gpu]: the section appears 2 times; merge them into one");
    }

    @Test
    void keys_outside_any_section_are_an_error() throws IOException {
        assertThat(problemsOf("port = 1\n" + MINIMAL)).singleElement().asString()
                .startsWith("config.ini port: is outside any section");
    }

    @Test
    void backslashes_are_kept_as_written() throws IOException {
        DopqConfig config = load(MINIMAL + "keystore_password = C:\\data\\new\n");

        assertThat(config.api().keystorePassword()).isEqualTo("C:\\data\\new");
    }

    @Test
    void inline_comments_are_not_part_of_the_value() throws IOException {
        DopqConfig config = load(MINIMAL.replace("port = 7777", "port = 7000 ; the lab's port")
                .replace("devices = 0,1", "devices = 2 # one card"));

        assertThat(config.api().port()).isEqualTo(7000);
        assertThat(config.gpu().ids()).containsExactly("2");
    }

    @Test
    void a_hash_or_semicolon_inside_a_word_is_kept() throws IOException {
        DopqConfig config = load(MINIMAL + "keystore_password = pa#ss;word ; the test store\n");

        assertThat(config.api().keystorePassword()).isEqualTo("pa#ss;word");
    }

    @Test
    void a_number_key_without_a_value_is_an_error_not_zero() throws IOException {
        assertThat(problemsOf(MINIMAL.replace("port = 7777", "port =")))
                .containsExactly("config.ini [api] port: has no value; use a whole number from 1 to 65535");
    }

    @Test
    void an_environment_variable_wins_over_the_file() throws IOException {
        Path file = write("config.ini", MINIMAL);

        DopqConfig config = ConfigLoader.load(file, Map.of("DOPQ_API_PORT", "8000", "DOPQ_GPU_DEVICES", "none"));

        assertThat(config.api().port()).isEqualTo(8000);
        assertThat(config.gpu().mode()).isEqualTo(DopqConfig.Gpu.Mode.NONE);
        assertThat(config.gpu().ids()).isEmpty();
    }

    @Test
    void a_bad_environment_value_is_reported_under_the_variables_name() throws IOException {
        assertThat(problemsOf(MINIMAL, Map.of("DOPQ_API_PORT", "http")))
                .containsExactly("environment DOPQ_API_PORT: \"http\" is not a whole number from 1 to 65535;"
                        + " use a whole number from 1 to 65535");
    }

    @Test
    void a_misspelt_environment_variable_is_reported_and_unrelated_ones_are_ignored() throws IOException {
        assertThat(problemsOf(MINIMAL, Map.of("DOPQ_API_PROT", "1", "DOPQ_HOME", "/opt", "PATH", "/bin")))
                .containsExactly("environment DOPQ_API_PROT: unknown setting (did you mean DOPQ_API_PORT?)");
    }

    @Test
    void dopq_spellings_of_executors_and_mounts_are_accepted() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));

        DopqConfig config = load(MINIMAL + "[users]\nvalid.executors = Ana, bo\n[docker]\nmount.volumes = "
                + data + ":/data:ro\n");

        assertThat(config.users().valid()).containsExactly("ana", "bo");
        assertThat(config.docker().mounts()).containsExactly(new DopqConfig.Docker.Mount(data, "/data", true));
    }

    @Test
    void an_old_and_a_new_spelling_of_the_same_key_conflict() throws IOException {
        assertThat(problemsOf(MINIMAL + "[users]\nvalid.executors = ana\nvalid_executors = bo\n"))
                .singleElement().asString().contains("is set more than once");
    }

    @Test
    void a_mount_of_a_missing_host_folder_is_an_error() throws IOException {
        assertThat(problemsOf(MINIMAL + "[docker]\nmounts = /no/such/dopq/folder:/data\n"))
                .singleElement().asString()
                .startsWith("config.ini [docker] mounts: host path \"/no/such/dopq/folder\"");
    }

    @Test
    void sizes_durations_and_booleans_accept_the_documented_spellings() throws IOException {
        DopqConfig config = load(MINIMAL + """
                [provider]
                min_free = 512m
                max_entry_size = 1024
                settle = 90
                rescan = 90m
                verify_owner = on
                """);

        assertThat(config.provider().minFreeBytes()).isEqualTo(512L << 20);
        assertThat(config.provider().maxEntryBytes()).isEqualTo(1024);
        assertThat(config.provider().settle()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.provider().rescan()).isEqualTo(Duration.ofMinutes(90));
        assertThat(config.provider().identity()).as("verify_owner is the old name of identity = owner")
                .isEqualTo(DopqConfig.Provider.Identity.OWNER);
    }

    @Test
    void identity_is_the_folder_rule_unless_the_file_says_otherwise() throws IOException {
        assertThat(load(MINIMAL).provider().identity()).isEqualTo(DopqConfig.Provider.Identity.FOLDER);
        assertThat(load(MINIMAL + "[provider]\nidentity = claim\n").provider().identity())
                .isEqualTo(DopqConfig.Provider.Identity.CLAIM);
    }

    @Test
    void an_unknown_identity_rule_or_one_that_contradicts_verify_owner_is_an_error() throws IOException {
        assertThat(problemsOf(MINIMAL + "[provider]\nidentity = trust\n")).containsExactly(
                "config.ini [provider] identity: \"trust\" is not one of folder or owner or claim; use folder or"
                        + " owner or claim");
        assertThat(problemsOf(MINIMAL + "[provider]\nidentity = claim\nverify_owner = yes\n")).containsExactly(
                "config.ini [provider] verify_owner: contradicts identity = claim; remove verify_owner (its new"
                        + " name is identity = owner)");
    }

    @Test
    void tls_without_a_keystore_is_an_error() throws IOException {
        assertThat(problemsOf(MINIMAL + "tls = yes\n"))
                .singleElement().asString().startsWith("config.ini [api] keystore: is required when tls = yes");
    }

    @Test
    void a_bad_password_value_is_never_echoed() throws IOException {
        assertThat(problemsOf(MINIMAL, Map.of("DOPQ_API_TLS", "yes", "DOPQ_API_KEYSTORE_PASSWORD", "s3cret")))
                .allSatisfy(p -> assertThat(p).doesNotContain("s3cret"));
    }

    @Test
    void a_missing_file_is_reported_with_its_path() {
        Path missing = dir.resolve("nope.ini");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.ini: no such file");
    }

    @Test
    void the_documented_config_ini_of_the_repository_loads() {
        Path shipped = Path.of("..", "config.ini");
        DopqConfig config = ConfigLoader.load(shipped, Map.of());
        assertThat(config.gpu().mode()).isEqualTo(DopqConfig.Gpu.Mode.AUTO);
        assertThat(config.paths().state()).isEqualTo(shipped.toAbsolutePath().normalize().resolveSibling("state"));
        assertThat(config.provider().identity()).isEqualTo(DopqConfig.Provider.Identity.FOLDER);
        assertThat(config.api().maxConnections()).isEqualTo(100);
        assertThat(config.api().maxSessions()).isEqualTo(8);
        assertThat(config.api().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void the_backend_is_docker_unless_slurm_is_asked_for_and_slurm_needs_nothing_else() throws IOException {
        assertThat(load(MINIMAL).backend().kind()).isEqualTo("docker");

        DopqConfig slurm = load(MINIMAL + "\n[backend]\nkind = slurm\n");

        assertThat(slurm.backend().isSlurm()).isTrue();
        assertThat(slurm.backend().slurm().partition()).isNull();
        assertThat(slurm.backend().slurm().conf()).isNull();
        assertThat(slurm.backend().slurm().dockerHost()).isNull();
        assertThat(slurm.backend().slurm().poll()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(slurm.backend().slurm().shared()).isEqualTo(slurm.paths().state().resolve("slurm"));
    }

    @Test
    void bad_backend_and_slurm_values_are_each_named_with_their_fix() throws IOException {
        List<String> problems = problemsOf(MINIMAL + "\n[backend]\nkind = kubernetes\n\n[slurm]\n"
                + "partition = gpu queue\nconf = /nonexistent/slurm.conf\ndocker_host = localhost:2375\n");

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [backend] kind:"))
                .anySatisfy(p -> assertThat(p).startsWith("config.ini [slurm] partition:")
                        .contains("not a partition name"))
                .anySatisfy(p -> assertThat(p).startsWith("config.ini [slurm] conf:").contains("does not exist"))
                .anySatisfy(p -> assertThat(p).startsWith("config.ini [slurm] docker_host:")
                        .contains("not a Docker engine address"));
    }

    @Test
    void quotas_have_a_default_and_per_user_overrides_and_none_lifts_the_default() throws IOException {
        DopqConfig config = load(MINIMAL + """
                [users]
                max_gpus = 2
                max_queued = 50
                max_gpus.Ana = 4
                max_gpus.bo = none
                max_gpu_hours_per_day.carl = 12.5
                """);

        Quotas quotas = config.users().quotas();
        assertThat(quotas.of("ana")).isEqualTo(new Quotas.Limits(4, 50, null));
        assertThat(quotas.of("bo").maxGpus()).isEqualTo(Quotas.UNLIMITED);
        assertThat(quotas.of("carl")).isEqualTo(new Quotas.Limits(2, 50, 12.5));
        assertThat(quotas.of("dora")).isEqualTo(new Quotas.Limits(2, 50, null));
        assertThat(load(MINIMAL).users().quotas()).isEqualTo(Quotas.NONE);
    }

    @Test
    void a_bad_quota_names_the_file_section_and_key() throws IOException {
        List<String> problems = problemsOf(MINIMAL + "[users]\nmax_gpus = two\nmax_queued.ana = -1\nmax_gpu.ana = 1\n");

        assertThat(problems).hasSize(3).contains(
                "config.ini [users] max_gpus: \"two\" is not a quota; use none or a whole number, 0 or more",
                "config.ini [users] max_queued.ana: \"-1\" is not a quota; use none or a whole number, 0 or more");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [users] max_gpu.ana: unknown key")
                .contains("max_gpus, max_queued, max_gpu_hours_per_day"));
    }
}
