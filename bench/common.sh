# Shared by bench/*.sh and drills/*.sh: builds the server's shaded jar and the bench jar once, then copies both
# to a private folder so a rebuild by someone else during a long run cannot swap the jar under it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${DOPQ_BENCH_DIR:-/tmp/dopq-bench-$$}"
mkdir -p "$OUT"
if [ -z "${DOPQ_BENCH_NO_BUILD:-}" ]; then
  (cd "$ROOT" && mvn -B -q -o install -DskipTests -pl dopq-client,docker-helper,container-handler,dopq-server \
     && mvn -B -q -o package -pl dopq-bench)
fi
cp "$ROOT/dopq-server/target/dopq-server.jar" "$OUT/dopq-server.jar"
cp "$ROOT/dopq-bench/target/dopq-bench.jar" "$OUT/dopq-bench.jar"
bench() { java -jar "$OUT/dopq-bench.jar" "$@"; }
echo "working in $OUT (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
