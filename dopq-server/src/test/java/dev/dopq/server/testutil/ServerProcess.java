package dev.dopq.server.testutil;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real server as a separate JVM ({@code dev.dopq.server.Main --config FILE}) on this test's class path, so a
 * test can SIGKILL it at any moment and start it again on the same state. Reached through real RMI with the
 * admin token the server writes to {@code <state>/admin.token}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    private static final Duration READY = Duration.ofSeconds(60);

    private final Process process;
    private final Path state;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, Path state, int port, Path log) {
        this.process = process;
        this.state = state;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code Main} on {@code config} and waits until the admin can log in. Output goes to {@code log}
     * (appended, so several runs on one state share one file).
     */
    public static ServerProcess start(Path config, Path state, int port, Path log) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xmx256m",
                // the quick JIT tier only: starts sooner on a busy machine, and a test server needs no peak speed
                "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                "dev.dopq.server.Main", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ServerProcess server = new ServerProcess(pb.start(), state, port, log);
        LOG.info("started server process {} (output in {})", server.process.pid(), log);
        try {
            Await.until("the server process to accept the admin's login", READY, server::tryAdmin);
            LOG.info("server process {} accepts logins", server.process.pid());
        } catch (AssertionError | Exception e) {
            server.kill();
            throw e;
        }
        return server;
    }

    /** How a server process that was expected to stop by itself ended. */
    public record Ended(int exitCode, String output) {
    }

    /** Runs {@code Main} on {@code config} and waits for it to end by itself (it is killed after {@code within}). */
    public static Ended runToEnd(Path config, Path log, Duration within) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                classPath(), "dev.dopq.server.Main", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the server process did not stop by itself within " + within + "; see " + log);
        }
        return new Ended(p.exitValue(), Files.readString(log));
    }

    public long pid() {
        return process.pid();
    }

    /** Surefire/Failsafe may hand the JVM a manifest-only jar; the real entries are in this property then. */
    private static String classPath() {
        String real = System.getProperty("surefire.test.class.path");
        return real != null && !real.isBlank() ? real : System.getProperty("java.class.path");
    }

    private Optional<DopqSession> tryAdmin() {
        if (!process.isAlive()) {
            throw new AssertionError("the server process ended with " + process.exitValue() + "; see " + log);
        }
        try {
            return Optional.of(admin());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** A fresh admin session (a fresh registry lookup: stubs of a killed server are dead). */
    public DopqSession admin() throws Exception {
        String token = Files.readString(state.resolve("admin.token")).strip();
        DopqLogin login = (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port).lookup(DopqLogin.BINDING);
        return login.login("admin", token);
    }

    /** SIGKILL: no shutdown hook, no orderly stop; what the server wrote so far is all there is. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server process " + process.pid() + " survived SIGKILL");
        }
        LOG.info("killed server process {}", process.pid());
    }

    /** Asks the server to shut down through the API and waits for the process to end. */
    public void shutdown(boolean stopRunning) throws Exception {
        admin().shutdown(stopRunning);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server process " + process.pid() + " did not stop; see " + log);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last {@code lines} lines of the output, for failure messages. */
    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
