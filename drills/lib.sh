# Helpers for the shell drills: a server process on its own folder, busybox job zips, waiting with deadlines.
# Everything the drills create is labelled dopq.bench=$RUN (images) or dopq.instance=<the server's id>
# (containers and images the server makes), and removed by exactly that label at the end.

need zip python3 busybox
# the drill images are FROM scratch with /usr/bin/busybox copied in: it must be the static build
if ldd /usr/bin/busybox >/dev/null 2>&1; then
  echo "/usr/bin/busybox is dynamically linked; install busybox-static" >&2
  exit 2
fi
RUN="drill-$(date +%s)-$$"
IMAGE="dopq-bench/drill:$RUN"

build_image() {
  local ctx; ctx="$(mktemp -d)"
  cp /usr/bin/busybox "$ctx/busybox"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n' > "$ctx/Dockerfile"
  docker build -q --force-rm --label "dopq.bench=$RUN" -t "$IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

# write_config DIR GPUS EXTRA_INI
write_config() {
  local port; port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  # identity = folder: zips go into <inbox>/<user>/ (the server also makes these folders at start)
  mkdir -p "$1/inbox/ana" "$1/inbox/bob"
  printf '[paths]\ninbox = inbox\nstate = state\n\n[gpu]\ndevices = %s\n\n[api]\nhost = 127.0.0.1\nport = %s\n\n[web]\nport = 0\n\n[users]\nvalid_executors = ana, bob\n\n[docker]\nallowed_images = dopq-bench/drill:*\n\n%b' \
    "$2" "$port" "$3" > "$1/config.ini"
}

# start_server DIR: starts the shaded jar in the background; sets SERVER_PID; waits for the admin token + port.
start_server() {
  (cd "$1" && exec java -jar "$OUT/dopq-server.jar" --config "$1/config.ini" >>"$1/server.log" 2>&1) &
  SERVER_PID=$!
  # the [api] port (config.ini also has [web] port = 0)
  local port; port="$(sed -n '/^\[api\]/,/^\[/s/^port = //p' "$1/config.ini" | head -1)"
  for _ in $(seq 1 600); do
    if [ -s "$1/state/admin.token" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server did not start; see $1/server.log"; return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
}

# make_zip OUT.zip NAME COMMAND_JSON: a job that runs the prebuilt image (no build).
make_zip() {
  local d; d="$(mktemp -d)"
  printf '{"name": "%s", "executor_name": "ana", "num_gpus": 1, "build_flag": false, "image": "%s", "run_params": {"command": %s}}\n' \
    "$2" "$IMAGE" "$3" > "$d/container_config.json"
  (cd "$d" && zip -q "$1" container_config.json)
  rm -rf "$d"
}

# count_results INBOX STATE: finished jobs with that state in the users' results folders
# (<inbox>/<user>/results/<id>-<name>/status.json).
count_results() {
  grep -l "\"state\" *: *\"$2\"" "$1"/*/results/*/status.json 2>/dev/null | wc -l
}

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.5
  done
}

# instance_of DIR: the server's instance id (label dopq.instance on what it made), read from its database once
# it stopped (H2's shell is inside the server jar).
instance_of() {
  java -cp "$OUT/dopq-server.jar" org.h2.tools.Shell -url "jdbc:h2:file:$1/state/db/dopq" -user dopq \
    -sql "SELECT setting_value FROM settings WHERE setting_key = 'instance.id'" 2>/dev/null \
    | grep -o '^[a-f0-9]\{8\}' | head -1 || true
}

cleanup_engine() {
  docker ps -aq --filter "ancestor=$IMAGE" | xargs -r docker rm -f >/dev/null
  if [ -n "${1:-}" ]; then
    docker ps -aq --filter "label=dopq.instance=$1" | xargs -r docker rm -f >/dev/null
    docker images -q --filter "label=dopq.instance=$1" | xargs -r docker rmi -f >/dev/null
  fi
  docker rmi -f "$IMAGE" >/dev/null 2>&1 || true
}
