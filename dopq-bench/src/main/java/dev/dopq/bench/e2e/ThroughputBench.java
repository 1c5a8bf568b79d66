package dev.dopq.bench.e2e;

import dev.dopq.api.JobView;
import dev.dopq.bench.Out;
import dev.dopq.bench.harness.BenchZips;
import dev.dopq.bench.harness.Cli;
import dev.dopq.bench.harness.Engine;
import dev.dopq.bench.harness.Jobs;
import dev.dopq.bench.harness.ServerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end throughput: {@code jobs} jobs of a prebuilt busybox image running {@code true}, 4 declared GPUs,
 * 1 GPU each, from the zips appearing in the inbox until the last job is recorded; against
 * {@code xargs -P4 docker run --rm} of the same containers. Rounds alternate baseline and dopq.
 */
public final class ThroughputBench {
    /** Settle 0 s: the zips arrive by rename, complete; the central-directory check still guards partial ones. */
    static final String FAST_INTAKE = "[provider]\nsettle = 0s\nrescan = 250ms\n\n"
            + "[docker]\nallowed_images = dopq-bench/*\n\n";

    private final Path jar;
    private final Path root;
    private final int jobs;
    private final int rounds;

    public ThroughputBench(Path jar, Path root, int jobs, int rounds) {
        this.jar = jar;
        this.root = root;
        this.jobs = jobs;
        this.rounds = rounds;
    }

    public void run() throws Exception {
        String run = "tp-" + Long.toHexString(System.nanoTime());
        String image = "dopq-bench/true:" + run;
        Engine.buildBusybox(image, run);
        List<Double> base = new ArrayList<>();
        List<Double> dopq = new ArrayList<>();
        try {
            for (int r = 1; r <= rounds; r++) {
                base.add(baseline(image, run));
                dopq.add(subject(image, root.resolve("round" + r)));
                Out.line("round %d: docker CLI %.2f s, dopq %.2f s", r, base.get(r - 1), dopq.get(r - 1));
            }
        } finally {
            Cli.shell(Duration.ofMinutes(5), "docker ps -aq --filter ancestor=" + image + " | xargs -r docker rm -f");
            Engine.removeImage(image);
        }
        double b = base.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double d = dopq.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        Out.line("RESULT throughput: %d jobs, dopq %.2f s (%.1f jobs/s), baseline xargs -P4 docker run %.2f s,"
                + " ratio %.2fx (best of %d rounds each; all rounds dopq %s, baseline %s)", jobs, d, jobs / d, b,
                d / b, rounds, dopq, base);
    }

    private double baseline(String image, String run) throws Exception {
        Instant t0 = Instant.now();
        Cli.shell(Duration.ofMinutes(30), "seq " + jobs + " | xargs -P4 -I{} docker run --rm --label "
                + Engine.LABEL + "=" + run + " " + image + " true").check("xargs docker run");
        return Jobs.seconds(t0, Instant.now());
    }

    private double subject(String image, Path dir) throws Exception {
        ServerProcess server = ServerProcess.configure(jar, dir, "0,1,2,3", FAST_INTAKE, List.of());
        try (server) {
            server.start(Duration.ofMinutes(2));
            Path staging = Files.createDirectories(dir.resolve("staging"));
            List<Path> zips = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                Path zip = staging.resolve(String.format("tp-%03d.zip", i));
                BenchZips.writeConfigOnly(zip, BenchZips.runImage("tp-" + i, "ana", 1, image, List.of("true")));
                zips.add(zip);
            }
            Instant t0 = Instant.now();
            for (Path zip : zips) {
                BenchZips.drop(zip, server.inbox(), "ana");
            }
            List<JobView> done = Jobs.awaitFinished(server.admin(), j -> j.name().startsWith("tp-"), jobs,
                    Duration.ofMinutes(30));
            long failed = done.stream().filter(j -> !"SUCCEEDED".equals(j.state())).count();
            if (failed > 0) {
                throw new IllegalStateException(failed + " jobs did not succeed, e.g. " + done.stream()
                        .filter(j -> !"SUCCEEDED".equals(j.state())).findFirst().orElseThrow());
            }
            return Jobs.seconds(t0, Jobs.lastFinish(done));
        }
    }
}
