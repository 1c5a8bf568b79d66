# Shared by bench/*.sh and drills/*.sh: builds the server's shaded jar and the bench jar once, then copies both
# to a private folder so a rebuild by someone else during a long run cannot swap the jar under it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# need TOOL...: a fresh machine lacks some tools; say which (and the Debian package) instead of failing halfway.
need() {
  local t pkg missing=()
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 && continue
    case "$t" in
      java) pkg=openjdk-17-jdk-headless ;; mvn) pkg=maven ;; docker) pkg=docker.io ;; python3) pkg=python3 ;;
      busybox) pkg=busybox-static ;; *) pkg="$t" ;;
    esac
    missing+=("$t (apt-get install $pkg)")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'missing: %s\n' "${missing[@]}" >&2
    exit 2
  fi
}
need java mvn docker
OUT="${DOPQ_BENCH_DIR:-/tmp/dopq-bench-$$}"
mkdir -p "$OUT"
if [ -z "${DOPQ_BENCH_NO_BUILD:-}" ]; then
  # One reactor build (no install): works on a fresh clone, where nothing of dopq is in ~/.m2 yet.
  (cd "$ROOT" && mvn -B -q package -DskipTests -pl dopq-server,dopq-bench -am)
fi
cp "$ROOT/dopq-server/target/dopq-server.jar" "$OUT/dopq-server.jar"
cp "$ROOT/dopq-bench/target/dopq-bench.jar" "$OUT/dopq-bench.jar"
bench() { java -jar "$OUT/dopq-bench.jar" "$@"; }
echo "working in $OUT (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
