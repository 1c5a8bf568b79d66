package dev.dopq.server.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a job's work folder ({@code <state>/work/jobs/<uuid>/}) by the id marker the server writes into it. */
public final class JobDirs {
    private JobDirs() {
    }

    public static Optional<Path> of(Path state, String jobId) throws IOException {
        Path jobs = state.resolve("work").resolve("jobs");
        if (!Files.isDirectory(jobs)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobs)) {
            for (Path dir : dirs.toList()) {
                Path marker = dir.resolve("job.id");
                if (Files.isRegularFile(marker) && Files.readString(marker).strip().equals(jobId)) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }
}
