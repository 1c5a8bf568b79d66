package dev.dopq.server.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The converted file means what the DoPQ file meant, in dopq's own names. */
class DopqConfigConverterTest {
    private static final String DOPQ_ROOT = "/home/reza/Desktop/lmu_augenKlinikRepo";

    @TempDir
    Path dir;
    private Path dopqFile;

    @BeforeEach
    void dopqFile() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dopq/config.ini")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(DOPQ_ROOT, dir.toString());
            dopqFile = Files.writeString(Files.createDirectories(dir.resolve("etc")).resolve("old.ini"), text);
        }
        Files.createDirectories(dir.resolve("dopq_mount_folder"));
    }

    @Test
    void the_converted_file_loads_to_the_same_configuration_as_the_dopq_file() throws IOException {
        String converted = DopqConfigConverter.convert(dopqFile);
        Path newFile = Files.writeString(dir.resolve("etc/config.ini"), converted);

        DopqConfig fromDopq = ConfigLoader.load(dopqFile, Map.of());
        DopqConfig fromConverted = ConfigLoader.load(newFile, Map.of());

        assertThat(fromConverted).usingRecursiveComparison().ignoringFields("file").isEqualTo(fromDopq);
    }

    @Test
    void the_converted_file_uses_only_dopqs_names_and_says_where_each_value_came_from() {
        String converted = DopqConfigConverter.convert(dopqFile);

        assertThat(converted).contains("[provider]\n; DoPQ [fetcher] min.space = 0.05: intake pauses while less of"
                + " the disk is free\nmin_free = 5%\n");
        assertThat(converted).contains("; DoPQ [queue] max.history = 500: ").contains("\nkeep_history = 500\n");
        assertThat(converted).contains("\ndefault_memory = 32g\n").contains("\nvalid_executors = reza,anees,ilja\n");
        assertThat(converted).contains(";   [builder] load.suffix = tar: dopq takes .zip files");
        assertThat(converted).contains("; DoPQ's file names no GPUs and no API port");
        assertThat(converted).doesNotContain("[fetcher]\n").doesNotContain("[builder]\n");
        assertThat(converted.lines().filter(l -> !l.startsWith(";") && l.contains("=")))
                .noneMatch(l -> l.contains("network.dir") || l.contains("mount.volumes") || l.contains("min.space"));
    }

    @Test
    void a_file_that_is_not_a_config_is_refused_naming_the_file() throws IOException {
        Path notIni = Files.writeString(dir.resolve("notes.ini"), "hello = world\n");
        assertThatThrownBy(() -> DopqConfigConverter.convert(notIni)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("notes.ini hello: is outside any section");
        assertThatThrownBy(() -> DopqConfigConverter.convert(dir.resolve("missing.ini")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.ini: no such file");
    }
}
