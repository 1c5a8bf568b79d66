package dev.dopq.server.provider;

import dev.dopq.server.files.Trees;
import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.files.Moves;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.core.Job;
import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Takes a zip: first moves it out of the inbox into a fresh job folder (an atomic rename), then records the job.
 * A crash after the move leaves a folder without {@code job.id}, which {@link #recoverOrphans(Set)} registers on
 * the next start (finishing a move across file systems that was cut short); so nothing is lost and nothing is
 * taken twice.
 */
public final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final Path inbox;
    private final Path jobsDir;
    private final Jobs jobs;
    private final Clock clock;
    private final Mover mover;

    /** Moves a zip from where it was dropped to its job folder; a seam so that tests can fill the disk. */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

    public Intake(Path inbox, Path workDir, Jobs jobs, Clock clock) {
        this(inbox, workDir, jobs, clock, Moves::move);
    }

    Intake(Path inbox, Path workDir, Jobs jobs, Clock clock, Mover mover) {
        this.inbox = inbox;
        this.jobsDir = workDir.resolve("jobs");
        this.jobs = jobs;
        this.clock = clock;
        this.mover = mover;
    }

    /**
     * Owner of a job taken from the inbox until its container_config.json is read; not a valid user name, so no
     * user can act on such a job as its owner.
     */
    public static final String NOT_YET_KNOWN = Jobs.NOT_YET_KNOWN;

    /** Moves the zip into a new job folder and records a RECEIVED job. */
    public Job take(Path zip) throws IOException {
        return take(zip, inbox.relativize(zip).toString(), ownerOf(zip), NOT_YET_KNOWN);
    }

    /**
     * Takes a zip under the name it was given; {@code user} is the job's owner until its container_config.json
     * is read ({@link #NOT_YET_KNOWN} for zips from the inbox, the uploader for uploads).
     */
    public Job take(Path zip, String name, String owner, String user) throws IOException {
        Files.createDirectories(jobsDir);
        JobFolder folder = new JobFolder(Files.createDirectory(jobsDir.resolve(UUID.randomUUID().toString())));
        SourceInfo source = new SourceInfo(name, Path.of(name).getFileName().toString(), owner);
        try {
            source.write(folder.source());
            Files.writeString(folder.moving(), zip.toAbsolutePath().toString(), StandardCharsets.UTF_8);
            mover.move(zip, folder.zip());
            Files.delete(folder.moving());
        } catch (IOException e) {
            if (!Files.exists(folder.zip())) {
                // the zip is still where it was (or gone by the user's hand): no half job folder may stay behind
                Trees.deleteTree(folder.dir());
            }
            throw e;
        }
        return register(folder, source, user);
    }

    private Job register(JobFolder folder, SourceInfo source, String user) throws IOException {
        Job job = jobs.insert(Job.builder()
                .name(source.baseName())
                .user(user)
                .state(JobState.RECEIVED)
                .submittedAt(clock.instant())
                .gpusRequested(0)
                .workDir(folder.dir().toString())
                .build(), "provider");
        Files.writeString(folder.idMarker(), Long.toString(job.id()));
        LOG.info("took {} as job {}", source.relativePath(), job.id());
        return job;
    }

    /**
     * Registers job folders whose zip was moved in but whose job row was never written (crash in between).
     * {@code known} are the work dirs of jobs that exist.
     */
    public List<Job> recoverOrphans(Set<String> known) throws IOException {
        List<Job> recovered = new ArrayList<>();
        if (!Files.isDirectory(jobsDir)) {
            return recovered;
        }
        Set<String> knownDirs = new HashSet<>(known);
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            for (Path dir : dirs.toList()) {
                JobFolder f = new JobFolder(dir);
                if (Files.exists(f.idMarker()) || knownDirs.contains(dir.toString())) {
                    continue;
                }
                finishInterruptedMove(f);
                if (!Files.exists(f.zip())) {
                    LOG.info("removing {}: its take was interrupted before the zip arrived", dir);
                    Trees.deleteTree(dir);
                    continue;
                }
                SourceInfo source = Files.exists(f.source()) ? SourceInfo.read(f.source())
                        : new SourceInfo("job.zip", "job.zip", "");
                LOG.info("recovering {} taken before a crash", source.relativePath());
                recovered.add(register(f, source, NOT_YET_KNOWN));
            }
        }
        return recovered;
    }

    /**
     * Across file systems a move is copy, then delete: a crash in between leaves the zip in both places. The copy
     * here is complete (it got its final name last), so the original goes, unless it is now a different file.
     */
    private static void finishInterruptedMove(JobFolder f) throws IOException {
        if (!Files.exists(f.moving())) {
            return;
        }
        Path from = Path.of(Files.readString(f.moving(), StandardCharsets.UTF_8).strip());
        if (Files.exists(f.zip()) && Files.isRegularFile(from) && Files.mismatch(from, f.zip()) == -1L) {
            LOG.info("finishing the interrupted move of {}", from);
            Files.delete(from);
        }
        Files.delete(f.moving());
    }

    /**
     * Moves a file that settled but never read as a zip to {@code failed/} next to a reason that says so; it is
     * not a job. Returns where it went.
     */
    public Path refuseNotAZip(Path file, Duration stableFor) throws IOException {
        String reason = "not a zip file (no central directory after " + stableFor.getSeconds() + " s)";
        String name = file.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4)
                : name;
        return new ShareWriter(inbox).quarantine(file, base, reason);
    }

    private static String ownerOf(Path zip) {
        try {
            return Files.getOwner(zip).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
