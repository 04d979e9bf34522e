/*
 * waggle/job.h — the one way to run a scenario (DESIGN.md, "Architecture (v2)").
 *
 * A wg_job carries a scenario through the whole pipeline:
 *
 *     open (file, YAML text or a scenario struct; --set overrides)
 *       -> build (the network, unless one was lent; its statistics)
 *       -> run (every run of the engine, threads, progress, stop flag)
 *       -> results (series, finals: flat arrays the caller reads)
 *       -> write (the run folder: series, summary, finals, observed, manifest, charts)
 *       -> free
 *
 * Commands, studies (compare, sweep, fit, validate), the tests and the Python
 * package all go through it; nothing else strings these stages together.
 * The handle is opaque; wg_job_free(NULL) is a harmless no-op.
 *
 * Invariants:
 *   1. a job's scenario never changes after open;
 *   2. results exist only after a wg_job_run that returned WG_OK, and hold
 *      runs × steps rows of WG_NCOUNTS counts;
 *   3. wg_job_write validates everything it reads (the observed file) before it
 *      creates the folder, so bad input writes nothing.
 */
#ifndef WAGGLE_JOB_H
#define WAGGLE_JOB_H

#include <signal.h>
#include "waggle/common.h"
#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/output.h"
#include "waggle/scenario.h"

typedef struct wg_job wg_job;

/* ---- open ------------------------------------------------------------------------ */

/* Load a scenario: the file at path, or standard input when path is "-" (its
 * relative paths then resolve against the working folder; at most 16 MiB), with
 * overrides ("KEY=VALUE", as --set). What every opener below uses. */
wg_status wg_job_load(const char *path, const char *const *sets, size_t nsets, wg_scenario **out,
                      wg_diag *d);

/* Load the scenario file at path ("-": standard input) with overrides. */
wg_status wg_job_open(const char *path, const char *const *sets, size_t nsets, wg_job **out,
                      wg_diag *d);
/* The same from YAML text: name is used in messages, dir resolves relative paths. */
wg_status wg_job_open_text(const char *text, size_t len, const char *name, const char *dir,
                           const char *const *sets, size_t nsets, wg_job **out, wg_diag *d);
/* Take ownership of a scenario s (freed by wg_job_free, also on failure). When g is
 * not NULL the job runs on it (borrowed: it must outlive the job) instead of
 * building the scenario's network. */
wg_status wg_job_open_scenario(wg_scenario *s, const wg_graph *g, wg_job **out, wg_diag *d);

/* The scenario a run folder was made from: the scenario: section of
 * DIR/manifest.yaml (its paths as the run resolved them, read from the
 * working folder). WG_EINPUT (no manifest, no scenario section, a scenario
 * that no longer loads), WG_ENOMEM. */
wg_status wg_job_open_folder(const char *dir, wg_job **out, wg_diag *d);

void wg_job_free(wg_job *j);

/* ---- build and run ----------------------------------------------------------------- */

/* Build the network (or take the lent one) and compute its statistics. Idempotent;
 * wg_job_run calls it when needed. */
wg_status wg_job_build(wg_job *j, wg_diag *d);

/* Build only the network (no statistics): what a picture of it needs. */
wg_status wg_job_build_network(wg_job *j, wg_diag *d);

/* How to run. Fill with wg_job_run_params_default, then change what you need. */
typedef struct wg_job_run_params {
    int threads;                     /* 0: OpenMP's default; results do not depend on it */
    wg_progress_fn progress;         /* called with (ud, runs done, runs total), or NULL */
    void *progress_ud;
    volatile sig_atomic_t *stop;     /* polled between steps: non-zero stops with WG_EINTR */
    int no_stats;                    /* 1: build only the network, not its statistics (a
                                        study scoring many jobs on one lent network; their
                                        manifests then have no network section) */
    const wg_engine_comm *partition; /* not NULL: a partitioned run (`run --partition`,
                                        waggle/engine.h) on these ranks; the job then
                                        keeps only this rank's block of the network
                                        (wg_job_graph), and runs once. Refused with
                                        traced runs. Every rank gets every count. */
} wg_job_run_params;
void wg_job_run_params_default(wg_job_run_params *p);

/* Check the scenario against its network (picks, segments) without running. */
wg_status wg_job_prepare(wg_job *j, wg_diag *d);

/* Run every run of the scenario (runs in parallel or threads inside a run, as the
 * engine decides). Replaces earlier results. */
wg_status wg_job_run(wg_job *j, const wg_job_run_params *p, wg_diag *d);

/* ---- what a job holds ---------------------------------------------------------------- */

