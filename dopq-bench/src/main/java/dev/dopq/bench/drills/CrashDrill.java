package dev.dopq.bench.drills;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Crash drill: a workload of {@code jobs} jobs (every third one built from a Dockerfile, the rest on a prebuilt
 * image; each writes a mark on a mounted folder, sleeps 0-4 s and exits with {@code i % 3}) dropped in three
 * batches while the server process is killed with {@code kill -9} at {@code kills} random moments and started
 * again. Then it counts jobs lost, jobs run twice (more than one mark, or a zip taken twice), containers
 * orphaned and wrong exit codes; all must be 0.
 */
public final class CrashDrill {
    private final Path jar;
    private final Path dir;
    private final int jobs;
    private final int kills;
    private final String run = "crash-" + Long.toHexString(System.nanoTime());
    private final Random random = new Random();

    public CrashDrill(Path jar, Path dir, int jobs, int kills) {
        this.jar = jar;
        this.dir = dir;
        this.jobs = jobs;
        this.kills = kills;
    }

    /** The value of the {@code dopq.bench} label on what this drill makes on the engine itself. */
    public String runLabel() {
        return run;
    }

    /**
     * What the drill counted. It passes when no job was lost, none ran twice, no container was left behind and
     * every job ended with the exit code it was given ({@code orphans} is -1 when the server's instance id could
     * not be read, which fails the drill: its containers could not be counted).
     */
    public record Result(String run, String instance, int jobs, int kills, int finished, int lost, int twice,
                         int orphans, int wrongExit, int imagesLeft) {
        public boolean passed() {
            return lost == 0 && twice == 0 && wrongExit == 0 && orphans == 0;
        }
    }

