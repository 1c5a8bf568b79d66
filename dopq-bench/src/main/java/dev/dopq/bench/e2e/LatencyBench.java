package dev.dopq.bench.e2e;

import dev.dopq.api.JobView;
import dev.dopq.bench.Out;
import dev.dopq.bench.harness.BenchZips;
import dev.dopq.bench.harness.Cli;
import dev.dopq.bench.harness.Engine;
import dev.dopq.bench.harness.Jobs;
import dev.dopq.bench.harness.ServerProcess;
import dev.dopq.bench.harness.Stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Drop-to-start latency on an idle server with a cached image: from the zip appearing in the inbox (the rename
 * that makes it appear) to the container's {@code State.StartedAt}; against {@code docker run -d} of the same
 * image, from the command to {@code State.StartedAt}. Samples alternate baseline and dopq.
 */
public final class LatencyBench {
    private final Path jar;
    private final Path root;
    private final int samples;

    public LatencyBench(Path jar, Path root, int samples) {
        this.jar = jar;
        this.root = root;
        this.samples = samples;
    }

    public void run() throws Exception {
        String run = "lat-" + Long.toHexString(System.nanoTime());
        String image = "dopq-bench/true:" + run;
        Engine.buildBusybox(image, run);
        List<Double> base = new ArrayList<>();
        List<Double> dopq = new ArrayList<>();
        ServerProcess server = ServerProcess.configure(jar, root, "0",
                ThroughputBench.FAST_INTAKE + "[queue]\nremove_containers = no\n", List.of());
        try (server) {
            server.start(Duration.ofMinutes(2));
            Path staging = Files.createDirectories(root.resolve("staging"));
            for (int i = 0; i < samples; i++) {
                base.add(baseline(image, run));
                dopq.add(subject(server, staging, image, i));
                Out.line("sample %d: docker run %.3f s, dopq %.3f s", i + 1, base.get(i), dopq.get(i));
            }
        } finally {
            Cli.shell(Duration.ofMinutes(5), "docker ps -aq --filter ancestor=" + image + " | xargs -r docker rm -f");
            Engine.removeImage(image);
        }
        double b = Stats.median(base);
        double d = Stats.median(dopq);
        Out.line("RESULT latency: median drop-to-start dopq %.3f s (p90 %.3f), baseline docker run %.3f s,"
                + " ratio %.2fx, dopq overhead %.3f s; settle 0s, rescan 250ms, %d samples", d,
                Stats.percentile(dopq, 90), b, d / b, d - b, samples);
    }

    private double baseline(String image, String run) throws Exception {
        Instant t0 = Instant.now();
        String id = Cli.run(Duration.ofMinutes(2), "docker", "run", "-d", "--label", Engine.LABEL + "=" + run, image,
                "true").check("docker run").out().strip();
        return Jobs.seconds(t0, startedAt(id));
    }

    private double subject(ServerProcess server, Path staging, String image, int i) throws Exception {
        String name = "lat-" + i;
        Path zip = staging.resolve(name + ".zip");
        BenchZips.writeConfigOnly(zip, BenchZips.runImage(name, "ana", 1, image, List.of("true")));
        Instant t0 = Instant.now();
        BenchZips.drop(zip, server.inbox(), "ana");
        JobView job = Jobs.awaitFinished(server.admin(), j -> j.name().equals(name), 1, Duration.ofMinutes(2))
                .get(0);
        String id = Cli.run(Duration.ofMinutes(1), "docker", "ps", "-aq", "--filter", "label=dopq.job=" + job.id(),
                "--filter", "ancestor=" + image).check("docker ps").out().strip();
        return Jobs.seconds(t0, startedAt(id));
    }

    static Instant startedAt(String containerId) throws Exception {
        String text = Cli.run(Duration.ofMinutes(1), "docker", "inspect", "-f", "{{.State.StartedAt}}", containerId)
                .check("docker inspect").out().strip();
        return Instant.parse(text);
    }
}
