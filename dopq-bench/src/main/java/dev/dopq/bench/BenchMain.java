package dev.dopq.bench;

import dev.dopq.bench.api.ApiLoadBench;
import dev.dopq.bench.drills.CrashDrill;
import dev.dopq.bench.drills.HostileClientDrill;
import dev.dopq.bench.e2e.IngestBench;
import dev.dopq.bench.e2e.LatencyBench;
import dev.dopq.bench.e2e.ThroughputBench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar dopq-bench.jar <what> [arguments]}: one entry point for the scripts in {@code bench/} and
 * {@code drills/}. Each benchmark prints its figure, the baseline measured in the same run and the ratio on a
 * line starting with {@code RESULT}; each drill prints {@code PASS} or {@code FAIL} with its counts.
 */
public final class BenchMain {
    private static final String USAGE = String.join("\n",
            "usage: java -jar dopq-bench.jar scheduling [jmh options]",
            "       java -jar dopq-bench.jar throughput SERVER_JAR DIR [jobs=100] [rounds=2]",
            "       java -jar dopq-bench.jar latency SERVER_JAR DIR [samples=15]",
            "       java -jar dopq-bench.jar ingest SERVER_JAR DIR [files=2000] [file_bytes=100000] [rounds=2]",
            "       java -jar dopq-bench.jar api SERVER_JAR DIR [clients=50] [rounds=20] [queued=10000]"
                    + " [finished=1000000]",
            "       java -jar dopq-bench.jar crash-drill SERVER_JAR DIR [jobs=30] [kills=10]",
            "       java -jar dopq-bench.jar hostile-drill SERVER_JAR DIR");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            Out.line(USAGE);
            System.exit(2);
        }
        if (args[0].equals("scheduling")) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            org.openjdk.jmh.Main.main(rest.length > 0 ? rest : new String[] {"SchedulingBenchmark"});
            return;
        }
        if (args.length < 3) {
            Out.line(USAGE);
            System.exit(2);
        }
        Path jar = Path.of(args[1]).toAbsolutePath();
        Path dir = Files.createDirectories(Path.of(args[2]).toAbsolutePath());
        boolean passed = switch (args[0]) {
            case "throughput" -> run(() -> new ThroughputBench(jar, dir, arg(args, 3, 100), arg(args, 4, 2)).run());
            case "latency" -> run(() -> new LatencyBench(jar, dir, arg(args, 3, 15)).run());
            case "ingest" -> run(() -> new IngestBench(jar, dir, arg(args, 3, 2000), arg(args, 4, 100_000),
                    arg(args, 5, 2)).run());
            case "api" -> run(() -> new ApiLoadBench(jar, dir, arg(args, 3, 50), arg(args, 4, 20),
                    arg(args, 5, 10_000), arg(args, 6, 1_000_000)).run());
            case "crash-drill" -> new CrashDrill(jar, dir, arg(args, 3, 30), arg(args, 4, 10)).run().passed();
            case "hostile-drill" -> new HostileClientDrill(jar, dir).run().passed();
            default -> {
                Out.line(USAGE);
                yield false;
            }
        };
        System.exit(passed ? 0 : 1);
    }

    /** A benchmark body. */
    private interface Body {
        void run() throws Exception;
    }

    private static boolean run(Body body) throws Exception {
        body.run();
        return true;
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
