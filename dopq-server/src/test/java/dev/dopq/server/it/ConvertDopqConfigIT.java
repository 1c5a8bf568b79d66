package dev.dopq.server.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dopq-server --convert-dopq-config OLD.ini} from the shaded jar, as bin/dopq-server runs it. */
class ConvertDopqConfigIT {
    private static final Path JAR = Path.of("target", "dopq-server.jar");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run convert(Path file) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-jar", JAR.toString(), "--convert-dopq-config",
                file.toString())).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the converter ends by itself").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void dopqs_default_config_is_printed_in_dopqs_names_and_the_command_exits_0() throws Exception {
        Path old = dir.resolve("old.ini");
        try (InputStream in = getClass().getResourceAsStream("/dopq/config.ini")) {
            Files.write(old, in.readAllBytes());
        }

        Run run = convert(old);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("; dopq configuration converted from the DoPQ file " + old.toAbsolutePath())
                .contains("\n[provider]\n").contains("\nmin_free = 5%\n").contains("\nkeep_history = 500\n")
                .contains("\ninbox = /home/reza/Desktop/lmu_augenKlinikRepo/dopq_config_folders/network\n");
        assertThat(run.out()).as("only the converted file on stdout, no log lines").doesNotContain(" INFO ");
    }

    @Test
    void a_file_that_cannot_be_converted_is_one_line_on_stderr_and_a_non_zero_exit() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.ini"), "[fetcher]\nmin.space = lots\n", StandardCharsets.UTF_8);

        Run run = convert(bad);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip().lines()).singleElement().asString()
                .startsWith("dopq-server: cannot convert " + bad + ": bad.ini [fetcher] min.space: \"lots\" is not");
    }
}
