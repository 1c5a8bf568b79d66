package dev.dopq.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;

import picocli.CommandLine.Help.Ansi;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the client in process against a session factory, with a fixed clock and no colour. */
final class CliRun {
    static final Clock CLOCK = Clock.fixed(FakeSession.NOW, ZoneOffset.UTC);
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    record Result(int exitCode, String out, String err) {
        /**
         * Compares stdout with golden/NAME and fails on any difference or a missing file. Only an explicit
         * {@code -Dgolden.update=true} writes the file (review the diff before committing it).
         */
        Result matchesGolden(String name) {
            Path file = GOLDEN.resolve(name);
            try {
                if (Boolean.getBoolean("golden.update")) {
                    Files.createDirectories(GOLDEN);
                    Files.writeString(file, out, StandardCharsets.UTF_8);
                    return this;
                }
                if (!Files.exists(file)) {
                    throw new AssertionError("no golden file " + file + "; run with -Dgolden.update=true to write"
                            + " it from this output, then review it");
                }
                assertThat(out).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    private CliRun() {
    }

    static Result run(FakeSession session, String... args) {
        return run(settings -> session, new Environment(Map.of(), Path.of("/nonexistent-home")), args);
    }

    static Result run(SessionFactory sessions, Environment env, String... args) {
        return run(sessions, env, false, "", args);
    }

    /** As a person at a terminal runs it, typing {@code typed} when asked. */
    static Result runAtTerminal(FakeSession session, String typed, String... args) {
        return run(settings -> session, new Environment(Map.of(), Path.of("/nonexistent-home")), true, typed, args);
    }

    private static Result run(SessionFactory sessions, Environment env, boolean terminal, String typed,
                              String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Runs follow steps back to back: the fake's log ends after a few chunks.
        Repeater inline = (pause, step) -> {
            while (step.run()) {
                // next step at once
            }
        };
        int code = new Cli(sessions, env, CLOCK, inline, terminal)
                .input(new java.io.BufferedReader(new java.io.StringReader(typed)))
                .execute(new PrintWriter(out), new PrintWriter(err), Ansi.OFF, args);
        return new Result(code, out.toString(), err.toString());
    }
}
