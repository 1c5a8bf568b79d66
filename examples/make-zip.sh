#!/usr/bin/env bash
# Makes examples/NAME.zip (NAME: hello, the default, or pipeline): the example's folder plus a static busybox,
# ready to drop into the folder of its user (executor_name "demo", listed in config.ini's valid_executors):
#   examples/make-zip.sh && cp examples/hello.zip shared-inbox/demo/
#   examples/make-zip.sh pipeline && cp examples/pipeline.zip shared-inbox/demo/
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="${1:-hello}"
if [ ! -f "$here/$name/container_config.json" ]; then
  echo "no example $name: use one of $(cd "$here" && ls -d */ | tr -d / | tr '\n' ' ')" >&2
  exit 2
fi
busybox="${BUSYBOX:-/usr/bin/busybox}"
if [ ! -x "$busybox" ] || ! grep -q 'not a dynamic' <<<"$(ldd "$busybox" 2>&1 || true)"; then
  echo "need a static busybox at $busybox (Debian: apt-get install busybox-static)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/$name/." "$work/"
cp "$busybox" "$work/busybox"
chmod 755 "$work/busybox" "$work"/*.sh
rm -f "$here/$name.zip"
# jar writes a plain zip with -M (no manifest); entries without Unix modes are extracted executable, as
# `docker build` does for contexts from Windows.
(cd "$work" && jar -cfM "$here/$name.zip" .)
echo "wrote $here/$name.zip"
