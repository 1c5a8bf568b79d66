package dev.dopq.server.provider;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.service.Submissions;
import dev.dopq.server.service.ServerStoppingException;
import dev.dopq.server.util.Deadline;
import dev.dopq.server.util.WorkerLoop;
import dev.dopq.server.util.Workers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;

/**
 * The {@code dopq-provider} thread: notices settled zips in the inbox, takes them, and hands them to a small
 * build pool so that one long build never stops intake of the others.
 */
public final class Provider implements Submissions {
    private static final Logger LOG = LoggerFactory.getLogger(Provider.class);
    /** Jobs that may wait for a build thread; beyond it zips wait in the inbox and uploads are refused. */
    static final int BUILD_QUEUE = 100_000;
    /** The build slot share of jobs whose owner is not known yet and whose inbox folder cannot be read. */
    private static final String UNKNOWN_BUILDER = "(unknown)";

    private final InboxScanner scanner;
    private final Intake intake;
    private final JobPreparer preparer;
    private final Jobs jobs;
    private final Path inbox;
    private final DiskRoom room;
    private final WorkerLoop loop;
    private final InboxWatch watch;
    private final BuildSlots builds;
    /** Held (shared) while a job is recorded and handed to the builds, (exclusively) when intake closes. */
    private final ReadWriteLock intakeGate = new ReentrantReadWriteLock();
    private boolean closed;
    private volatile String intakeProblem;
    /** What the last published problem was about (which zips, which cause), to log a cause once, not per scan. */
    private List<String> problemKeys = List.of();

    public Provider(InboxScanner scanner, Intake intake, JobPreparer preparer, Jobs jobs, Path inbox, Path workDir,
                    long minFreeBytes, Duration rescan, int buildThreads) {
        this(scanner, intake, preparer, jobs, inbox, new DiskRoom(workDir, minFreeBytes,
                DiskRoom.FreeSpace.ofFileStore()), rescan, buildThreads);
    }

    Provider(InboxScanner scanner, Intake intake, JobPreparer preparer, Jobs jobs, Path inbox, DiskRoom room,
             Duration rescan, int buildThreads) {
        this.scanner = scanner;
        this.intake = intake;
        this.preparer = preparer;
        this.jobs = jobs;
        this.inbox = inbox;
        this.room = room;
        this.loop = new WorkerLoop("dopq-provider", rescan, this::scanOnce);
        this.watch = new InboxWatch(inbox, loop::signal);
        this.builds = new BuildSlots(new Workers("dopq-build", buildThreads, buildThreads), buildThreads, BUILD_QUEUE);
    }

    /** Resumes jobs caught before QUEUED by a stop or crash, then starts scanning. */
    public void start() throws IOException {
        List<Job> unfinished = jobs.active().inStates(EnumSet.of(JobState.RECEIVED, JobState.BUILDING));
        Set<String> known = unfinished.stream().map(Job::workDir).collect(Collectors.toSet());
        for (Job job : intake.recoverOrphans(known)) {
            submit(job.id());
        }
        for (Job job : unfinished) {
            LOG.info("resuming job {} ({}) from its kept zip", job.id(), job.state());
            submit(job.id());
        }
        watch.start();
        loop.start();
    }

    /** Takes one uploaded zip (already written to {@code zip} outside the inbox) through the same pipeline. */
    @Override
    public Job takeUpload(Path zip, String fileName, String uploader) throws IOException {
        intakeGate.readLock().lock();
        try {
            if (closed) {
                throw new ServerStoppingException("the server is shutting down; submit again once it is back");
            }
            if (!builds.hasRoom()) {
                throw new ServerStoppingException(BUILD_QUEUE + " jobs wait for a build already; submit again later");
            }
            Job job = intake.takeUpload(zip, fileName, uploader);
            submit(job.id());
            return job;
        } finally {
            intakeGate.readLock().unlock();
        }
    }

    /** Null when intake works; otherwise why zips wait in the inbox. */
    @Override
    public String intakeProblem() {
        return intakeProblem;
    }

    /** One problem with intake: {@code key} names its cause and zip (stable while it lasts), {@code text} tells it. */
    private record Note(String key, String text) {
    }

    /** One pass: takes every settled zip that fits in the work dir; the others wait with a published reason. */
    void scanOnce() throws IOException {
        List<Path> ready = scanner.settled();
        List<Note> notes = new ArrayList<>();
        if (!ready.isEmpty()) {
            String below = room.belowMinFree(room.free(), ready.size());
            if (below != null) {
                notes.add(new Note("below min_free", below));
            } else {
                takeAll(ready, notes);
            }
        }
        List<Path> unreadable = refuseUnreadable(scanner.unreadable());
        if (!unreadable.isEmpty()) {
            notes.add(new Note("unreadable " + unreadable, unreadableNote(unreadable)));
        }
        report(notes);
    }

