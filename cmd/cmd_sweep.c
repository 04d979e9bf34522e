/*
 * cmd_sweep.c — `waggle sweep SCENARIO`: every point of the scenario's grid or
 * Sobol design (the study is sim/study/sweep.c; MPI ranks share the points).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waggle/parallel.h"
#include "waggle/sweep.h"

const char wg_sweep_usage[] =
    "usage: waggle sweep SCENARIO [-o DIR] [-r RUNS] [-s SEED] [-t THREADS] [--set KEY=VALUE]...\n"
    "                    [--shard K/N] [--resume] [--quiet]\n"
    "\n"
    "Run every point of the scenario's sweep: section (grid or sobol), each with all its\n"
    "runs and the same seed (common random numbers), and write into DIR (default\n"
    "out/<scenario name>, or out/<scenario name>-shard-K-of-N with --shard):\n"
    "  sweep.csv      one row per point and metric: point,<one column per swept key>,\n"
    "                 metric,mean,sd,p05,p50,p95; metrics reach_positive, reach_negative,\n"
    "                 peak_critics, peak_step, steps (as finals.csv) and blowup (share of\n"
    "                 runs whose negative reach, positive with blowup.valence: positive,\n"
    "                 exceeds blowup.threshold x agents)\n"
    "  manifest.yaml  as `waggle run`, plus the sweep's hash, points and shard\n"
    "\n"
    "options:\n"
    "  -o, -r, -s, -t, --set, -q, --progress   as `waggle run`\n"
    "  --shard K/N      run only points p with p mod N = K (K from 0 to N-1), e.g. for a\n"
    "                   Slurm job array: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\n"
    "                   with --array=0-(N-1); join the shards with `waggle merge`\n"
    "  --resume         keep the points a killed or interrupted sweep into DIR finished\n"
    "                   (its journal) and run the rest; the output is the same\n"
    "\n"
    "Built with `make MPI=1`, `mpirun -np R waggle sweep ...` shares the points among R\n"
    "ranks (dynamic scheduling; rank 0 writes); the output does not depend on R.\n"
    "exit status: 0 done, 1 runtime failure (memory, disk, interrupted), 2 bad input\n";

enum { OPT_SHARD = 1, OPT_RESUME };
static const wg_cmd_option sweep_options[] = {
    {"shard", 0, 1, OPT_SHARD}, {"resume", 0, 0, OPT_RESUME}, {NULL, 0, 0, 0}};

static void sweep_option(void *ud, int id, const char *v, wg_diag *d)
{
    wg_sweep_params *so = ud;
    if (id == OPT_RESUME) {
        so->resume = 1;
        return;
    }
    char *end, *end2 = NULL;
    errno = 0;
    long k = strtol(v, &end, 10), n = -1;
    if (end != v && *end == '/') n = strtol(end + 1, &end2, 10);
    if (errno || end == v || *end != '/' || *end2 || n < 1 || n > 1000000 || k < 0 || k >= n)
        wg_diag_error(d, WG_EINPUT, "--shard %s: expected K/N with 0 <= K < N (K counts "
                      "from 0, as Slurm's --array=0-(N-1) does)", v);
    so->shard = (int)k;
    so->shards = (int)n;
}

int wg_cmd_sweep(int argc, char **argv)
{
    wg_diag d;
    wg_cmd_opts o;
    wg_sweep_params p;
    wg_sweep_params_default(&p);
    wg_par_init();
    const int rank = wg_par_rank();
    wg_diag_init(&d);
    wg_status st = wg_cmd_parse(argc, argv, WG_OPT_RUNLIKE, sweep_options, sweep_option, &p, 1,
                                1, "scenario file", &o, &d);
    if (st == WG_OK) {
        p.scenario = o.scenario;
        p.sets = o.sets;
        p.nsets = o.nsets;
        p.out_dir = o.out_dir;
        p.threads = o.threads;
        p.quiet = o.quiet || rank != 0;
        p.stop = &wg_cmd_stop;
        p.argc = argc;
        p.argv = argv;
        wg_cmd_signals();
        wg_progress bar;
        wg_cmd_opts po = o;
        po.quiet = p.quiet;
        wg_progress_init(&bar, "points", &po);
        p.progress = wg_progress_update;
        p.progress_ud = &bar;
        st = wg_sweep_run(&p, &d);
        wg_progress_end(&bar);
    }
    wg_cmd_opts_free(&o);
    /* every rank loads the same scenario: rank 0's message is enough */
    if (rank == 0 || (st != WG_OK && st != WG_EINPUT)) wg_diag_print(&d, stderr);
    wg_diag_free(&d);
    wg_par_finalize();
    return wg_status_exit(st);
}
