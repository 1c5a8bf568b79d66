package dev.dopq.server;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.container.Mount;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.files.SafeFiles;
import dev.dopq.server.queue.Launcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the server reads from, and prepares on, the machine it starts on: folders, mounts, disk, names. */
final class HostSetup {
    private static final Logger LOG = LoggerFactory.getLogger(HostSetup.class);

    private HostSetup() {
    }

    /**
     * The state folder holds tokens, the database and every job's files: it is the server's alone (0700), so no
     * other user of the machine can read it or plant a link in it.
     */
    static void ownerOnlyFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, SafeFiles.OWNER_DIR);
        } catch (UnsupportedOperationException e) {
            LOG.warn("cannot make {} owner-only on this file system", dir);
        }
    }

    static String version() {
        String v = Server.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** This machine's name as dcgm-exporter writes its {@code hostname} label (lower case since 2026). */
    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** {@code [provider] min_free} in bytes; a percentage is of the disk holding the work folder. */
    static long minFreeBytes(DopqConfig config) throws IOException {
        var p = config.provider();
        if (p.minFreePercent() <= 0) {
            return p.minFreeBytes();
        }
        long bytes = p.minFreeOn(Files.getFileStore(config.paths().work()).getTotalSpace());
        LOG.info("min_free {}% of the work folder's disk is {} MiB", p.minFreePercent(), bytes >> 20);
        return bytes;
    }

    /** The admin's mounts, output folder, network, GPU runtime and pids limit, as every container gets them. */
    static Launcher.Surroundings surroundings(DopqConfig config, ContainerRuntime runtime) {
        var d = config.docker();
        List<Mount> mounts = d.mounts().stream()
                .map(m -> new Mount(realHostPath(m.host()), m.container(), m.readOnly())).toList();
        boolean nvidia = switch (config.gpu().nvidiaRuntime()) {
            case "yes" -> true;
            case "no" -> false;
            default -> runtime.info().nvidiaRuntime();
        };
        return new Launcher.Surroundings(mounts, d.output(), blankToNull(d.network()), nvidia, d.pidsLimit());
    }

    /**
     * The admin's mount source as it resolves now, at start: the engine follows links at a mount's source on every
     * container start, so a link swapped in later (by anyone who can write to a folder on the way) would move the
     * mount; the resolved path does not.
     */
    private static String realHostPath(Path host) {
        try {
            Path real = host.toRealPath();
            if (!real.equals(host)) {
                LOG.info("[docker] mounts: {} resolves to {}; containers get {}", host, real, real);
            }
            return real.toString();
        } catch (IOException e) {
            LOG.warn("[docker] mounts: cannot resolve {} ({}); mounting it as written", host, e.toString());
            return host.toString();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
