#!/usr/bin/env bash
# A two-node Slurm cluster on this machine for dopq's tests: munged (when none runs), slurmctld and slurmd -N n1 /
# -N n2, each node with two fake GPUs (character devices under DIR/dev listed as File= in gres.conf).
#   cluster.sh start DIR CTLD_PORT N1_PORT N2_PORT   writes DIR/slurm.conf, DIR/gres.conf and starts the daemons
#   cluster.sh engines DIR ENGINES                  gives each node its own dockerd (own data-root, exec-root,
#                                                   pidfile, socket and bridge) and writes ENGINES/<node> = its address
#   cluster.sh kill-node DIR NODE                   kills the node's slurmd, its job steps and its engine with its
#                                                   containers (node loss)
#   cluster.sh stop DIR                             stops everything start started
# Runs as root (slurmd and munged need it). Every daemon's pid and log is under DIR.
set -euo pipefail

cmd=${1:?usage: cluster.sh start|stop|kill-node DIR ...}
dir=${2:?DIR missing}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

log() { echo "[slurm-cluster] $*" >&2; }

descendants() {
  local c
  for c in $(pgrep -P "$1" || true); do
    echo "$c"
    descendants "$c"
  done
}

munge_up() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  if munge_up; then
    return
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey -c
    chown munge:munge /etc/munge/munge.key
  fi
  runuser -u munge -- munged --force
  touch "$dir/munged.started"
  for _ in $(seq 1 50); do munge_up && return; sleep 0.1; done
  log "munged did not come up"; exit 1
}

write_conf() {
  local ctld=$1 p1=$2 p2=$3
  mkdir -p "$dir/ctld" "$dir/spool" "$dir/dev" "$dir/run"
  for i in 0 1 2 3; do
    [ -e "$dir/dev/fake-nvidia$i" ] || mknod "$dir/dev/fake-nvidia$i" c 195 "$i"
  done
  cat >"$dir/slurm.conf" <<CONF
ClusterName=dopqtest
SlurmctldHost=$(hostname -s)
SlurmctldPort=$ctld
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
ReturnToService=2
SlurmdTimeout=10
SlurmctldTimeout=10
MessageTimeout=5
InactiveLimit=0
KillWait=15
MinJobAge=600
DefMemPerNode=256
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=n1 NodeHostname=localhost Port=$p1 CPUs=2 RealMemory=4000 Gres=gpu:2 State=UNKNOWN
NodeName=n2 NodeHostname=localhost Port=$p2 CPUs=2 RealMemory=4000 Gres=gpu:2 State=UNKNOWN
PartitionName=gpu Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP
CONF
  cat >"$dir/gres.conf" <<CONF
NodeName=n1 Name=gpu File=$dir/dev/fake-nvidia[0-1]
NodeName=n2 Name=gpu File=$dir/dev/fake-nvidia[2-3]
CONF
}

start_slurmd() {
  local node=$1
  SLURM_CONF="$dir/slurm.conf" slurmd -D -N "$node" -f "$dir/slurm.conf" >>"$dir/slurmd-$node.out" 2>&1 &
  echo $! >"$dir/run/slurmd-$node.started"
}

wait_nodes_idle() {
  export SLURM_CONF="$dir/slurm.conf"
  for _ in $(seq 1 300); do
    local states
    states=$(sinfo -h -N -o '%N %t' 2>/dev/null | sort -u | tr '\n' ' ' || true)
    if [ "$(sinfo -h -N -t idle -o '%N' 2>/dev/null | sort -u | wc -l)" = 2 ]; then
      log "nodes up: $states"
      return
    fi
    sleep 0.2
  done
  log "nodes did not become idle: $(sinfo -N 2>&1 || true)"
  tail -20 "$dir/slurmctld.log" "$dir"/slurmd-n*.log >&2 || true
  exit 1
}