    /**
     * Runs the drill. Whatever happens, the server is stopped and everything made on the engine (the busybox
     * image labelled {@code dopq.bench=<run>}, and the server's containers and images labelled with its
     * instance) is removed before this returns or throws.
     */
    public Result run() throws Exception {
        String image = "dopq-bench/crash:" + run;
        Path marks = Files.createDirectories(dir.resolve("marks"));
        // jobs run as their users' own non-root uids: each must be able to leave its mark
        Files.setPosixFilePermissions(marks, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        ServerProcess server = ServerProcess.configure(jar, dir.resolve("server"), "0,1",
                "[provider]\nsettle = 0s\nrescan = 250ms\n\n[queue]\nreconcile = 2s\n\n[docker]\nmounts = "
                        + marks + ":/marks\nallowed_images = dopq-bench/crash:*\n", List.of());
        try {
            Engine.buildBusybox(image, run);
            List<JobView> done = crashAndRestart(server, image);
            server.close();
            String instance = ServerLeftovers.instanceOf(server.database());
            return report(done, marks, server.inbox(), instance);
        } finally {
            server.close();
            cleanUp(image, ServerLeftovers.instanceOrNull(server.database()));
        }
    }

    /** Drops the workload in batches around {@code kills} kill -9 and restarts; returns the finished jobs. */
    private List<JobView> crashAndRestart(ServerProcess server, String image) throws Exception {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        server.start(Duration.ofMinutes(2));
        List<List<Path>> batches = workload(staging, image);
        int every = Math.max(1, kills / batches.size());
        for (int k = 0; k < kills; k++) {
            if (k % every == 0 && !batches.isEmpty()) {
                drop(batches.remove(0), server);
            }
            Thread.sleep(300 + random.nextInt(3500));
            server.kill9();
            Out.line("kill -9 #%d", k + 1);
            if (random.nextBoolean() && !batches.isEmpty()) {
                drop(batches.remove(0), server); // while the server is down
            }
            server.start(Duration.ofMinutes(2));
        }
        for (List<Path> batch : batches) {
            drop(batch, server);
        }
        return awaitAll(server);
    }

    private static void drop(List<Path> batch, ServerProcess server) throws Exception {
        for (Path zip : batch) {
            BenchZips.drop(zip, server.inbox(), userOf(zip));
        }
    }

    /** Every third job is ana's (built), the others bob's (an existing image). */
    private static String userOf(int i) {
        return i % 3 == 0 ? "ana" : "bob";
    }

    private static String userOf(Path zip) {
        return userOf(Integer.parseInt(zip.getFileName().toString().replaceAll("\\D", "")));
    }

    /** Three batches of zips, written to the staging folder. */
    private List<List<Path>> workload(Path staging, String image) throws Exception {
        List<List<Path>> batches = new ArrayList<>(List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
        for (int i = 0; i < jobs; i++) {
            String name = "crash-" + i;
            List<String> command = List.of("sh", "-c", "echo run >> /marks/" + name + "; sleep " + (i % 5)
                    + "; exit " + (i % 3));
            Path zip = staging.resolve(name + ".zip");
            if (i % 3 == 0) {
                BenchZips.writeBusyboxBuild(zip, BenchZips.build(name, userOf(i), 1, command));
            } else {
                BenchZips.writeConfigOnly(zip, BenchZips.runImage(name, userOf(i), 1, image, command));
            }
            batches.get(i % 3).add(zip);
        }
        return batches;
    }

    private List<JobView> awaitAll(ServerProcess server) throws Exception {
        try {
            return Jobs.awaitFinished(server.admin(), j -> j.name().startsWith("crash-"), jobs,
                    Duration.ofMinutes(10));
        } catch (IllegalStateException notAll) {
            Out.line("%s", notAll.getMessage());
            return Jobs.finished(server.admin(), j -> j.name().startsWith("crash-"));
        }
    }

    private Result report(List<JobView> done, Path marks, Path inbox, String instance)
            throws Exception {
        Map<String, Integer> taken = new HashMap<>();
        done.forEach(j -> taken.merge(j.name(), 1, Integer::sum));
        int lost = 0;
        int twice = 0;
        int wrongExit = 0;
        for (int i = 0; i < jobs; i++) {
            String name = "crash-" + i;
            Path mark = marks.resolve(name);
            int runs = Files.exists(mark) ? Files.readAllLines(mark).size() : 0;
            Path failed = inbox.resolve(userOf(i)).resolve("failed").resolve(name + ".zip");
            if (!taken.containsKey(name) && !Files.exists(failed)) {
                lost++;
            }
            if (taken.getOrDefault(name, 0) > 1 || runs > 1) {
                twice++;
                Out.line("ran twice: %s (taken %d times, %d runs)", name, taken.getOrDefault(name, 0), runs);
            }
            int expected = i % 3;
            for (JobView j : done) {
                if (j.name().equals(name) && !(j.exitCode() != null && j.exitCode() == expected
                        && j.state().equals(expected == 0 ? "SUCCEEDED" : "FAILED"))) {
                    wrongExit++;
                    Out.line("wrong outcome: %s %s exit %s (expected exit %d): %s", name, j.state(), j.exitCode(),
                            expected, j.reason());
                }
            }
        }
        int orphans = instance == null ? -1
                : Engine.containers(ServerLeftovers.INSTANCE_LABEL, instance, true).size();
        int images = instance == null ? -1 : Engine.images(ServerLeftovers.INSTANCE_LABEL, instance).size();
        Result result = new Result(run, instance, jobs, kills, taken.size(), lost, twice, orphans, wrongExit, images);
        Out.line("%s crash drill: %d jobs, %d kill -9; finished %d, lost %d, run twice %d, containers orphaned %d,"
                + " wrong exit codes %d (images left behind %d)", result.passed() ? "PASS" : "FAIL", jobs, kills,
                taken.size(), lost, twice, orphans, wrongExit, images);
        return result;
    }

    /** Removes the drill's image and what the server made; each step runs even if an earlier one failed. */
    private static void cleanUp(String image, String instance) throws Exception {
        try {
            Cli.shell(Duration.ofMinutes(5), "docker ps -aq --filter ancestor=" + image + " | xargs -r docker rm -f");
            ServerLeftovers.remove(instance);
        } finally {
            Engine.removeImage(image);
        }
    }
}
