package dev.dopq.server.provider;

import dev.dopq.server.files.Trees;
import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.files.Moves;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.LinkRefusedException;
import dev.dopq.server.files.SafeFiles;
import dev.dopq.server.core.Job;
import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.UserNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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

    /** Moves the zip into a new job folder and records a RECEIVED job. */
    public Job take(Path zip) throws IOException {
        SourceInfo source = SourceInfo.share(inbox.relativize(zip).toString(), ownerOf(zip), uidOf(zip));
        return take(zip, source, null);
    }

    /** Takes a zip uploaded by {@code uploader}, who owns the job from the start. */
    public Job takeUpload(Path zip, String name, String uploader) throws IOException {
        return take(zip, SourceInfo.upload(name, uploader), uploader);
    }

    /**
     * Takes a zip; {@code user} is the job's owner until its container_config.json is read (null, not known
     * yet, for zips from the inbox, the uploader for uploads). Job folders are the server's alone (0700): extracted
     * files are never readable by other users of the machine.
     */
    private Job take(Path zip, SourceInfo source, String user) throws IOException {
        Files.createDirectories(jobsDir);
        JobFolder folder = new JobFolder(Files.createDirectory(jobsDir.resolve(UUID.randomUUID().toString()),
                ownerOnly()));
        Files.setPosixFilePermissions(folder.dir(), SafeFiles.OWNER_DIR);
        if (Files.isSymbolicLink(zip)) {
            Trees.deleteTree(folder.dir());
            throw new LinkRefusedException(zip, "is a link");
        }
        try {
            source.write(folder.source());
            Files.writeString(folder.moving(), zip.toAbsolutePath().toString(), StandardCharsets.UTF_8, dev.dopq.server.files.JobFolder.noLinks());
            mover.move(zip, folder.zip());
            if (Files.isSymbolicLink(folder.zip())) {
                // swapped for a link after the check above: what it points to is not the user's to hand in
                Files.delete(folder.zip());
                throw new LinkRefusedException(zip, "became a link while it was taken");
            }
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
        Files.writeString(folder.idMarker(), Long.toString(job.id()), dev.dopq.server.files.JobFolder.noLinks());
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
                recovered.add(register(f, source, null));
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
     * Moves a file that settled but never read as a zip to {@code failed/} next to a reason that says so (its
     * user's {@code <inbox>/<user>/failed/} when it lies in a user's folder, written link-safe); it is not a job. Returns where it went.
     */
    public Path refuseNotAZip(Path file, Duration stableFor) throws IOException {
        String reason = "not a zip file (no central directory after " + stableFor.getSeconds() + " s)";
        String name = file.getFileName().toString();
        String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4)
                : name;
        return new ShareWriter(inbox).quarantine(file, folderUser(file), base, reason);
    }

    /**
     * The user whose folder {@code <inbox>/<user>/} holds {@code file} directly, or null when it lies at the top of
     * the inbox or deeper (its failed/ is then the top one).
     */
    private String folderUser(Path file) {
        Path rel = inbox.relativize(file);
        if (rel.getNameCount() != 2) {
            return null;
        }
        String folder = rel.getName(0).toString();
        return UserNames.isValid(folder) && !SafeFiles.isLink(inbox.resolve(folder)) ? UserNames.normalize(folder)
                : null;
    }

    private static String ownerOf(Path zip) {
        try {
            return Files.getOwner(zip, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static long uidOf(Path zip) {
        try {
            return ((Number) Files.getAttribute(zip, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return SourceInfo.NO_UID;
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(SafeFiles.OWNER_DIR);
    }
}
