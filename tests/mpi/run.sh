#!/bin/sh
# tests/mpi/run.sh (make check-mpi) — the MPI build of waggle sweep and the
# Slurm scripts of docs/slurm, on this machine: a grid sweep gives the same
# sweep.csv bytes with the serial build at 1 thread, with the MPI build at
# 1, 2 and 4 ranks (oversubscribed), as 3 shards of a job array (the
# scripts run with Slurm's variables set by hand) merged, and when a
# serial sweep killed halfway is resumed on 2 ranks; and `waggle run
# --partition` on 1, 2, 3 and 4 ranks gives the serial run's series.csv,
# summary.csv and finals.csv (a generated network with respond events, a
# directed file with fractional exposure, talking times, a policy, a trigger
# and media, a weighted file with contact one, a signed file whose distrust
# ties flip the valence; the generated network saved as .wgraph, with one
# peak resident size a rank in the manifest), also through
# run-partition.sbatch, and refuses what it cannot partition. Prints one line
# per check and "mpi tests: N passed, N failed"; exits 1 on any failure.
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
# one run partitioned across ranks: the serial bytes for every R. The directed,
# weighted and signed networks are written here (a fixed linear congruential
# sequence), so the checks need no data from outside the repository: 20,000
# agents, 12 arcs each to others (self-loops and repeats dropped by the import),
# a weight of 1 to 5 and a rating of -10 to 10 (0 left out) on every arc. The
# ranks are dealt chunks of 2,048 agents in turn: 20,000 agents give every
# rank of 4 two chunks or more, so that arcs are counted across chunks.
awk 'BEGIN { x = 12345; for (a = 0; a < 20000; a++) for (k = 0; k < 12; k++) {
        x = (x * 1103515245 + 12345) % 2147483648; b = int(x / 65536) % 20000
        x = (x * 1103515245 + 12345) % 2147483648; r = int(x / 65536) % 20 - 10
        if (r >= 0) r++
        print a, b, (a + k) % 5 + 1 > "'"$T"'/directed.txt"
        print a "," b "," r > "'"$T"'/signed.csv" } }'
cat > "$T/part-ba.yaml" <<'YAML'
name: partitioned BA
steps: 40
runs: 6
seed: 7
network: {generate: barabasi-albert, nodes: 20000, edges_per_node: 3}
model: {share: {positive: 0.05, negative: 0.08}, quality: 0.9, stifle: 0.1}
segments:
  - {name: loud, pick: {by: degree, top: 0.01}, activity: 2.5}
events:
  - {step: 0, seed: {valence: negative, count: 3, by: random}}
  - {step: 0, seed: {valence: positive, count: 10, by: segment, segment: loud}}
  - {step: 3, respond: {count: 5, by: degree, win: 0.1, calm: 0.4}}
  - {step: 5, scale: {key: share.negative, factor: 0.5}}
  - {step: 6, block: {top: 0.01, by: kcore}}
YAML
cat > "$T/part-frac.yaml" <<YAML
name: partitioned fractional
steps: 30
runs: 6
seed: 11
network: {file: $T/directed.txt, directed: true}
model:
  exposure: fractional
  share: {positive: 0.3, negative: 0.4}
  quit: {positive: 0.3}
  forget: 0.02
  quality: 0.8
  duration: {negative: {fixed: 3}}
events:
  - {step: 0, seed: {valence: negative, count: 4, by: random}}
  - {step: 0, seed: {valence: positive, count: 4, by: degree}}
  - {step: 1, respond: {policy: {delay: 1, per_step: 5, by: first, until: 20}, win: 0.05, calm: 0.4, cost: 1}}
  - {when: {critics_above: 30}, media: {valence: positive, amplitude: 0.01, decay: 0.3}}
YAML
cat > "$T/part-one.yaml" <<YAML
name: partitioned contact one
steps: 30
runs: 6
seed: 12
network: {file: $T/directed.txt, weight: 3}
model:
  contact: one
  share: {positive: 0.2, negative: 0.3}
  quit: {negative: 0.2}
  stifle: 0.2
  duration: {positive: {gamma: {mean: 4, sd: 2}}}
events:
  - {step: 0, seed: {valence: negative, count: 3, by: random}}
  - {step: 2, seed: {valence: positive, count: 10, by: pagerank}}
  - {when: {critics_above: 20}, respond: {policy: {per_step: 5, by: degree}, win: 0.1, calm: 0.3}}
YAML
cat > "$T/part-signed.yaml" <<YAML
name: partitioned distrust ties
steps: 30
runs: 6
seed: 14
network: {file: $T/signed.csv, directed: true, sign: 3, negative_ties: flip}
model: {share: {positive: 0.2, negative: 0.25}, quit: {positive: 0.3, negative: 0.3}}
events:
  - {step: 0, seed: {valence: positive, count: 10, by: degree}}
  - {step: 0, seed: {valence: negative, count: 3, by: random}}
