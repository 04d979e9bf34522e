#!/bin/sh
# tests/mpi/run.sh (make check-mpi) — the MPI build of waggle sweep and the
# Slurm scripts of docs/slurm, on this machine: a grid sweep gives the same
# sweep.csv bytes with the serial build at 1 thread, with the MPI build at
# 1, 2 and 4 ranks (oversubscribed), as 3 shards of a job array (the
# scripts run with Slurm's variables set by hand) merged, and when a
# serial sweep killed halfway is resumed on 2 ranks. Prints one line per
# check and "mpi tests: N passed, N failed"; exits 1 on any failure.
set -u
cd "$(dirname "$0")/../.."
SERIAL=${BUILD:-build}/waggle
MPIW=build-mpi/waggle
T=$(mktemp -d "${TMPDIR:-/tmp}/wg-mpi-XXXXXX")
trap 'rm -rf "$T"' EXIT
FLAGS="--oversubscribe"
[ "$(id -u)" -eq 0 ] && FLAGS="$FLAGS --allow-run-as-root"
export OMPI_MCA_rmaps_base_oversubscribe=1
pass=0; fail=0
check() {   # check NAME FILE-A FILE-B
    if cmp -s "$2" "$3"; then echo "ok   $1"; pass=$((pass + 1));
    else echo "FAIL $1 ($2 and $3 differ or are missing)"; fail=$((fail + 1)); fi
}
cat > "$T/grid.yaml" <<'YAML'
name: mpi grid
steps: 30
runs: 20
seed: 99
network: {generate: barabasi-albert, nodes: 1500, edges_per_node: 3}
model: {share: {positive: 0.04, negative: 0.07}, quality: 0.95}
events:
  - {step: 0, seed: {valence: negative, count: 1, by: random}}
  - {step: 3, respond: {count: 5, by: degree, win: 0.1, calm: 0.4}}
sweep:
  grid: {share.negative: {from: 0.04, to: 0.2, count: 5}, events.1.step: [1, 5, 9]}
YAML
"$SERIAL" sweep "$T/grid.yaml" -o "$T/serial" -t 1 -q || fail=$((fail + 1))
"$MPIW" sweep "$T/grid.yaml" -o "$T/single" -t 1 -q || fail=$((fail + 1))
check "MPI build without mpirun = serial build" "$T/serial/sweep.csv" "$T/single/sweep.csv"
for np in 1 2 4; do
    mpirun $FLAGS -np $np "$MPIW" sweep "$T/grid.yaml" -o "$T/np$np" -t 1 -q
    check "mpirun -np $np = serial" "$T/serial/sweep.csv" "$T/np$np/sweep.csv"
    grep -q "^ranks: $np$" "$T/np$np/manifest.yaml" && echo "ok   manifest records $np ranks" &&
        pass=$((pass + 1)) || { echo "FAIL manifest ranks"; fail=$((fail + 1)); }
done
# the Slurm scripts, with the variables Slurm would set
SLURM_NTASKS=2 SLURM_CPUS_PER_TASK=1 MPIRUN_FLAGS="$FLAGS" WAGGLE=$MPIW \
    bash docs/slurm/sweep-mpi.sbatch "$T/grid.yaml" "$T/slurm-mpi"
check "sweep-mpi.sbatch (2 ranks) = serial" "$T/serial/sweep.csv" "$T/slurm-mpi/sweep.csv"
for k in 0 1 2; do
    SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 WAGGLE=$SERIAL \
        bash docs/slurm/sweep-array.sbatch "$T/grid.yaml" "$T/array"
done
WAGGLE=$SERIAL bash docs/slurm/merge.sbatch "$T/array"
check "sweep-array.sbatch (3 shards) + merge.sbatch = serial" "$T/serial/sweep.csv" \
    "$T/array/sweep.csv"
# shards on MPI ranks, merged
for k in 0 1 2; do
    mpirun $FLAGS -np 2 "$MPIW" sweep "$T/grid.yaml" -o "$T/ms$k" --shard $k/3 -t 1 -q
done
"$SERIAL" merge "$T/ms0" "$T/ms1" "$T/ms2" -o "$T/msm"
check "3 shards on 2 ranks each, merged = serial" "$T/serial/sweep.csv" "$T/msm/sweep.csv"
# a serial sweep killed after some points, resumed on 2 ranks
sed 's/runs: 20/runs: 80/' "$T/grid.yaml" > "$T/slow.yaml"
"$SERIAL" sweep "$T/slow.yaml" -o "$T/slow-whole" -t 1 -q
"$SERIAL" sweep "$T/slow.yaml" -o "$T/slow" -t 1 -q &
pid=$!
i=0
while [ "$(cat "$T/slow/.sweep-journal.0" 2>/dev/null | wc -l)" -lt 3 ] && [ $i -lt 2000 ]; do
    sleep 0.01; i=$((i + 1))
done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
n=$(wc -l < "$T/slow/.sweep-journal.0")
[ ! -e "$T/slow/sweep.csv" ] && [ "$n" -ge 3 ] && [ "$n" -lt 15 ] &&
    { echo "ok   killed after $n of 15 points"; pass=$((pass + 1)); } ||
    { echo "FAIL the sweep was not killed halfway ($n points done)"; fail=$((fail + 1)); }
mpirun $FLAGS -np 2 "$MPIW" sweep "$T/slow.yaml" -o "$T/slow" -t 1 -q --resume
check "killed serial sweep resumed on 2 ranks = uninterrupted" "$T/slow-whole/sweep.csv" \
    "$T/slow/sweep.csv"
echo "mpi tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
