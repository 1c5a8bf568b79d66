package dev.dopq.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The Docker engine through its CLI. Everything made here carries the label {@code dopq.bench=<run>} so a run
 * removes exactly what it made and nothing of anyone else's.
 */
public final class Engine {
    public static final String LABEL = "dopq.bench";
    private static final Duration LONG = Duration.ofMinutes(10);

    private Engine() {
    }

    /** Builds the busybox image (FROM scratch, static busybox) as {@code tag}, labelled with {@code run}. */
    public static void buildBusybox(String tag, String run) throws IOException, InterruptedException {
        Path ctx = Files.createTempDirectory("dopq-bench-image");
        try {
            Files.copy(BenchZips.BUSYBOX, ctx.resolve("busybox"));
            Files.writeString(ctx.resolve("Dockerfile"), BenchZips.BUSYBOX_DOCKERFILE);
            // --force-rm: a failed RUN step would otherwise leave an unlabelled container behind on a shared engine
            Cli.run(LONG, "docker", "build", "-q", "--force-rm", "--label", LABEL + "=" + run, "-t", tag,
                    ctx.toString()).check("docker build " + tag);
        } finally {
            Cli.run(LONG, "rm", "-rf", ctx.toString());
        }
    }

    public static void removeImage(String tag) throws IOException, InterruptedException {
        Cli.run(LONG, "docker", "rmi", "-f", tag);
    }

    /** Removes the containers carrying {@code label=value} (this run's only). Returns how many there were. */
    public static int removeContainers(String label, String value) throws IOException, InterruptedException {
        List<String> ids = containers(label, value, true);
        if (!ids.isEmpty()) {
            String[] cmd = new String[ids.size() + 3];
            cmd[0] = "docker";
            cmd[1] = "rm";
            cmd[2] = "-f";
            for (int i = 0; i < ids.size(); i++) {
                cmd[i + 3] = ids.get(i);
            }
            Cli.run(LONG, cmd);
        }
        return ids.size();
    }

    /** Ids of containers with {@code label=value}; all states when {@code all}. */
    public static List<String> containers(String label, String value, boolean all)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker", "ps", "-q", "-f", "label=" + label + "=" + value));
        cmd.add(all ? "-a" : "--filter=status=running");
        String out = Cli.run(LONG, cmd).check("docker ps").out().strip();
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\s+"));
    }

    /** Images with {@code label=value}. */
    public static List<String> images(String label, String value) throws IOException, InterruptedException {
        String out = Cli.run(LONG, "docker", "images", "-q", "-f", "label=" + label + "=" + value)
                .check("docker images").out().strip();
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\s+"));
    }
}
