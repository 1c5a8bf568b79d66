package dev.dopq.server.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** DoPQ 1.0's config.ini works as a dopq config: every DoPQ key is translated or explained, never an error. */
class DopqConfigTest {
    private static final String DOPQ_ROOT = "/home/reza/Desktop/lmu_augenKlinikRepo";

    @TempDir
    Path dir;
    private String dopqDefault;

    @BeforeEach
    void dopqFolders() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dopq/config.ini")) {
            dopqDefault = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(DOPQ_ROOT, dir.toString());
        }
        Files.createDirectories(dir.resolve("dopq_mount_folder")); // mount.volumes' host folder must exist
    }

    private Path write(String text) throws IOException {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path file = etc.resolve("config.ini");
        Files.writeString(file, text);
        return file;
    }

    private DopqConfig load(String text) throws IOException {
        return ConfigLoader.load(write(text), Map.of());
    }

    @Test
    void dopqs_default_config_loads_and_every_translated_key_takes_effect() throws IOException {
        DopqConfig c = load(dopqDefault);

        assertThat(c.paths().inbox()).isEqualTo(dir.resolve("dopq_config_folders/network"));
        assertThat(c.paths().state()).as("dopq's default, next to the file").isEqualTo(dir.resolve("etc/state"));
        assertThat(c.users().dopqDatabase()).isEqualTo(dir.resolve("dopq_user_database/dopq_database.db"));
        assertThat(c.users().valid()).containsExactly("reza", "anees", "ilja");
        assertThat(c.queue().keepHistory()).isEqualTo(500);
        assertThat(c.queue().removeContainers()).isTrue();
        assertThat(c.log().level()).isEqualTo("info");
        assertThat(c.docker().mounts()).containsExactly(
                new DopqConfig.Docker.Mount(dir.resolve("dopq_mount_folder"), "/imgdir", false),
                new DopqConfig.Docker.Mount(dir.resolve("dopq_mount_folder"), "/outdir", false));
        assertThat(c.docker().network()).as("DoPQ's default host network is not carried over").isBlank();
        assertThat(c.docker().defaultMemoryBytes()).isEqualTo(32L << 30);
        assertThat(c.provider().minFreePercent()).isEqualTo(5.0);
        assertThat(c.provider().minFreeOn(1000L << 20)).isEqualTo(50L << 20);
    }

    @Test
    void every_dopq_key_is_either_translated_or_named_with_a_reason() throws IOException {
        List<String> problems = new ArrayList<>();
        DopqTranslation.Outcome outcome = ConfigLoader.readTranslated(write(dopqDefault), problems).outcome();

        assertThat(problems).isEmpty();
        List<String> translated = new ArrayList<>(List.of(
                "[paths] network.dir", "[paths] user_database.dir", "[queue] max.history", "[queue] verbose",
                "[docker] mount.volumes", "[docker] remove", "[docker] network.mode", "[docker] mem.limit",
                "[fetcher] valid.executors", "[fetcher] min.space"));
        List<String> unneeded = new ArrayList<>(List.of(
                "[paths] container.dir", "[paths] unzip.dir", "[paths] log.dir", "[paths] history.dir",
                "[paths] failed.dir", "[queue] sleep.interval", "[docker] logging.interval",
                "[fetcher] remove.invalid.containers", "[fetcher] sleep.interval", "[builder] sleep.interval",
                "[builder] load.suffix", "[builder] build.suffix"));
        // DoPQ's GPU cap becomes [users] max_gpus in a dopq that has that key, and means nothing yet otherwise
        boolean capExists = ConfigSchema.isKey("users", "max_gpus");
        (capExists ? translated : unneeded).add(capExists ? 4 : 6, "[queue] max.gpu.assignment");
        assertThat(outcome.translated()).extracting(DopqTranslation.Translated::from).containsExactlyElementsOf(
                translated);
        assertThat(outcome.unneeded()).extracting(DopqTranslation.Unneeded::from).containsExactlyElementsOf(
                unneeded);
        assertThat(outcome.unneeded()).allSatisfy(u -> assertThat(u.reason()).isNotBlank());
        assertThat(outcome.unneededSummary())
                .contains("[queue] sleep.interval, [fetcher] sleep.interval, [builder] sleep.interval: dopq is"
                        + " event-driven")
                .contains(capExists ? "[builder] build.suffix" : "[queue] max.gpu.assignment: this dopq has no"
                        + " per-user GPU cap yet")
                .doesNotContain("\n");
    }

    @Test
    void dopqs_own_key_wins_over_the_dopq_key_and_the_conflict_is_reported() throws IOException {
        String both = dopqDefault.replace("[paths]\n", "[paths]\ninbox = " + dir.resolve("share") + "\n");
        DopqConfig c = load(both);
        assertThat(c.paths().inbox()).isEqualTo(dir.resolve("share"));

        List<String> problems = new ArrayList<>();
        DopqTranslation.Outcome outcome = ConfigLoader.readTranslated(write(both), problems).outcome();
        assertThat(outcome.overridden()).singleElement()
                .satisfies(o -> assertThat(o.describe("config.ini")).isEqualTo("config.ini sets both [paths]"
                        + " network.dir (DoPQ) and [paths] inbox; using [paths] inbox and ignoring [paths] network.dir"));
    }

    @Test
    void an_environment_variable_wins_over_a_dopq_key() throws IOException {
        DopqConfig c = ConfigLoader.load(write(dopqDefault), Map.of("DOPQ_QUEUE_KEEP_HISTORY", "7",
                "DOPQ_API_PORT", "7100", "DOPQ_GPU_DEVICES", "0,1"));
        assertThat(c.queue().keepHistory()).isEqualTo(7);
        assertThat(c.api().port()).isEqualTo(7100);
        assertThat(c.gpu().ids()).containsExactly("0", "1");
    }

    @Test
    void verbose_no_means_warnings_only() throws IOException {
        assertThat(load(dopqDefault.replace("verbose = yes", "verbose = no")).log().level()).isEqualTo("warn");
    }

    @Test
    void a_dopq_value_that_cannot_be_translated_is_a_problem_named_after_the_dopq_key() throws IOException {
        Path file = write(dopqDefault.replace("min.space = 0.05", "min.space = 5").replace("verbose = yes",
                "verbose = loud").replace("mem.limit = 32g", "mem.limit = lots"));
        List<String> problems = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(file, Map.of())).problems();

        assertThat(problems).containsExactlyInAnyOrder(
                "config.ini [queue] verbose: \"loud\" is not yes or no (DoPQ's name for [log] level)",
                "config.ini [fetcher] min.space: \"5\" is not a fraction of the disk like 0.05 or a percentage like 5%"
                        + " (DoPQ's name for [provider] min_free)",
                "config.ini [docker] mem.limit (DoPQ's name for [docker] default_memory): \"lots\" is not a size;"
                        + " use a number with k, m, g or t like 512m or 20g (plain numbers are bytes), or leave it blank"
                        + " for no limit");
    }

    @Test
    void an_unknown_key_in_a_dopq_section_is_an_error_with_a_suggestion() throws IOException {
        Path file = write(dopqDefault.replace("min.space", "min.spac"));
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).problems())
                .singleElement().asString()
                .startsWith("config.ini [fetcher] min.spac: unknown key (did you mean min.space?)");
    }

    @Test
    void min_free_accepts_a_percentage_of_the_disk_and_refuses_a_whole_disk() throws IOException {
        String minimal = "[paths]\ninbox = in\nstate = st\n[gpu]\ndevices = 0\n[provider]\nmin_free = ";
        DopqConfig c = load(minimal + "2.5%\n");
        assertThat(c.provider().minFreePercent()).isEqualTo(2.5);
        assertThat(c.provider().minFreeOn(1L << 40)).isEqualTo((long) ((1L << 40) * 0.025));
        assertThat(load(minimal + "2g\n").provider().minFreeOn(1L << 40)).isEqualTo(2L << 30);

        Path file = write(minimal + "100%\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.ini [provider] min_free: \"100%\" is not a size or a percentage of the"
                        + " disk");
    }

    @Test
    void the_dopq_fraction_becomes_a_percentage() {
        assertThat(DopqKeys.fractionAsPercent("0.05")).isEqualTo("5%");
        assertThat(DopqKeys.fractionAsPercent("0.125")).isEqualTo("12.5%");
        assertThat(DopqKeys.fractionAsPercent("0")).isEqualTo("0%");
        assertThat(DopqKeys.fractionAsPercent("7%")).isEqualTo("7%");
        assertThat(DopqKeys.fractionAsPercent("1")).isNull();
        assertThat(DopqKeys.fractionAsPercent("-0.1")).isNull();
        assertThat(DopqKeys.fractionAsPercent("much")).isNull();
    }
}
