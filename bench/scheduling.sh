#!/usr/bin/env bash
# Benchmark 1: one scheduling decision with 10,000 queued jobs of 100 users and 1,000,000 finished jobs (JMH).
# Extra arguments go to JMH, e.g. bench/scheduling.sh -wi 1 -i 2 for a quick look.
source "$(dirname "$0")/common.sh"
bench scheduling SchedulingBenchmark -rf json -rff "$OUT/scheduling.json" "$@" | tee "$OUT/scheduling.txt"
grep -E '^SchedulingBenchmark\.[a-zA-Z]+(:p0\.50)? ' "$OUT/scheduling.txt" || true
