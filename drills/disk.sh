#!/usr/bin/env bash
# Disk drill (root: mounts a tmpfs). The server's work dir (<state>/work) is a 64 MB tmpfs with min_free = 16m.
#  1. The tmpfs is filled to below min_free: 10 zips dropped now must wait in the inbox (none taken, none lost).
#  2. The filler goes: intake resumes and all 10 jobs succeed.
#  3. The tmpfs is filled again leaving just over min_free, and a zip bigger than what is left is dropped: it
#     must stay in the inbox (or end with a reason), never vanish, and be taken with the next one once space
#     returns.
# Prints PASS/FAIL with counts. Usage: drills/disk.sh
source "$(dirname "$0")/../bench/common.sh"
source "$(dirname "$0")/lib.sh"
# From here on a failed check is counted, not fatal.
set +e +o pipefail
D="$OUT/disk"; mkdir -p "$D/state/work"
INSTANCE=""
finish() {
  stop_server
  INSTANCE="$(instance_of "$D")"
  umount "$D/state/work" 2>/dev/null || true
  cleanup_engine "$INSTANCE"
}
trap finish EXIT
mount -t tmpfs -o size=64m tmpfs "$D/state/work"
build_image
write_config "$D" "0,1" '[provider]\nsettle = 0s\nrescan = 250ms\nmin_free = 16m\n'
start_server "$D" || exit 1

fails=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }

# 1. full: zips wait
dd if=/dev/zero of="$D/state/work/filler" bs=1M count=52 status=none 2>/dev/null || true
mkdir -p "$D/staging"
for i in $(seq 1 10); do make_zip "$D/staging/disk-$i.zip" "disk-$i" '["true"]'; done
mv "$D"/staging/disk-*.zip "$D/inbox/ana/"
sleep 5
waiting=$(ls "$D"/inbox/ana/disk-*.zip 2>/dev/null | wc -l)
check "with the work dir full, all 10 zips wait in the inbox ($waiting waiting)" '[ "$waiting" -eq 10 ]'
check "the server says why intake is paused" 'grep -q "intake paused" "$D/server.log"'

# 2. space returns: intake resumes, nothing lost
rm -f "$D/state/work/filler"
wait_for 120 test "$(count_results "$D/inbox" SUCCEEDED)" -ge 10 || true
succeeded=$(count_results "$D/inbox" SUCCEEDED)
left=$(ls "$D"/inbox/ana/disk-*.zip 2>/dev/null | wc -l)
check "when space returns all 10 are taken ($left left) and succeed ($succeeded)" '[ "$left" -eq 0 ] && [ "$succeeded" -eq 10 ]'
check "the server logged that intake resumed" 'grep -Eq "intake resumed|intake works again" "$D/server.log"'

# 3. space above min_free but too little for the next zip: it must wait in the inbox (or end with a reason),
#    never vanish, and be taken once space returns
dd if=/dev/zero of="$D/state/work/filler" bs=1M count=44 status=none 2>/dev/null || true
big="$(mktemp -d)"
head -c 30000000 /dev/urandom > "$big/blob.bin"
cp /usr/bin/busybox "$big/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY blob.bin /blob.bin\n' > "$big/Dockerfile"
printf '{"name": "disk-big", "executor_name": "ana", "num_gpus": 1, "build_flag": true, "run_params": {"command": ["/bin/busybox", "true"]}}\n' > "$big/container_config.json"
(cd "$big" && zip -q -0 "$D/staging/disk-big.zip" Dockerfile container_config.json busybox blob.bin)
rm -rf "$big"
mv "$D/staging/disk-big.zip" "$D/inbox/ana/"
sleep 8
kept() { [ -f "$D/inbox/ana/disk-big.zip" ] || [ -f "$D/inbox/ana/failed/disk-big.reason.txt" ] || ls "$D"/inbox/ana/results/*-disk-big/status.json >/dev/null 2>&1; }
retries=$(grep -c "could not take .*disk-big" "$D/server.log")
check "a zip too big for the space left is kept (in the inbox: $([ -f "$D/inbox/ana/disk-big.zip" ] && echo yes || echo no); take attempts logged: $retries)" 'kept'
told=$(grep -c "disk-big.zip ([0-9]* MiB) waits in the inbox" "$D/server.log")
check "the big zip waits without failed take attempts ($retries) and its reason is logged once ($told)" '[ "$retries" -eq 0 ] && [ "$told" -eq 1 ]'
rm -f "$D/state/work/filler"
make_zip "$D/staging/disk-after.zip" "disk-after" '["true"]'
mv "$D/staging/disk-after.zip" "$D/inbox/ana/"
wait_for 120 test "$(count_results "$D/inbox" SUCCEEDED)" -ge 12 || true
after=$(count_results "$D/inbox" SUCCEEDED)
check "when space returns the big zip and the next one are taken and succeed ($after of 12 succeeded)" '[ "$after" -ge 12 ]'

if [ "$fails" -eq 0 ]; then echo "PASS disk drill: 12 zips, 0 lost, $after succeeded"; else echo "FAIL disk drill: $fails checks failed (see $D/server.log)"; fi
[ "$fails" -eq 0 ]
