#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (localhost only) from Debian's slurm-wlm and munge, for the test
# suite and for trying `siliconsim sweep submit --slurm`. Installs nothing: it writes a private munge key and a
# slurm.conf describing this host (CPUs and memory from `slurmd -C`) under one state folder, starts munged, slurmctld
# and slurmd directly (no systemd), and waits until `sinfo` shows the node idle. Running it again is harmless: a
# running daemon is kept, an unchanged slurm.conf is not rewritten.
#
#   tools/slurm/start-local-cluster.sh            # then: export SLURM_CONF=<printed path>
#   tools/slurm/stop-local-cluster.sh
#
# Environment: SILICONSIM_SLURM_DIR (state folder, default /tmp/siliconsim-slurm), SILICONSIM_SLURM_PORT (slurmctld's
# port; slurmd takes the next one; default 6817, Slurm's own default). Exit 3: the packages are missing; exit 1: the
# node did not come up (the daemons' logs are named).
set -euo pipefail

dir="${SILICONSIM_SLURM_DIR:-/tmp/siliconsim-slurm}"
port="${SILICONSIM_SLURM_PORT:-6817}"
for tool in munged slurmctld slurmd sinfo scontrol; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "start-local-cluster: '$tool' not found; install Debian's packages first: apt-get install -y slurm-wlm munge" >&2
    exit 3
  fi
done
if [ "$(id -u)" -ne 0 ]; then
  # slurmd launches jobs as their owner and slurmctld runs as SlurmUser; both need root to do so for any user.
  echo "start-local-cluster: must run as root (slurmd starts jobs on behalf of their users)" >&2
  exit 3
fi

mkdir -p "$dir"/{munge,state,spool,log}
# munged wants its socket folder searchable by every user (clients connect to it); the key itself is 0400.
chmod 755 "$dir" "$dir/munge"
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# munge: a private key (1 KiB of random bytes, as mungekey makes) and a private socket, so a system munged is untouched.
if [ ! -s "$dir/munge/munge.key" ]; then
  mungekey --create --keyfile="$dir/munge/munge.key" --force
  chmod 400 "$dir/munge/munge.key"
fi
if ! alive "$dir/munge/munged.pid"; then
  munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
fi

host="$(hostname -s)"
# This host's sockets, cores, threads and memory, as slurmd itself detects them.
node="$(slurmd -C | head -n 1)"
cat > "$conf.new" <<CONF
# Written by tools/slurm/start-local-cluster.sh: one node (this host) on localhost.
ClusterName=siliconsim-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups in a container: track processes by parent id, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# Cores are the consumable, so array tasks of a few CPUs each share the node instead of taking it whole.
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Finished jobs stay visible to scontrol for 5 minutes (how --wait reads the merge job's state without accounting).
MinJobAge=300
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
changed=0
if ! cmp -s "$conf.new" "$conf"; then
  mv "$conf.new" "$conf"
  changed=1
else
  rm -f "$conf.new"
fi

if ! alive "$dir/slurmctld.pid"; then
  slurmctld -f "$conf"
elif [ "$changed" -eq 1 ]; then
  scontrol reconfigure
fi
if ! alive "$dir/slurmd.pid"; then
  slurmd -f "$conf"
fi

# Up to 60 s for the node to register; a node left down or drained by an earlier run is resumed.
for _ in $(seq 1 120); do
  state="$(sinfo -h -N -n "$host" -o %T 2>/dev/null | head -n 1 || true)"
  case "$state" in
    idle|mixed|allocated) echo "local Slurm cluster up: node $host $state; export SLURM_CONF=$conf"; exit 0 ;;
    down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
echo "start-local-cluster: node $host did not become idle (state '${state:-none}'); see $dir/log/slurmctld.log and $dir/log/slurmd.log" >&2
exit 1
