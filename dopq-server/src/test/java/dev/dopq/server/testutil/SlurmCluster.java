package dev.dopq.server.testutil;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A two-node Slurm cluster on this machine on real daemons: munged (unless one runs), slurmctld, and
 * {@code slurmd -N n1} / {@code -N n2} on their own free ports, two fake GPUs each (device nodes made with mknod).
 * Made by {@code slurm/cluster.sh}; {@link #close()} stops everything it started. Without the Slurm packages a test
 * using it is skipped with a message, except on CI ({@code CI} set), where that is a failure.
 */
public final class SlurmCluster implements AutoCloseable {
    private static final List<String> BINARIES = List.of("/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch",
            "/usr/sbin/munged");

    private final Path dir;
    private final Path script;

    private SlurmCluster(Path dir, Path script) {
        this.dir = dir;
        this.script = script;
    }

    /** Starts the cluster in {@code dir}; returns when both nodes are idle. */
    public static SlurmCluster start(Path dir) throws Exception {
        List<String> missing = BINARIES.stream().filter(b -> !Files.isExecutable(Path.of(b))).toList();
        if (!missing.isEmpty()) {
            String why = "Slurm is not installed (missing " + missing + "); .ci/run installs slurmctld slurmd"
                    + " slurm-client munge";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        Files.createDirectories(dir);
        Path script = dir.resolve("cluster.sh");
        try (InputStream in = SlurmCluster.class.getResourceAsStream("/slurm/cluster.sh")) {
            Files.copy(in, script);
        }
        SlurmCluster cluster = new SlurmCluster(dir.resolve("cluster"), script);
        cluster.run(Duration.ofSeconds(90), "start", cluster.dir.toString(), port(), port(), port());
        return cluster;
    }

    private static String port() throws IOException {
        return Integer.toString(TestServer.freePort());
    }

    /** The slurm.conf the Slurm commands must be given (as {@code [slurm] conf} or SLURM_CONF). */
    public Path conf() {
        return dir.resolve("slurm.conf");
    }

    /**
     * Gives each node its own Docker engine (own data-root, exec-root, pidfile, socket and bridge) and writes each
     * engine's address to {@code engines/<node>}, where the batch step of the Slurm backend looks for it.
     */
    public void startEngines(Path engines) throws Exception {
        run(Duration.ofSeconds(90), "engines", dir.toString(), engines.toString());
    }

    /** The address of a node's own engine (after {@link #startEngines}). */
    public String engineOf(String node) {
        return "unix://" + dir.resolve("engines").resolve(node).resolve("docker.sock");
    }

    /** Kills a node as a power cut would: its slurmd, its job steps and its engine with its containers. */
    public void killNode(String node) throws Exception {
        run(Duration.ofSeconds(30), "kill-node", dir.toString(), node);
    }

    /** Starts a killed node's slurmd again. */
    public void startNode(String node) throws Exception {
        run(Duration.ofSeconds(30), "start-node", dir.toString(), node);
    }

    /** Runs a Slurm command against this cluster and returns its standard output. */
    public String slurm(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SLURM_CONF", conf().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** Waits until {@code sinfo} shows {@code node} in a state starting with {@code state}. */
    public void awaitNodeState(String node, String state, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        String seen = "";
        while (Instant.now().isBefore(deadline)) {
            seen = slurm("sinfo", "-h", "-N", "-n", node, "-o", "%t").strip();
            if (seen.startsWith(state)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("node " + node + " is " + seen + ", not " + state + ", after " + within);
    }

    private void run(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("slurm-cluster", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + args[0] + " took longer than " + timeout + ": "
                        + Files.readString(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + args[0] + " failed: " + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The environment a process needs to reach this cluster. */
    public Map<String, String> env() {
        return Map.of("SLURM_CONF", conf().toString());
    }

    @Override
    public void close() throws Exception {
        run(Duration.ofSeconds(60), "stop", dir.toString());
    }
}
