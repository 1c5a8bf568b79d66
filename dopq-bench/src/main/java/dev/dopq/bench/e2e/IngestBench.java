package dev.dopq.bench.e2e;

import dev.dopq.api.JobDetail;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.bench.Out;
import dev.dopq.bench.harness.BenchZips;
import dev.dopq.bench.harness.Cli;
import dev.dopq.bench.harness.Engine;
import dev.dopq.bench.harness.Jobs;
import dev.dopq.bench.harness.ServerProcess;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Ingest: a context of {@code files} files of {@code fileBytes} random bytes (200 MB by default) plus busybox,
 * zipped. dopq: zip taken to job QUEUED (extraction, context, build), read from the job's events; baseline:
 * {@code unzip} + {@code docker build} by hand on the same zip. Each build has its own nonce file, so neither
 * side profits from the other's build cache. Odd rounds run the baseline first, even rounds dopq first;
 * a zip of a tenth of the files warms the server up before the first round.
 */
public final class IngestBench {
    private final Path jar;
    private final Path root;
    private final int files;
    private final int fileBytes;
    private final int rounds;

    public IngestBench(Path jar, Path root, int files, int fileBytes, int rounds) {
        this.jar = jar;
        this.root = root;
        this.files = files;
        this.fileBytes = fileBytes;
        this.rounds = rounds;
    }

    public void run() throws Exception {
        String run = "ing-" + Long.toHexString(System.nanoTime());
        List<Double> base = new ArrayList<>();
        List<Double> dopq = new ArrayList<>();
        List<Double> dropToQueued = new ArrayList<>();
        ServerProcess server = ServerProcess.configure(jar, root.resolve("server"), "0",
                ThroughputBench.FAST_INTAKE, List.of());
        try (server) {
            server.start(Duration.ofMinutes(2));
            // A running server has compiled its intake path long ago; a fresh JVM would add its warm-up to round 1.
            subject(server, context(root.resolve("zip-warmup.zip"), run + "-warmup", Math.max(1, files / 10)));
            for (int r = 0; r < rounds; r++) {
                Path zip = context(root.resolve("zip-" + r + ".zip"), run + "-" + r, files);
                // Each side's writes are still being flushed to disk while the next one runs: alternate who goes
                // first, so that neither side always pays for the other's write-back.
                boolean dopqFirst = r % 2 == 1;
                Path byHand = dopqFirst ? Files.copy(zip, root.resolve("by-hand-" + r + ".zip")) : zip;
                double[] subject = dopqFirst ? subject(server, zip) : null;
                base.add(baseline(byHand, run, r));
                subject = dopqFirst ? subject : subject(server, zip);
                dopq.add(subject[0]);
                dropToQueued.add(subject[1]);
                Files.deleteIfExists(root.resolve("by-hand-" + r + ".zip"));
                Out.line("round %d (%s first): unzip + docker build %.2f s, dopq take-to-queued %.2f s"
                        + " (drop-to-queued %.2f s)", r + 1, dopqFirst ? "dopq" : "by hand", base.get(r), dopq.get(r),
                        dropToQueued.get(r));
            }
        } finally {
            Cli.shell(Duration.ofMinutes(5), "docker images -q --filter label=" + Engine.LABEL + "=" + run
                    + " | xargs -r docker rmi -f");
        }
        double b = base.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double d = dopq.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        Out.line("RESULT ingest: %d files, %d MB; dopq take-to-queued %.2f s, baseline unzip + docker build %.2f s,"
                + " ratio %.2fx (best of %d; all dopq %s, drop-to-queued %s, baseline %s)", files,
                (long) files * fileBytes / 1_000_000, d, b, d / b, rounds, dopq, dropToQueued, base);
    }

    private Path context(Path zip, String nonce, int files) throws Exception {
        Random random = new Random(nonce.hashCode());
        byte[] data = new byte[fileBytes];
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip.toFile())) {
            out.setLevel(Deflater.BEST_SPEED);
            String dockerfile = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY data /data\n";
            put(out, "Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8), 0644);
            put(out, "container_config.json", BenchZips.build("ingest", "ana", 1, List.of("/bin/busybox", "true"))
                    .replace("\"ingest\"", "\"ingest-" + zip.getFileName().toString().replace(".zip", "") + "\"")
                    .getBytes(StandardCharsets.UTF_8), 0644);
            put(out, "busybox", Files.readAllBytes(BenchZips.BUSYBOX), 0755);
            put(out, "data/nonce", nonce.getBytes(StandardCharsets.UTF_8), 0644);
            for (int i = 0; i < files; i++) {
                random.nextBytes(data);
                put(out, String.format("data/d%02d/f%04d.bin", i % 50, i), data, 0644);
            }
        }
        return zip;
    }

    private static void put(ZipArchiveOutputStream out, String name, byte[] data, int mode) throws Exception {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setUnixMode(0100000 | mode);
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
    }

    private double baseline(Path zip, String run, int round) throws Exception {
        Path dir = root.resolve("by-hand-" + round);
        Instant t0 = Instant.now();
        Cli.run(Duration.ofMinutes(10), "unzip", "-q", zip.toString(), "-d", dir.toString()).check("unzip");
        // Own nonce: the dopq build of this zip that follows must not find this one in the cache.
        Files.writeString(dir.resolve("data/nonce"), "by-hand-" + run + "-" + round);
        Cli.run(Duration.ofMinutes(20), "docker", "build", "-q", "--label", Engine.LABEL + "=" + run, "-t",
                "dopq-bench/ingest:" + run + "-" + round, dir.toString()).check("docker build");
        double seconds = Jobs.seconds(t0, Instant.now());
        Cli.run(Duration.ofMinutes(5), "rm", "-rf", dir.toString());
        return seconds;
    }

    /** {take-to-queued, drop-to-queued} in seconds. */
    private double[] subject(ServerProcess server, Path zip) throws Exception {
        String name = "ingest-" + zip.getFileName().toString().replace(".zip", "");
        Path staged = Files.move(zip, root.resolve(zip.getFileName()));
        Instant t0 = Instant.now();
        BenchZips.drop(staged, server.inbox(), "ana");
        JobView job = Jobs.awaitFinished(server.admin(), j -> j.name().equals(name), 1, Duration.ofMinutes(20))
                .get(0);
        if (!"SUCCEEDED".equals(job.state())) {
            throw new IllegalStateException("ingest job ended " + job.state() + ": " + job.reason());
        }
        JobDetail detail = server.admin().job(job.id());
        Instant queued = detail.events().stream().filter(e -> "QUEUED".equals(e.to())).map(JobEventView::at)
                .findFirst().orElseThrow();
        return new double[] {Jobs.seconds(job.submittedAt(), queued), Jobs.seconds(t0, queued)};
    }
}
