#!/usr/bin/env bash
# Benchmark 5: 50 concurrent RMI clients calling status, queue (first 100) and history(100) against 10,000 queued and
# 1,000,000 finished jobs, against the same load on an empty server. Prints p50/p99 and the server heap.
# Usage: bench/api.sh [clients=50] [rounds=20] [queued=10000] [finished=1000000]
source "$(dirname "$0")/common.sh"
bench api "$OUT/dopq-server.jar" "$OUT/api" "${1:-50}" "${2:-20}" "${3:-10000}" "${4:-1000000}"
