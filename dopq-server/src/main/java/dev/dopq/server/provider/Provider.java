package dev.dopq.server.provider;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.util.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The {@code dopq-provider} thread: notices settled zips in the inbox, takes them, and hands them to a small
 * build pool so that one long build never stops intake of the others.
 */
public final class Provider {
    private static final Logger LOG = LoggerFactory.getLogger(Provider.class);

    private final InboxScanner scanner;
    private final Intake intake;
    private final JobPreparer preparer;
    private final Jobs jobs;
    private final Path inbox;
    private final Path workDir;
    private final long minFreeBytes;
    private final WorkerLoop loop;
    private final InboxWatch watch;
    private final ExecutorService builds;
    private volatile String intakeProblem;

    public Provider(InboxScanner scanner, Intake intake, JobPreparer preparer, Jobs jobs, Path inbox, Path workDir,
                    long minFreeBytes, Duration rescan, int buildThreads) {
        this.scanner = scanner;
        this.intake = intake;
        this.preparer = preparer;
        this.jobs = jobs;
        this.inbox = inbox;
        this.workDir = workDir;
        this.minFreeBytes = minFreeBytes;
        this.loop = new WorkerLoop("dopq-provider", rescan, this::scanOnce);
        this.watch = new InboxWatch(inbox, loop::signal);
        this.builds = Executors.newFixedThreadPool(buildThreads, named("dopq-build-"));
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
    public Job takeUpload(Path zip, String fileName, String uploader) throws IOException {
        Job job = intake.take(zip, fileName, uploader, uploader);
        submit(job.id());
        return job;
    }

    /** Null when intake works; otherwise why zips wait in the inbox. */
    public String intakeProblem() {
        return intakeProblem;
    }

    private void scanOnce() throws IOException {
        List<Path> ready = scanner.settled();
        String diskProblem = ready.isEmpty() ? null : diskProblem(ready.size());
        report(diskProblem, scanner.unreadable());
        if (diskProblem != null) {
            return;
        }
        for (Path zip : ready) {
            try {
                Job job = intake.take(zip);
                scanner.forget(zip);
                submit(job.id());
            } catch (IOException | RuntimeException e) {
                LOG.error("could not take {}; will retry on the next scan", zip, e);
            }
        }
    }

    /** Null when the work dir has room for more zips. */
    private String diskProblem(int waiting) throws IOException {
        Files.createDirectories(workDir);
        long free = Files.getFileStore(workDir).getUsableSpace();
        if (free >= minFreeBytes) {
            return null;
        }
        return "intake paused: " + (free >> 20) + " MiB free in the work dir, below min_free ("
                + (minFreeBytes >> 20) + " MiB); " + waiting + " zip(s) wait in the inbox";
    }

    /** Publishes why zips wait (for {@code status}), logging each new explanation once. */
    private void report(String diskProblem, List<Path> unreadable) {
        List<String> problems = new ArrayList<>();
        if (diskProblem != null) {
            problems.add(diskProblem);
        }
        if (!unreadable.isEmpty()) {
            problems.add(unreadableNote(unreadable));
        }
        String problem = problems.isEmpty() ? null : String.join("; ", problems);
        if (!Objects.equals(problem, intakeProblem)) {
            if (problem != null) {
                LOG.warn("{}", problem);
            } else {
                LOG.info("intake works again: no zip waits in the inbox for a reason");
            }
        }
        intakeProblem = problem;
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

    private void submit(long jobId) {
        builds.execute(() -> preparer.prepare(jobId));
    }

    public void signal() {
        loop.signal();
    }

    /** Stops scanning and lets running builds end (bounded); unfinished ones resume on the next start. */
    public void stop(Duration timeout) {
        watch.stop();
        loop.stop(timeout);
        builds.shutdownNow();
        try {
            if (!builds.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("builds still running after {}; they resume on the next start", timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
