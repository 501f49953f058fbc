#!/usr/bin/env bash
# A real test on a real Slurm: starts a single-node cluster on this machine (munged, slurmctld, slurmd; no
# cgroups), submits a tiny sweep the way a user would (`reproduce slurm`, then the sbatch line it prints), waits
# for the array and the report job it queues, checks that the results table equals the same sweep run serially
# (metric columns; wall times differ), submits the array again and checks every config is skipped as complete.
# Installs Debian's slurm-wlm and munge first if they are missing (needs root). Stops every daemon it started, by
# pid. Usage: tools/slurm-test.sh [--no-build]   (work folder: $SLURM_TEST_DIR, kept; default a temporary folder,
# removed after a pass)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# A folder of our own is removed after a pass (kept after a failure, for its logs); one the caller names is kept.
if [ -n "${SLURM_TEST_DIR:-}" ]; then work=$SLURM_TEST_DIR; own_work=0; else work=$(mktemp -d "${TMPDIR:-/tmp}/fvae-slurm-XXXXXX"); own_work=1; fi
mkdir -p "$work"
passed=0
build=1
[ "${1:-}" = "--no-build" ] && build=0

say() { printf '[slurm-test] %s\n' "$*"; }
fail() { printf '[slurm-test] FAILED: %s\n' "$*" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "slurm-wlm and munge are missing and installing them needs root (apt-get)."
    say "installing slurm-wlm and munge"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge
fi

if [ "$build" = 1 ]; then
    say "building the host"
    dotnet build -c Release "$repo/src/Vae.Host" -v quiet -nologo
fi
product=(dotnet "$repo/src/Vae.Host/bin/Release/net10.0/Vae.Host.dll")
[ -f "${product[1]}" ] || fail "${product[1]} is missing; build the host first (dotnet build -c Release src/Vae.Host)."

# --- the cluster: every file under $work --------------------------------------------------------------------------
host=$(hostname -s)
cores=$(nproc)
mkdir -p "$work"/{munge,ctld,spool,log,run}
chmod 711 "$work/munge" # clients must reach the socket; the key file itself is 0400
# Two free ports (a real installation, or another run of this test, may hold the defaults).
free_port() {
    local p
    for _ in $(seq 100); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    fail "no free port found"
}
ctld_port=$(free_port)
slurmd_port=$(free_port)
[ "$ctld_port" != "$slurmd_port" ] || slurmd_port=$((ctld_port + 1))
conf="$work/slurm.conf"
export SLURM_CONF="$conf"
pids=()
stop_daemons() {
    # Newest first: slurmd, slurmctld, munged; only the pids this script started.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
    [ ${#pids[@]} -gt 0 ] && say "stopped daemons ${pids[*]}"
    pids=()
    if [ "$passed" = 1 ] && [ "$own_work" = 1 ]; then rm -rf "$work"; fi
}
trap stop_daemons EXIT

dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
munged -F --force --key-file="$work/munge/munge.key" --socket="$socket" --pid-file="$work/run/munged.pid" \
    --log-file="$work/log/munged.log" --seed-file="$work/munge/munged.seed" 2>"$work/log/munged.err" &
pids+=($!)

cat > "$conf" <<EOF
ClusterName=fvaetest
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/run/slurmctld.pid
SlurmdPidFile=$work/run/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=3600
NodeName=$host CPUs=$cores State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || fail "munged did not start (see $work/log/munged.log)"
slurmctld -D -c -f "$conf" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$conf" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "node $host did not become idle (state '$state'; see $work/log/)"
say "cluster up: node $host, $cores CPUs, ports $ctld_port/$slurmd_port, daemons ${pids[*]}"

# --- the tiny sweep ----------------------------------------------------------------------------------------------
configs=mnist-mlp-z1-beta1,mnist-dnn-z1-beta1,hh-mlp-z2-beta1,hh-conv-z2-beta1
sweep=(--only "$configs" --epochs 1 --hh-count 200)
say "fetching MNIST once for both runs"
"${product[@]}" data mnist --data-dir "$work/fetch" >"$work/log/fetch.out"
mnist=(--mnist-dir "$work/fetch/mnist")

say "submitting as a job array (each task fills its caches in a fresh data folder, concurrently)"
"${product[@]}" reproduce slurm "${sweep[@]}" "${mnist[@]}" --data-dir "$work/data-array" --out "$work/array" \
    --partition test --cpus-per-task 1 --time-factor 3 | tee "$work/log/slurm-command.out"
submit=$(tail -n 1 "$work/log/slurm-command.out")
case "$submit" in sbatch\ *) ;; *) fail "reproduce slurm did not print an sbatch line: $submit" ;; esac
started=$(date +%s)
wait_for_queue() {
    for _ in $(seq 1200); do
        [ -z "$(squeue -h -o %i)" ] && return 0
        sleep 1
    done
    squeue
    fail "jobs still queued after 20 minutes"
}
eval "$submit"
wait_for_queue
say "array and report job done in $(($(date +%s) - started)) s"

say "the same sweep serially, for comparison"
"${product[@]}" reproduce run "${sweep[@]}" "${mnist[@]}" --data-dir "$work/data-serial" --out "$work/serial" \
    --threads 1 --no-report --quiet >"$work/log/serial.out"

# Metric columns: all but the last (wall seconds).
metrics() { sed 's/,[^,]*$//' "$1"; }
[ -f "$work/array/results.csv" ] || fail "the array wrote no results.csv (logs: $work/array/logs/)"
diff <(metrics "$work/serial/results.csv") <(metrics "$work/array/results.csv") \
    || fail "results of the array differ from the serial run"
rows=$(($(wc -l <"$work/array/results.csv") - 1))
[ "$rows" = 4 ] || fail "expected 4 result rows, found $rows"
[ -f "$work/array/report.html" ] || fail "the report job wrote no report.html (logs: $work/array/logs/)"
grep -l "reproduce\|results" "$work/array/logs/"*report*.out >/dev/null || fail "no log of the report job"
for c in ${configs//,/ }; do
    grep -q "$c: starting" "$work/array/logs/"fvae-array_*.out || fail "no task log shows $c starting"
done
say "results table of the array equals the serial run's ($rows configs); report.html written by the dependent job"
metrics "$work/array/results.csv"

say "submitting the array again: every config must be skipped as complete"
rm "$work/array/report.html"
eval "$submit"
wait_for_queue
skipped=$(grep -h "complete, skipped" "$work/array/logs/"fvae-array_*.out | wc -l)
[ "$skipped" = 4 ] || fail "expected 4 configs skipped on the second submission, found $skipped"
[ -f "$work/array/report.html" ] || fail "the second report job wrote no report.html"
say "second submission: 4 configs skipped as complete, report drawn again"
passed=1
say "PASSED in $SECONDS s"