YAML
same_run() {   # same_run NAME DIR-A DIR-B: the three files of the runs
    ok=1
    for f in series.csv summary.csv finals.csv; do cmp -s "$2/$f" "$3/$f" || ok=0; done
    if [ $ok -eq 1 ]; then echo "ok   $1"; pass=$((pass + 1));
    else echo "FAIL $1 ($2 and $3 differ or are missing)"; fail=$((fail + 1)); fi
}
for sc in part-ba part-frac part-one part-signed; do
    "$SERIAL" run "$T/$sc.yaml" -o "$T/$sc-serial" -t 1 -q 2>/dev/null
    for np in 1 2 3 4; do
        mpirun $FLAGS -np $np "$MPIW" run "$T/$sc.yaml" -o "$T/$sc-np$np" -t 1 -q --partition 2>/dev/null
        same_run "$sc: run --partition on $np ranks = serial" "$T/$sc-serial" "$T/$sc-np$np"
    done
done
# the generated network saved as .wgraph: every rank maps it and copies its block
"$SERIAL" net "$T/part-ba.yaml" --save "$T/ba.wgraph" >/dev/null
sed "s|^network: .*|network: {file: $T/ba.wgraph}|" "$T/part-ba.yaml" > "$T/part-wg.yaml"
"$SERIAL" run "$T/part-wg.yaml" -o "$T/part-wg-serial" -t 1 -q 2>/dev/null
same_run "part-wg: the .wgraph serial run = the generated one" "$T/part-ba-serial" "$T/part-wg-serial"
for np in 1 2 3 4; do
    mpirun $FLAGS -np $np "$MPIW" run "$T/part-wg.yaml" -o "$T/part-wg-np$np" -t 1 -q --partition 2>/dev/null
    same_run "part-wg: run --partition of a .wgraph on $np ranks = serial" "$T/part-wg-serial" "$T/part-wg-np$np"
done
# the manifest: one peak a rank, and the degree statistics only
k=$(sed -n 's/^  peak_memory_mb_per_rank: \[\(.*\)\]$/\1/p' "$T/part-wg-np3/manifest.yaml" | tr ',' '\n' | grep -c '[0-9]')
[ "$k" -eq 3 ] && grep -q '^  degree_mean: ' "$T/part-wg-np3/manifest.yaml" &&
    ! grep -q '^  components: ' "$T/part-wg-np3/manifest.yaml" &&
    { echo "ok   manifest: 3 peaks (one a rank), degree statistics, no components"; pass=$((pass + 1)); } ||
    { echo "FAIL manifest of a partitioned run ($k peaks)"; fail=$((fail + 1)); }
mpirun $FLAGS -np 2 "$MPIW" run "$T/part-ba.yaml" -o "$T/part-ba-t2" -t 2 -q --partition
same_run "part-ba: 2 ranks of 2 threads = serial" "$T/part-ba-serial" "$T/part-ba-t2"
grep -q "^ranks: 3$" "$T/part-ba-np3/manifest.yaml" && echo "ok   manifest records 3 ranks" &&
    pass=$((pass + 1)) || { echo "FAIL manifest ranks (partition)"; fail=$((fail + 1)); }
SLURM_NTASKS=2 SLURM_CPUS_PER_TASK=1 MPIRUN_FLAGS="$FLAGS" WAGGLE=$MPIW \
    bash docs/slurm/run-partition.sbatch "$T/part-ba.yaml" "$T/slurm-part" 2>/dev/null
same_run "run-partition.sbatch (2 ranks) = serial" "$T/part-ba-serial" "$T/slurm-part"
# refused: traced runs, policies by reach (exit 2, nothing written, one message)
sed 's/by: first, until: 20/by: reach/' "$T/part-frac.yaml" > "$T/reach.yaml"
for bad in "$T/part-ba.yaml --trace 0" "$T/reach.yaml"; do
    mpirun $FLAGS -np 2 "$MPIW" run $bad -o "$T/refused" -q --partition 2> "$T/refused.err"
    rc=$?
    n=$(grep -c "error" "$T/refused.err")
    [ $rc -eq 2 ] && [ ! -e "$T/refused" ] && [ "$n" -eq 1 ] &&
        { echo "ok   refused with exit 2, one message: $(grep error "$T/refused.err" | cut -c1-70)"; pass=$((pass + 1)); } ||
        { echo "FAIL refusal of $bad (exit $rc, $n messages)"; fail=$((fail + 1)); }
done
echo "mpi tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