    /**
     * Files that settled long ago and still are not zips go to {@code failed/} with a reason, so the user who
     * dropped them learns why; returns those that stay in the status note: zips whose copy stopped half-way (they
     * begin like a zip and may still be completed) and files that could not be moved.
     */
    private List<Path> refuseUnreadable(List<Path> unreadable) {
        List<Path> left = new ArrayList<>();
        for (Path file : unreadable) {
            if (startsLikeZip(file)) {
                // a copy that stopped half-way may still resume: it stays, and the status note tells of it
                left.add(file);
                continue;
            }
            try {
                Path moved = intake.refuseNotAZip(file, scanner.unreadablePatience());
                scanner.forget(file);
                LOG.info("{} is not a zip file; moved to {}", inbox.relativize(file), moved);
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not move {}, which is not a zip, to failed/: {}", file, e.toString());
                left.add(file);
            }
        }
        return left;
    }

    private void takeAll(List<Path> ready, List<Note> notes) throws IOException {
        for (Path zip : ready) {
            if (!builds.hasRoom()) {
                notes.add(new Note("builds full", BUILD_QUEUE + " jobs wait for a build; the other zips wait"));
                return;
            }
            long size;
            try {
                size = Files.size(zip);
            } catch (IOException vanished) {
                continue; // removed by its owner since the scan; the next scan forgets it
            }
            long free = room.free();
            String name = inbox.relativize(zip).toString();
            if (!room.fits(size, free)) {
                notes.add(new Note("no room " + name, room.noRoomFor(name, size, free)));
                continue;
            }
            try {
                Job job = intake.take(zip);
                scanner.forget(zip);
                submit(job.id());
            } catch (IOException e) {
                if (!DiskRoom.isNoSpace(e)) {
                    LOG.error("could not take {}; will retry on the next scan", zip, e);
                    continue;
                }
                LOG.debug("taking {} ran out of disk: {}", zip, e.toString());
                notes.add(new Note("no room " + name, room.noRoomFor(name, size, room.free())));
            } catch (RuntimeException e) {
                LOG.error("could not take {}; will retry on the next scan", zip, e);
            }
        }
    }

    /** Publishes why zips wait (for {@code status}), logging each new cause once rather than on every scan. */
    private void report(List<Note> notes) {
        List<String> keys = notes.stream().map(Note::key).toList();
        String problem = notes.isEmpty() ? null : notes.stream().map(Note::text).collect(Collectors.joining("; "));
        if (!keys.equals(problemKeys)) {
            if (problem != null) {
                LOG.warn("{}", problem);
            } else {
                LOG.info("intake works again: no zip waits in the inbox for a reason");
            }
            problemKeys = keys;
        }
        intakeProblem = problem;
    }

    /** Whether the file begins with a zip entry's signature ({@code PK\3\4}): a zip whose copy has not ended. */
    static boolean startsLikeZip(Path file) {
        byte[] head = new byte[4];
        try (java.io.InputStream in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(head, 0, 4) == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    private String unreadableNote(List<Path> unreadable) {
        String names = unreadable.stream().limit(3).map(p -> inbox.relativize(p).toString())
                .collect(Collectors.joining(", "));
        String more = unreadable.size() > 3 ? " and " + (unreadable.size() - 3) + " more" : "";
        boolean one = unreadable.size() == 1;
        return names + more + (one ? " has" : " have") + " not changed for a while but " + (one ? "is" : "are")
                + " not a readable zip (an interrupted copy or a damaged file?); copy " + (one ? "it" : "them")
                + " again or remove " + (one ? "it" : "them");
    }

    /** Hands a recorded job to the builds; one that finds them closed or full resumes at the next start. */
    private void submit(long jobId) {
        builds.submit(builder(jobId), () -> preparer.prepare(jobId));
    }

    /**
     * Whose build slot share a job counts against: its user, or before its spec is read, the user folder it came
     * from in the inbox (else the zip file's owner).
     */
    private String builder(long jobId) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null) {
            return UNKNOWN_BUILDER;
        }
        if (job.ownerKnown()) {
            return job.user();
        }
        try {
            SourceInfo source = SourceInfo.read(JobFolder.of(job.workDir()).source());
            int slash = source.relativePath().indexOf('/');
            return slash > 0 ? source.relativePath().substring(0, slash) : "owner:" + source.owner();
        } catch (IOException | RuntimeException e) {
            return UNKNOWN_BUILDER;
        }
    }

    public void signal() {
        loop.signal();
    }

    public void stop(Duration timeout) {
        stop(Deadline.after(timeout));
    }

    /**
     * Closes intake first (an upload that arrives now is refused before anything is recorded; one being recorded
     * finishes), stops scanning, and interrupts the builds, waiting for them until {@code deadline}; unfinished
     * ones resume from their kept zips on the next start.
     */
    public void stop(Deadline deadline) {
        intakeGate.writeLock().lock();
        try {
            closed = true;
        } finally {
            intakeGate.writeLock().unlock();
        }
        watch.stop();
        loop.stop(deadline);
        builds.stop(deadline);
    }
}
