#!/usr/bin/env bash
# Crash drill: 30 jobs (building, queued, running, finishing), the server process killed with kill -9 at 10
# random moments and restarted each time. Prints PASS/FAIL with jobs lost, run twice, containers orphaned and
# wrong exit codes (all must be 0). Usage: drills/crash.sh [jobs=30] [kills=10]
source "$(dirname "$0")/../bench/common.sh"
bench crash-drill "$OUT/dopq-server.jar" "$OUT/crash" "${1:-30}" "${2:-10}"
