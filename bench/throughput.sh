#!/usr/bin/env bash
# Benchmark 2: 100 jobs running `true` on 4 declared GPUs, zips appearing to last job recorded, against
# `xargs -P4 docker run --rm` of the same containers. Usage: bench/throughput.sh [jobs=100] [rounds=2]
source "$(dirname "$0")/common.sh"
need xargs
bench throughput "$OUT/dopq-server.jar" "$OUT/throughput" "${1:-100}" "${2:-2}"
