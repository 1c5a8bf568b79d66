package dev.dopq.bench.sched;

import dev.dopq.server.core.Decision;
import dev.dopq.server.core.Dispatch;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.QueueIndex;
import dev.dopq.server.core.Scheduler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One scheduling decision with 10,000 queued jobs of 100 users and 1,000,000 finished jobs behind them.
 * <ul>
 *   <li>{@code decide}: the server's {@link Scheduler#decide} (full order, placements and a waiting reason for
 *       every queued job) with the incrementally maintained {@link PenaltyPolicy};</li>
 *   <li>{@code next}: only the job at the head of the order ({@link Scheduler#next}), handed the queue as a list;</li>
 *   <li>{@code indexNext}: the same job from the server's {@link QueueIndex} (built once in the set-up, as the
 *       server keeps it between decisions): one penalty lookup per user with queued jobs;</li>
 *   <li>{@code indexDispatch}: what the queue thread does per iteration, {@link Scheduler#dispatch} over the
 *       index with the workload's 1 free GPU: the same starts and held GPUs as {@code decide}, walking the lazy
 *       start order only as far as a job could start;</li>
 *   <li>{@code indexRemovePut}: the upkeep, one job removed from the index and put back (a start and an
 *       enqueue);</li>
 *   <li>{@code dopqWay}: the baseline, {@link DopqWayScheduler}.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SchedulingBenchmark {
    @Param({"10000"})
    public int queued;
    @Param({"1000000"})
    public int finished;
    @Param({"100"})
    public int users;
    @Param({"usage", "dopq"})
    public String policy;

    private SchedulingWorkload world;
    private PenaltyPolicy penalties;
    private DopqWayScheduler baseline;
    private QueueIndex index;
    private int upkeepCursor;
    private final Scheduler scheduler = new Scheduler();

    @Setup(Level.Trial)
    public void setUp() {
        world = SchedulingWorkload.create(users, queued, finished);
        penalties = world.replayedPolicy(policy);
        baseline = new DopqWayScheduler(world.history());
        index = new QueueIndex();
        world.queued().forEach(index::put);
    }

    @Benchmark
    public Decision decide() {
        return scheduler.decide(world.queued(), world.running(), world.free(), penalties, SchedulingWorkload.NOW,
                false);
    }

    @Benchmark
    public Job next() {
        return scheduler.next(world.queued(), penalties, SchedulingWorkload.NOW).orElseThrow();
    }

    @Benchmark
    public Job indexNext() {
        return index.next(penalties, SchedulingWorkload.NOW).orElseThrow();
    }

    @Benchmark
    public Dispatch indexDispatch() {
        return scheduler.dispatch(index, world.running(), world.free(), penalties, SchedulingWorkload.NOW);
    }

    @Benchmark
    public int indexRemovePut() {
        Job job = world.queued().get(upkeepCursor);
        upkeepCursor = (upkeepCursor + 1) % world.queued().size();
        index.remove(job.id());
        index.put(job);
        return index.size();
    }

    @Benchmark
    public List<Job> dopqWay() {
        return baseline.order(world.queued(), policy, SchedulingWorkload.NOW);
    }
}
