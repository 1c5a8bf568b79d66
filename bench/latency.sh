#!/usr/bin/env bash
# Benchmark 3: drop-to-start latency on an idle server with a cached image, against `docker run -d`.
# Usage: bench/latency.sh [samples=15]
source "$(dirname "$0")/common.sh"
bench latency "$OUT/dopq-server.jar" "$OUT/latency" "${1:-15}"