const wg_scenario *wg_job_scenario(const wg_job *j);
/* The network (NULL before wg_job_build) and its statistics (NULL likewise). */
const wg_graph *wg_job_graph(const wg_job *j);
const wg_graph_stats *wg_job_net_stats(const wg_job *j);
/* The counts of the last run (NULL before one), and its wall time in seconds. */
const wg_results *wg_job_results(const wg_job *j);
double wg_job_seconds(const wg_job *j);
/* A partitioned run (wg_job_run_params.partition): the bytes this rank sent and
 * received in its exchanges, and the steps it ran (all runs); 0 and 0 otherwise. */
void wg_job_exchanged(const wg_job *j, uint64_t *bytes, uint64_t *steps);
/* Threads the last run used. */
int wg_job_threads(const wg_job *j);

/* Flat arrays for callers that read numbers, not files (bindings, tests).
 * wg_job_series: runs × steps × WG_NCOUNTS counts, row (r, t) at
 * ((r × steps) + t) × WG_NCOUNTS, in the column order of series.csv; NULL before a
 * run. The pointer lives as long as the results. */
const uint32_t *wg_job_series(const wg_job *j, uint32_t *runs, uint32_t *steps);
/* Keep, from the next wg_job_run on (on = 1), the agents negative (critics or
 * rejecters) at the end of each run: runs × WG_AGENT_WORDS(n) words of 64 bits
 * (waggle/engine.h), what compare's saved and lost count agent by agent. */
void wg_job_keep_negative(wg_job *j, int on);
/* The bitset of run `run` (WG_AGENT_WORDS(n) words, owned by the job), or NULL
 * when the job keeps none, has no results or has no such run. */
const uint64_t *wg_job_negative(const wg_job *j, uint32_t run);
/* Free the kept bitsets now (the next wg_job_run keeps them again when asked). */
void wg_job_drop_negative(wg_job *j);
/* WG_NCOUNTS, the width of a row of wg_job_series, for bindings that cannot read the
 * header (the columns of enum wg_count: series.csv's after run,step, then answers
 * and the reach by source). */
uint32_t wg_job_series_width(void);
/* One run's final figures (finals.csv) into f; WG_EINPUT for a run that does not exist. */
wg_status wg_job_final(const wg_job *j, uint32_t run, wg_final *f, wg_diag *d);
/* The traced runs of the last wg_job_run (the scenario's trace:): returns
 * how many; for i below that, *run, *state (n final states) and *rec (n
 * records, waggle/engine.h) of the i-th, owned by the job. */
size_t wg_job_trace(const wg_job *j, size_t i, uint32_t *run, const uint8_t **state,
                    const wg_trace_rec **rec);

/* ---- write ----------------------------------------------------------------------------- */

/* What the manifest of a folder says about how it was made. */
typedef struct wg_job_write_params {
    int argc;                        /* the command line (for manifest.yaml and PNG text) */
    char **argv;
    const char *kind;                /* "run", "compare", "sweep"; default "run" */
    int ranks;                       /* MPI ranks; default 1 */
    const char *manifest_extra;      /* more top-level YAML lines, each ending in \n, or NULL */
    const struct wg_render_opts *render;   /* the charts' size and format; NULL: PNG, defaults */
} wg_job_write_params;
void wg_job_write_params_default(wg_job_write_params *p);

/* Write the run folder dir: series.csv, summary.csv, finals.csv, observed.csv (when the
 * scenario has `observed:`), manifest.yaml (with the blow-up share), then the charts
 * drawn from those files (curves.png, states.png, finals.png). */
wg_status wg_job_write(const wg_job *j, const char *dir, const wg_job_write_params *p,
                       wg_diag *d);

/* Facts for a manifest.yaml written by a study for a folder of several jobs
 * (compare's top folder, a sweep). */
typedef struct wg_manifest {
    const wg_scenario *scenario;
    const wg_graph_stats *net;
    int threads, ranks;
    double wall_seconds;
    int argc;
    char **argv;
    const char *kind;          /* "run", "compare", "sweep" */
} wg_manifest;
/* extra: more top-level YAML lines (each ending in \n) after wall_seconds, or NULL. */
wg_status wg_manifest_write(const char *dir, const wg_manifest *m, const char *extra, wg_diag *d);

/* The engine's view of a scenario on g (no copies: both must outlive sim), for
 * callers that drive the engine directly (its tests). */
void wg_job_sim_of(const wg_scenario *s, const wg_graph *g, wg_sim *sim);

/* The files a scenario reads (its own path, network.file, observed.file;
 * NULL where it has none), in[0..2]: the inputs an output folder must not
 * hold (wg_outdir_open). */
#define WG_JOB_NINPUTS 3
void wg_job_inputs(const wg_scenario *s, const char *in[WG_JOB_NINPUTS]);
/* wg_outdir_open(od, dir) with s's inputs. */
wg_status wg_job_outdir_open(wg_outdir *od, const char *dir, const wg_scenario *s, wg_diag *d);

/* Default output folder for a scenario path: "out/<stem>" ("out/stdin" for "-"). Caller frees. */
char *wg_job_default_out(const char *scenario_path);

#endif
