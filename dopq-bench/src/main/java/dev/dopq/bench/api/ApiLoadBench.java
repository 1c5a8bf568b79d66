package dev.dopq.bench.api;

import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.QueueQuery;
import dev.dopq.bench.Out;
import dev.dopq.bench.harness.ServerProcess;
import dev.dopq.bench.harness.Stats;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * API under load: {@code clients} concurrent clients, each with its own session, calling status, queue (first
 * page of 100) and history (limit 100) in turn over real RMI, against a server holding {@code queued} queued and {@code finished}
 * finished jobs; baseline: the same load against an empty server in the same run. Prints p50/p99 per call and
 * the server's heap after a full GC.
 */
public final class ApiLoadBench {
    private static final String[] CALLS = {"status", "queue", "history"};
    /** Page size of queue and history: what a client showing a screenful asks for. */
    private static final int PAGE = 100;

    private final Path jar;
    private final Path root;
    private final int clients;
    private final int rounds;
    private final int queued;
    private final int finished;

    public ApiLoadBench(Path jar, Path root, int clients, int rounds, int queued, int finished) {
        this.jar = jar;
        this.root = root;
        this.clients = clients;
        this.rounds = rounds;
        this.queued = queued;
        this.finished = finished;
    }

    public void run() throws Exception {
        Result empty = measure(root.resolve("empty"), 0, 0);
        Result full = measure(root.resolve("full"), queued, finished);
        for (String call : CALLS) {
            double b = Stats.percentile(empty.latencies.get(call), 99);
            double d = Stats.percentile(full.latencies.get(call), 99);
            Out.line("RESULT api %s: p50 %.1f ms, p99 %.1f ms with %d queued + %d finished; empty server p50 %.1f ms,"
                    + " p99 %.1f ms; p99 ratio %.1fx", call, Stats.median(full.latencies.get(call)), d, queued,
                    finished, Stats.median(empty.latencies.get(call)), b, d / b);
        }
        List<Double> all = new ArrayList<>();
        full.latencies.values().forEach(all::addAll);
        Out.line("RESULT api all calls: p50 %.1f ms, p99 %.1f ms, %d calls by %d clients; server heap after GC %d MiB"
                + " (empty server %d MiB); server start with the seeded database %.1f s", Stats.median(all),
                Stats.percentile(all, 99), all.size(), clients, full.heapMiB, empty.heapMiB, full.startSeconds);
    }

    private record Result(Map<String, List<Double>> latencies, long heapMiB, double startSeconds) {
    }

    private Result measure(Path dir, int queuedJobs, int finishedJobs) throws Exception {
        // every client is a session of admin: allow them all ([api] max_sessions is 8 per user by default)
        ServerProcess server = ServerProcess.configure(jar, dir, "0,1,2,3", "", List.of())
                .api("max_sessions", String.valueOf(clients + 10));
        if (queuedJobs + finishedJobs > 0) {
            Instant seeding = Instant.now();
            HistorySeeder.seed(server.database(), finishedJobs, queuedJobs, 100);
            Out.line("seeded %d finished + %d queued jobs in %.1f s", finishedJobs, queuedJobs,
                    Duration.between(seeding, Instant.now()).toMillis() / 1000.0);
        }
        double firstStart = -1;
        if (queuedJobs + finishedJobs > 0) {
            // the first start replays the whole seeded history and saves a penalty snapshot at its clean stop
            try (server) {
                Instant t0 = Instant.now();
                server.start(Duration.ofMinutes(10));
                firstStart = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
            }
            Out.line("first start with the seeded database (no penalty snapshot yet) %.1f s", firstStart);
        }
        try (server) {
            Instant t0 = Instant.now();
            server.start(Duration.ofMinutes(10));
            double startSeconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
            if (firstStart >= 0) {
                Out.line("RESULT api start with %d finished: %.1f s from the penalty snapshot; first start (whole"
                        + " history) %.1f s", finishedJobs, startSeconds, firstStart);
            }
            server.admin().lock();
            Map<String, List<Double>> latencies = load(server);
            return new Result(latencies, server.heapAfterGcMiB(), startSeconds);
        }
    }

    private Map<String, List<Double>> load(ServerProcess server) throws Exception {
        Map<String, List<Double>> latencies = new TreeMap<>();
        for (String call : CALLS) {
            latencies.put(call, Collections.synchronizedList(new ArrayList<>()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                DopqSession session = server.admin();
                done.add(pool.submit(() -> {
                    client(session, latencies);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return latencies;
    }

    /** Two unmeasured warm-up rounds, then {@code rounds} measured rounds of the three calls. */
    private void client(DopqSession session, Map<String, List<Double>> latencies) throws Exception {
        for (int r = 0; r < rounds + 2; r++) {
            for (String call : CALLS) {
                long t0 = System.nanoTime();
                switch (call) {
                    case "status" -> session.status();
                    case "queue" -> session.queue(QueueQuery.head(PAGE));
                    default -> session.history(HistoryQuery.latest(PAGE));
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                if (r >= 2) {
                    latencies.get(call).add(ms);
                }
            }
        }
    }
}
