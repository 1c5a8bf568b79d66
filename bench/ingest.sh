#!/usr/bin/env bash
# Benchmark 4: a 200 MB context of 2,000 files: extraction + context + build, against unzip + docker build.
# Usage: bench/ingest.sh [files=2000] [file_bytes=100000] [rounds=2]   (needs about 1.5 GB free in the folder)
source "$(dirname "$0")/common.sh"
need unzip
bench ingest "$OUT/dopq-server.jar" "$OUT/ingest" "${1:-2000}" "${2:-100000}" "${3:-2}"
