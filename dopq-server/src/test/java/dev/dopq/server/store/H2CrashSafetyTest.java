package dev.dopq.server.store;

import dev.dopq.server.core.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class H2CrashSafetyTest {
    private static final int JOBS = 200;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void every_committed_job_survives_a_kill_minus_9_of_the_writing_process() throws Exception {
        Path base = dir.resolve("db/dopq");
        Process writer = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), base.toString(), String.valueOf(JOBS)))
                .redirectErrorStream(true)
                .start();
        try {
            awaitDone(writer);
        } finally {
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            writer.waitFor();
        }

        try (Database reopened = Database.open(base)) {
            assertThat(reopened.jobs().inStates(EnumSet.allOf(JobState.class))).hasSize(JOBS);
        }
    }

    private static void awaitDone(Process writer) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("done")) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("writer ended without saying done:\n" + seen);
    }
}
