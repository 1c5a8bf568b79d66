package dev.dopq.bench.drills;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the drill ITs find the server and put their folders. The server runs as its own process from the shaded
 * jar that the reactor packages in dopq-server before this module's integration tests; the pom passes its path.
 */
final class DrillSetup {
    private DrillSetup() {
    }

    /** The shaded server jar; fails with what to run when it has not been built. */
    static Path serverJar() {
        Path jar = Path.of(System.getProperty("dopq.server.jar", "../dopq-server/target/dopq-server.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the drills start the server from " + jar + ", which does not exist;"
                    + " run `mvn -B verify` from the repository root, or `mvn -B package -pl dopq-server -am"
                    + " -DskipTests` first");
        }
        return jar;
    }

    /** A new folder for one drill run under {@code target/drills}, kept afterwards for its server.log. */
    static Path freshDir(String drill) throws IOException {
        Path root = Path.of(System.getProperty("dopq.drill.dir", "target/drills")).toAbsolutePath();
        return Files.createDirectories(root).resolve(drill + "-" + System.currentTimeMillis());
    }
}
