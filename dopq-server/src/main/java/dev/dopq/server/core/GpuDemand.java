package dev.dopq.server.core;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many queued GPU jobs ask how many GPUs, and with which timeouts: lets a dispatch stop walking the queue
 * as soon as no job further down could start, instead of visiting all of it.
 */
final class GpuDemand {
    private final TreeMap<Integer, Integer> byGpus = new TreeMap<>();
    private final Map<Integer, TreeMap<Duration, Integer>> timedByGpus = new HashMap<>();
    private final TreeMap<Long, Integer> sharingByBytes = new TreeMap<>();

    void add(Job job) {
        if (job.cpuOnly()) {
            return;
        }
        if (job.sharesGpu()) {
            sharingByBytes.merge(job.gpuMemory(), 1, Integer::sum);
        }
        byGpus.merge(job.gpusRequested(), 1, Integer::sum);
        if (job.timeout() != null) {
            timedByGpus.computeIfAbsent(job.gpusRequested(), g -> new TreeMap<>()).merge(job.timeout(), 1,
                    Integer::sum);
        }
    }

    void remove(Job job) {
        if (job.cpuOnly()) {
            return;
        }
        if (job.sharesGpu()) {
            decrement(sharingByBytes, job.gpuMemory());
        }
        decrement(byGpus, job.gpusRequested());
        if (job.timeout() != null) {
            TreeMap<Duration, Integer> timed = timedByGpus.get(job.gpusRequested());
            decrement(timed, job.timeout());
            if (timed.isEmpty()) {
                timedByGpus.remove(job.gpusRequested());
            }
        }
    }

    private static <K> void decrement(Map<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    boolean anyAsking(int maxGpus, Collection<Job> except) {
        for (Map.Entry<Integer, Integer> e : byGpus.headMap(maxGpus, true).entrySet()) {
            int gpus = e.getKey();
            long excluded = except.stream().filter(j -> !j.cpuOnly() && j.gpusRequested() == gpus).count();
            if (e.getValue() > excluded) {
                return true;
            }
        }
        return false;
    }

    boolean anyTimedAsking(int maxGpus, Duration maxTimeout, Collection<Job> except) {
        for (int gpus : byGpus.headMap(maxGpus, true).keySet()) {
            TreeMap<Duration, Integer> timed = timedByGpus.get(gpus);
            if (timed == null) {
                continue;
            }
            // Each entry is either still wanted (true) or used up by excepted jobs, so this visits few entries.
            for (Map.Entry<Duration, Integer> e : timed.headMap(maxTimeout, true).entrySet()) {
                long excluded = except.stream().filter(j -> !j.cpuOnly() && j.gpusRequested() == gpus
                        && e.getKey().equals(j.timeout())).count();
                if (e.getValue() > excluded) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean anySharing(long maxBytes, Collection<Job> except) {
        for (Map.Entry<Long, Integer> e : sharingByBytes.headMap(maxBytes, true).entrySet()) {
            long bytes = e.getKey();
            long excluded = except.stream().filter(j -> j.sharesGpu() && j.gpuMemory() == bytes).count();
            if (e.getValue() > excluded) {
                return true;
            }
        }
        return false;
    }
}
