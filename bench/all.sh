#!/usr/bin/env bash
# Every benchmark, one after the other (about 20 minutes on a quiet 2-core machine), results in $OUT/*.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DOPQ_BENCH_DIR="${DOPQ_BENCH_DIR:-/tmp/dopq-bench-all-$$}"
"$here/scheduling.sh"
export DOPQ_BENCH_NO_BUILD=1
for b in latency throughput ingest api; do
  "$here/$b.sh" | tee "$DOPQ_BENCH_DIR/$b.txt"
done
grep -h '^RESULT' "$DOPQ_BENCH_DIR"/*.txt
