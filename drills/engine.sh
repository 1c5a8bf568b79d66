#!/usr/bin/env bash
# Engine drill: restarts the Docker engine while jobs run. DISRUPTIVE: every container on the machine is
# affected (containers without a restart policy stop), so run it only on a machine nobody else uses, as root:
#   DOPQ_ENGINE_RESTART="systemctl restart docker" drills/engine.sh
# (default: systemctl restart docker; for an engine started by hand, e.g. "pkill -x dockerd; dockerd &" wrapped
#  in a script of your own). Expected: the server survives, reconnects its event stream, and every one of the
#  12 jobs ends in an explained state (SUCCEEDED, or FAILED/CANCELLED with a reason); no job stays RUNNING.
source "$(dirname "$0")/../bench/common.sh"
source "$(dirname "$0")/lib.sh"
# From here on a failed check is counted, not fatal.
set +e +o pipefail
RESTART="${DOPQ_ENGINE_RESTART:-systemctl restart docker}"
D="$OUT/engine"; mkdir -p "$D/staging"
trap 'stop_server; cleanup_engine "$(instance_of "$D")"' EXIT
build_image
write_config "$D" "0,1,2,3" '[provider]\nsettle = 0s\nrescan = 250ms\n\n[queue]\nreconcile = 5s\n'
start_server "$D" || exit 1
for i in $(seq 1 12); do make_zip "$D/staging/engine-$i.zip" "engine-$i" "[\"sh\", \"-c\", \"sleep $((5 + i % 4)); exit 0\"]"; done
mv "$D"/staging/engine-*.zip "$D/inbox/ana/"
sleep 4
echo "restarting the engine: $RESTART"
$RESTART
wait_for 120 docker info >/dev/null 2>&1
ended() { [ $(( $(count_results "$D/inbox" SUCCEEDED) + $(count_results "$D/inbox" FAILED) + $(count_results "$D/inbox" CANCELLED) )) -ge 12 ]; }
wait_for 300 ended || true
alive=no; kill -0 "$SERVER_PID" 2>/dev/null && alive=yes
s=$(count_results "$D/inbox" SUCCEEDED); f=$(count_results "$D/inbox" FAILED); c=$(count_results "$D/inbox" CANCELLED)
unexplained=$(for j in "$D"/inbox/*/results/*/status.json; do
  grep -q '"state" *: *"SUCCEEDED"' "$j" || grep -q '"reason" *: *"[^"]' "$j" || echo "$j"; done | wc -l)
total=$((s + f + c))
echo "server alive: $alive; jobs ended $total of 12 (succeeded $s, failed $f, cancelled $c), without a reason $unexplained"
if [ "$alive" = yes ] && [ "$total" -eq 12 ] && [ "$unexplained" -eq 0 ]; then echo "PASS engine drill"; else echo "FAIL engine drill"; exit 1; fi
