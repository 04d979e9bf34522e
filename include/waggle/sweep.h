/*
 * waggle/sweep.h — parameter sweeps: the design (grid or Sobol points over
 * swept keys), one point's runs summarised into a row, the `waggle sweep`
 * driver (threads, MPI ranks, job-array shards, a resumable journal) and
 * `waggle merge`, which joins the shards of a sweep.
 *
 * Invariant: a point's row depends only on the scenario, the point's index
 * and the seed: every point uses the same seed and run indices 0 .. runs - 1
 * (common random numbers), so sweep.csv has the same bytes whatever the
 * number of threads, ranks or shards, and after a resume.
 */
#ifndef WAGGLE_SWEEP_H
#define WAGGLE_SWEEP_H

#include "waggle/common.h"
#include "waggle/graph.h"
#include "waggle/job.h"
#include "waggle/output.h"
#include "waggle/scenario.h"

/* Metrics of sweep.csv, in the order written: the final figures of a run,
 * those of finals.csv (enum wg_final_metric and wg_final_metric_name,
 * output.h) up to blowup, which is last (answers and cost are finals.csv's
 * only: a sweep's points and journals keep their shape). */
#define WG_SWEEP_NMETRICS (WG_F_BLOWUP + 1)
/* Statistics per metric: mean, sd, p05, p50, p95. */
#define WG_SWEEP_NSTATS 5
/* A point's row: its index, then metric-major statistics. */
#define WG_SWEEP_ROW (1 + WG_SWEEP_NMETRICS * WG_SWEEP_NSTATS)

/* The points of a sweep: values[p × naxes + i] is key i at point p. */
typedef struct wg_sweep_design {
    size_t naxes;
    uint64_t npoints;
    const char **keys;   /* the scenario's axis keys (borrowed) */
    int *integer;        /* per axis: 1 when the key takes integers (Sobol values are rounded) */
    double *values;
} wg_sweep_design;

/* Make the design of s->sweep: a grid crossed in file order (the last key
 * varies fastest), or the first `points` points of GSL's Sobol sequence
 * scaled to the ranges. WG_EINPUT when s has no sweep or it is too large. */
wg_status wg_sweep_design_make(const wg_scenario *s, wg_sweep_design *z, wg_diag *d);
void wg_sweep_design_free(wg_sweep_design *z);

/* 64-bit FNV-1a hash of the scenario as resolved (seed, runs and sweep included). */
uint64_t wg_sweep_hash(const wg_scenario *s);

/* Run every run of point p and summarise it into row[WG_SWEEP_ROW]. g: the
 * base's graph when no swept key changes the network (NULL: build the
 * point's own). threads as wg_engine_new. */
wg_status wg_sweep_point(const wg_scenario *base, const wg_sweep_design *z, uint64_t p,
                         const wg_graph *g, const wg_job_run_params *rp, double *row,
                         wg_diag *d);

/* How to run a sweep (`waggle sweep`). Fill with wg_sweep_params_default. */
typedef struct wg_sweep_params {
    const char *scenario;          /* path */
    const char *const *sets;       /* overrides KEY=VALUE */
    size_t nsets;
    const char *out_dir;           /* NULL: wg_sweep_default_out */
    int threads;                   /* 0: OpenMP's default */
    int quiet;                     /* no lines on stderr */
    int shard, shards;             /* run points p with p mod shards = shard; default 0/1 */
    int resume;                    /* keep the points the journals of out_dir hold */
    wg_progress_fn progress;       /* (ud, points done, points to do) on rank 0, or NULL */
    void *progress_ud;
    volatile sig_atomic_t *stop;   /* polled between steps, or NULL */
    int argc;                      /* the command line, for the manifest */
    char **argv;
} wg_sweep_params;
void wg_sweep_params_default(wg_sweep_params *p);

/* Run the sweep on every rank (MPI, when built with it: call wg_par_init first);
 * rank 0 writes sweep.csv, manifest.yaml and sweep.png into the folder. */
wg_status wg_sweep_run(const wg_sweep_params *p, wg_diag *d);
/* "out/<stem>", or "out/<stem>-shard-K-of-N" for a shard. Caller frees. */
char *wg_sweep_default_out(const char *scenario, int shard, int shards);

/* Join the shard folders dirs[0..n-1] of one sweep into out (NULL: out/merged):
 * sweep.csv byte for byte as one unsharded sweep, manifest.yaml, sweep.png.
 * Refused (WG_EINPUT, nothing written): different scenarios or seeds, a shard
 * given twice, a missing shard, a folder without a finished sweep. */
wg_status wg_sweep_merge(const char *const *dirs, size_t n, const char *out, wg_diag *d);

#endif