# A node's own Docker engine. Never --bridge none next to the main engine (that removed docker0 once): each engine
# gets a bridge of its own, made here with an address range of its own, and leaves iptables alone.
start_engine() {
  local node=$1 engines=$2
  local e="$dir/engines/$node" tag octet br
  tag=$(printf '%s' "$dir" | md5sum | cut -c1-8)
  octet=$(( 0x$(printf '%s' "$dir$node" | md5sum | cut -c1-2) ))
  br="dq$tag${node#n}"
  mkdir -p "$e"
  if ! ip link show "$br" >/dev/null 2>&1; then
    ip link add "$br" type bridge
    ip addr add "10.213.$octet.1/24" dev "$br"
    ip link set "$br" up
  fi
  echo "$br" >"$e/bridge"
  dockerd --data-root "$e/data" --exec-root "$e/exec" --pidfile "$e/docker.pid" -H "unix://$e/docker.sock" \
    --bridge="$br" --iptables=false --ip-masq=false --cgroup-parent="/dopq-$tag-$node" \
    >"$e/dockerd.log" 2>&1 &
  echo $! >"$dir/run/dockerd-$node.started"
  for _ in $(seq 1 150); do
    if docker -H "unix://$e/docker.sock" info >/dev/null 2>&1; then
      mkdir -p "$engines"
      echo "unix://$e/docker.sock" >"$engines/$node"
      return
    fi
    sleep 0.2
  done
  log "the engine of $node did not come up:"; tail -20 "$e/dockerd.log" >&2; exit 1
}

# Everything of a node's engine: dockerd, its containerd, the shims and the containers under them.
engine_pids() {
  local node=$1 p
  local e="$dir/engines/$node"
  [ -d "$e" ] || return 0
  for p in $(pgrep -f -- "$e/" || true); do
    echo "$p"
    descendants "$p"
  done
}

remove_engines() {
  local e m
  for e in "$dir"/engines/*/; do
    [ -d "$e" ] || continue
    # a killed engine leaves its container and netns mounts behind
    for m in $(awk -v d="$e" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
    [ -f "$e/bridge" ] && ip link del "$(cat "$e/bridge")" 2>/dev/null || true
    rm -rf "$e"
  done
  for m in /sys/fs/cgroup/*/dopq-"$(printf '%s' "$dir" | md5sum | cut -c1-8)"-*; do
    [ -d "$m" ] && find "$m" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

case "$cmd" in
  start)
    ctld=${3:?CTLD_PORT missing}; p1=${4:?N1_PORT missing}; p2=${5:?N2_PORT missing}
    start_munge
    write_conf "$ctld" "$p1" "$p2"
    SLURM_CONF="$dir/slurm.conf" slurmctld -D -i -f "$dir/slurm.conf" >>"$dir/slurmctld.out" 2>&1 &
    echo $! >"$dir/run/slurmctld.started"
    start_slurmd n1
    start_slurmd n2
    wait_nodes_idle
    ;;
  engines)
    engines=${3:?ENGINES folder missing}
    start_engine n1 "$engines"
    start_engine n2 "$engines"
    ;;
  start-node)
    node=${3:?NODE missing}
    start_slurmd "$node"
    ;;
  kill-node)
    node=${3:?NODE missing}
    export SLURM_CONF="$dir/slurm.conf"
    jobs=$(squeue -h -w "$node" -t RUNNING,COMPLETING -o '%i' 2>/dev/null || true)
    pids="$(cat "$dir/run/slurmd-$node.started") $(engine_pids "$node")"
    for j in $jobs; do
      for p in $(pgrep -f "^slurmstepd: \[$j\." || true); do
        pids="$pids $p $(descendants "$p")"
      done
    done
    # all at once, as a power cut would: nothing gets to report or clean up
    kill -9 $pids 2>/dev/null || true
    log "killed $node (slurmd and the steps of jobs: ${jobs:-none})"
    ;;
  stop)
    for f in "$dir"/run/*.started; do
      [ -e "$f" ] || continue
      kill "$(cat "$f")" 2>/dev/null || true
    done
    for f in "$dir"/run/*.started; do
      [ -e "$f" ] || continue
      pid=$(cat "$f")
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$f"
    done
    # job steps of a killed node outlive their slurmd
    pgrep -f "^slurmstepd:" >/dev/null && for p in $(pgrep -f "^slurmstepd:"); do
      if grep -q "$dir" "/proc/$p/environ" 2>/dev/null; then kill -9 "$p" || true; fi
    done
    for node in n1 n2; do
      leftover=$(engine_pids "$node")
      [ -n "$leftover" ] && kill -9 $leftover 2>/dev/null || true
    done
    remove_engines
    if [ -e "$dir/munged.started" ]; then
      kill "$(cat /run/munge/munged.pid 2>/dev/null)" 2>/dev/null || true
      rm -f "$dir/munged.started"
    fi
    ;;
  *)
    echo "usage: cluster.sh start|start-node|kill-node|stop DIR ..." >&2; exit 2 ;;
esac
