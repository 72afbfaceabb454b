#!/usr/bin/env bash
# Stops the cluster tools/slurm/start-local-cluster.sh started (same SILICONSIM_SLURM_DIR): slurmd, slurmctld, munged,
# each by the pid its own pid file records, waiting up to 10 s for each to exit. Stopping a stopped cluster is harmless.
set -euo pipefail
dir="${SILICONSIM_SLURM_DIR:-/tmp/siliconsim-slurm}"
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
done
echo "local Slurm cluster stopped"
