package dev.dopq.bench.sched;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PenaltyPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The scheduling benchmark's world: {@code users} users, {@code queued} QUEUED jobs spread over them, a
 * {@code finished}-job history, 4 GPUs of which 3 run jobs and 1 is free. Deterministic (fixed seed), so the
 * subject and the baseline decide over the same data.
 */
public final class SchedulingWorkload {
    /** Decision time; all history lies before it. */
    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final List<Job> queued;
    private final List<Job> running;
    private final List<String> free;
    private final History history;

    /** The finished jobs in compact columns (a million {@link Job} records would dominate the heap). */
    public record History(int[] user, long[] finishedAtSecond, double[] gpuSeconds, String[] userNames) {
        public int size() {
            return user.length;
        }
    }

    private SchedulingWorkload(List<Job> queued, List<Job> running, List<String> free, History history) {
        this.queued = queued;
        this.running = running;
        this.free = free;
        this.history = history;
    }

    /**
     * @param users    distinct users
     * @param queued   queued jobs (about 1 in 10 asks for 2 GPUs, the rest for 1)
     * @param finished finished jobs in the history, oldest first, one per 30 s before {@link #NOW}
     */
    public static SchedulingWorkload create(int users, int queued, int finished) {
        Random random = new Random(42);
        String[] names = new String[users];
        for (int u = 0; u < users; u++) {
            names[u] = "user" + u;
        }
        List<Job> queue = new ArrayList<>(queued);
        for (int i = 0; i < queued; i++) {
            queue.add(Job.builder().id(2_000_000L + i).user(names[random.nextInt(users)]).state(JobState.QUEUED)
                    .gpusRequested(random.nextInt(10) == 0 ? 2 : 1)
                    .submittedAt(NOW.minusSeconds(queued - i)).image("bench:latest").build());
        }
        List<Job> run = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            run.add(Job.builder().id(1_900_000L + g).user(names[g]).state(JobState.RUNNING).gpusRequested(1)
                    .gpus(List.of(String.valueOf(g))).startedAt(NOW.minusSeconds(600L * (g + 1)))
                    .timeout(g == 0 ? null : Duration.ofHours(2)).build());
        }
        int[] user = new int[finished];
        long[] at = new long[finished];
        double[] gpuSeconds = new double[finished];
        long first = NOW.getEpochSecond() - 30L * finished;
        for (int i = 0; i < finished; i++) {
            user[i] = random.nextInt(users);
            at[i] = first + 30L * i;
            gpuSeconds[i] = (1 + random.nextInt(2)) * (60.0 + random.nextInt(3600));
        }
        return new SchedulingWorkload(List.copyOf(queue), List.copyOf(run), List.of("3"),
                new History(user, at, gpuSeconds, names));
    }

    /** A policy of the given kind ("usage" or "dopq") fed with the whole history, as the server's replay does. */
    public PenaltyPolicy replayedPolicy(String kind) {
        PenaltyPolicy policy = PenaltyPolicy.named(kind, Duration.ofHours(24), 0.1);
        History h = history;
        for (int i = 0; i < h.size(); i++) {
            Instant finishedAt = Instant.ofEpochSecond(h.finishedAtSecond()[i]);
            int gpus = h.gpuSeconds()[i] > 3660 ? 2 : 1;
            long seconds = Math.round(h.gpuSeconds()[i] / gpus);
            Job job = Job.builder().id(i + 1L).user(h.userNames()[h.user()[i]]).state(JobState.SUCCEEDED)
                    .gpusRequested(gpus).startedAt(finishedAt.minusSeconds(seconds)).finishedAt(finishedAt).build();
            policy.onFinished(job, finishedAt);
        }
        for (Job job : running) {
            policy.onStarted(job, job.startedAt());
        }
        return policy;
    }

    public List<Job> queued() {
        return queued;
    }

    public List<Job> running() {
        return running;
    }

    public List<String> free() {
        return free;
    }

    public History history() {
        return history;
    }
}
