#!/usr/bin/env bash
# Makes examples/hello.zip: the hello job plus a static busybox, ready to drop into the folder of its user
# (executor_name "demo", listed in config.ini's valid_executors):
#   examples/make-zip.sh && cp examples/hello.zip shared-inbox/demo/
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
busybox="${BUSYBOX:-/usr/bin/busybox}"
if [ ! -x "$busybox" ] || ! grep -q 'not a dynamic' <<<"$(ldd "$busybox" 2>&1 || true)"; then
  echo "need a static busybox at $busybox (Debian: apt-get install busybox-static)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/hello/." "$work/"
cp "$busybox" "$work/busybox"
chmod 755 "$work/busybox" "$work/hello.sh"
rm -f "$here/hello.zip"
# jar writes a plain zip with -M (no manifest); entries without Unix modes are extracted executable, as
# `docker build` does for contexts from Windows.
(cd "$work" && jar -cfM "$here/hello.zip" .)
echo "wrote $here/hello.zip"
