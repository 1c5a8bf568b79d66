package dev.dopq.bench.harness;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dopq server started from its shaded jar as a separate process, on a folder of its own with a minimal
 * config.ini: what an admin runs, so heap figures and {@code kill -9} are the server's alone.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Path jar;
    private final Path dir;
    private final int port;
    private final List<String> jvmArgs;
    private Process process;

    private ServerProcess(Path jar, Path dir, int port, List<String> jvmArgs) {
        this.jar = jar;
        this.dir = dir;
        this.port = port;
        this.jvmArgs = jvmArgs;
    }

    /**
     * Writes {@code dir/config.ini} (inbox, state, declared GPUs, a free loopback port, users ana and bob, plus
     * {@code extraIni}) without starting anything.
     */
    public static ServerProcess configure(Path jar, Path dir, String gpus, String extraIni, List<String> jvmArgs)
            throws IOException {
        Files.createDirectories(dir);
        int port = freePort();
        Files.writeString(dir.resolve("config.ini"), "[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = "
                + gpus + "\n\n[api]\nhost = 127.0.0.1\nport = " + port + "\n\n[web]\nport = 0\n\n[users]\nvalid_executors = ana, bob\n\n"
                + extraIni, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("inbox"));
        return new ServerProcess(jar, dir, port, List.copyOf(jvmArgs));
    }

    /** Adds {@code key = value} to the {@code [api]} section of the written config.ini (before the start). */
    public ServerProcess api(String key, String value) throws IOException {
        Path ini = dir.resolve("config.ini");
        Files.writeString(ini, Files.readString(ini, StandardCharsets.UTF_8)
                .replace("[api]\n", "[api]\n" + key + " = " + value + "\n"), StandardCharsets.UTF_8);
        return this;
    }

    /** Starts the server and waits until its API answers. */
    public ServerProcess start(Duration within) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "--config", dir.resolve("config.ini").toString()));
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                admin().whoami();
                return this;
            } catch (Exception notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("server exited with " + process.exitValue() + "; see "
                            + dir.resolve("server.log"), notYet);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("server did not answer within " + within, notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    public DopqSession admin() throws Exception {
        String token = Files.readString(dir.resolve("state").resolve("admin.token")).strip();
        return login("admin", token);
    }

    public DopqSession login(String user, String token) throws Exception {
        DopqLogin login = (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port).lookup(DopqLogin.BINDING);
        return login.login(user, token);
    }

    public Path dir() {
        return dir;
    }

    public Path inbox() {
        return dir.resolve("inbox");
    }

    /** The H2 file base the server opens ({@code <state>/db/dopq}). */
    public Path database() {
        return dir.resolve("state").resolve("db").resolve("dopq");
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no flushing. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Server heap in use after a full collection, in MiB (from {@code jcmd GC.heap_info}). */
    public long heapAfterGcMiB() throws IOException, InterruptedException {
        Cli.run(Duration.ofMinutes(1), "jcmd", String.valueOf(pid()), "GC.run");
        String info = Cli.run(Duration.ofMinutes(1), "jcmd", String.valueOf(pid()), "GC.heap_info").out();
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap figure in: " + info);
        }
        return Long.parseLong(m.group(1)) / 1024;
    }

    /** SIGTERM: the server's shutdown hook stops it, leaving running containers to be re-adopted. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill9();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
