package dev.dopq.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line (the docker CLI is the baseline of several benchmarks) and returns its output. */
public final class Cli {
    private Cli() {
    }

    /** What a command printed and how it exited. */
    public record Result(int exit, String out) {
        public Result check(String what) {
            if (exit != 0) {
                throw new IllegalStateException(what + " failed (exit " + exit + "): " + out);
            }
            return this;
        }
    }

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, List.of(command));
    }

    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dopq-bench-cli", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** {@code sh -c script}, for pipelines such as the xargs baseline. */
    public static Result shell(Duration timeout, String script) throws IOException, InterruptedException {
        return run(timeout, "sh", "-c", script);
    }
}
