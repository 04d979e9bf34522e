/*
 * waggle/engine.h — runs of the model on a graph: runs × steps of the
 * synchronous rules of DESIGN.md, counted into a series per run.
 *
 * The engine reads no file and knows no YAML: it is given the graph, the
 * model, segments and events as plain structs (waggle/model.h). All its
 * randomness is keyed (waggle/rng.h), so a run's series depends only on
 * (sim, seed, run): never on the number of threads or on which thread ran it.
 */
#ifndef WAGGLE_ENGINE_H
#define WAGGLE_ENGINE_H

#include <signal.h>
#include "waggle/common.h"
#include "waggle/graph.h"
#include "waggle/model.h"

/* What a simulation is: read-only for the engine's lifetime (not copied). */
typedef struct wg_sim {
    const wg_graph *g;
    wg_model model;
    const wg_segment *segments;
    size_t nsegments;
    const wg_event *events;   /* in file order; those of one step apply in that order */
    size_t nevents;
    uint32_t steps;           /* >= 1 */
    uint64_t seed;
} wg_sim;

/* Columns of one step's counts. */
enum wg_count {
    WG_C_UNAWARE = 0, WG_C_ADVOCATES, WG_C_CRITICS, WG_C_SUPPORTERS, WG_C_REJECTERS,
    WG_C_IMMUNE, WG_C_NEW_POS, WG_C_NEW_NEG,
    WG_C_ANSWERS,   /* critics answered by respond events in the step (one-shot or standing) */
    WG_NCOUNTS
};

typedef struct wg_engine wg_engine;

/* Called from one thread at a time, at most a few times per second. */
typedef void (*wg_progress_fn)(void *ud, uint64_t runs_done, uint64_t runs_total);

/* Prepare a simulation: segment membership, rankings needed by picks,
 * per-thread workspaces. threads <= 0 means OpenMP's default. */
wg_status wg_engine_new(const wg_sim *sim, int threads, wg_engine **out, wg_diag *d);
void wg_engine_free(wg_engine *e);

/*
 * Run runs run0 .. run0 + nruns - 1. counts must hold nruns × steps ×
 * WG_NCOUNTS words: counts[((r - run0) × steps + t) × WG_NCOUNTS + c] is
 * count c at the end of step t of run r. steps_run[r - run0] receives the
 * number of steps until nothing could change any more (no talker, no pending
 * event or media, no forgetting); the counts of later steps repeat the last.
 * Runs go in parallel, one per thread, on small graphs, and on large graphs
 * when there are at least as many runs as threads and memory allows;
 * otherwise one run at a time with every thread inside it. `stop`, when not NULL, is polled between steps:
 * when it becomes non-zero the call returns WG_EINTR.
 */
wg_status wg_engine_run(wg_engine *e, uint32_t run0, uint32_t nruns, uint32_t *counts,
                        uint32_t *steps_run, wg_progress_fn progress, void *ud,
                        volatile sig_atomic_t *stop, wg_diag *d);

/* Where the next wg_engine_run(e, run0, nruns, ...) calls store the cost of
 * each run's answers (Σ answers × cost of their respond event): run
 * run0 + i into cost[i], which must hold nruns doubles. NULL (the default):
 * not stored. The array stays the caller's. */
void wg_engine_set_costs(wg_engine *e, double *cost);

/* Arcs tried by talkers during the last wg_engine_run (for benchmarks: edge trials). */
uint64_t wg_engine_trials(const wg_engine *e);

/* Bytes the engine holds per agent while it runs (all workers together; the
 * graph not included), and the number of workers (runs at once). */
double wg_engine_bytes_per_agent(const wg_engine *e, int *workers);
/* Threads the engine uses. */
int wg_engine_threads(const wg_engine *e);
/* Threads an engine made with threads <= 0 would use (OpenMP's default). */
int wg_engine_default_threads(void);

/* The state of every agent at the end of the last step of the last run that
 * this thread-count-independent call made; for tests: run one run and read
 * the n states into `state`. */
wg_status wg_engine_run_states(wg_engine *e, uint32_t run, uint8_t *state, uint32_t *counts,
                               wg_diag *d);

#endif
