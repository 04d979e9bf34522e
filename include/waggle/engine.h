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
    wg_arrivals arrivals;     /* open audience; zero: everyone present from the start */
} wg_sim;

/* Columns of one step's counts: the six states at the end of the step, the
 * agents newly reached by each valence (by contacts and media: seeds are not
 * "new"), and the exposures of each valence in the step (DESIGN
 * "Exposures": every contact a talker makes with a non-immune agent, aware or
 * not, every media hit; with exposure fractional, every hit of a hazard; at
 * most 2^32 - 1, the count written beyond); then, cumulative from step 0,
 * the reaches of each valence by source (an agent reached again after
 * forgetting counts again; the valence is the one it took). Without
 * forgetting or respond the four sources of a valence sum to its reach. */
enum wg_count {
    WG_C_UNAWARE = 0, WG_C_ADVOCATES, WG_C_CRITICS, WG_C_SUPPORTERS, WG_C_REJECTERS,
    WG_C_IMMUNE, WG_C_NEW_POS, WG_C_NEW_NEG,
    WG_C_ANSWERS,   /* critics answered by respond events in the step (one-shot or standing) */
    WG_C_EXPOSURES_POS, WG_C_EXPOSURES_NEG,
    /* index WG_C_FROM + 2 × (source - WG_SRC_SEED) + valence: seed, word of mouth, media, recommend */
    WG_C_FROM,
    WG_C_FROM_END = WG_C_FROM + 2 * (WG_SRC_RECOMMEND - WG_SRC_SEED + 1),
    WG_C_ABSENT = WG_C_FROM_END,   /* agents not arrived yet (arrivals; 0 without): the six
                                      states and this sum to the agents */
    WG_NCOUNTS
};
/* The column of the cumulative reach of valence v from source src (seed .. recommend). */
#define WG_C_FROM_OF(src, v) (WG_C_FROM + 2 * ((int)(src) - (int)WG_SRC_SEED) + (v))

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

/* From the next wg_engine_run on, seeded[((r - run0) × steps + t) × 2 + v]
 * receives the agents whose last seed was of valence v (WG_POS, WG_NEG) in
 * run r up to the end of step t (an agent two seeds picked counts once, for
 * the later). NULL: not recorded (the default). */
void wg_engine_record_seeds(wg_engine *e, uint32_t *seeded);
/* Agents that two seeds picked in one step, summed over every run this
 * engine made so far; *run, *step, *agent: the first in run order (UINT32_MAX
 * when none). The later seed wins. */
uint64_t wg_engine_seed_conflicts(const wg_engine *e, uint32_t *run, uint32_t *step,
                                  uint32_t *agent);
/* Where the next wg_engine_run(e, run0, nruns, ...) calls store the cost of
 * each run's answers (Σ answers × cost of their respond event): run
 * run0 + i into cost[i], which must hold nruns doubles. NULL (the default):
 * not stored. The array stays the caller's. */
void wg_engine_set_costs(wg_engine *e, double *cost);

/* Words of 64 bits in a bitset of n agents (agent a: bit a % 64 of word a / 64). */
#define WG_AGENT_WORDS(n) (((size_t)(n) + 63) / 64)
/* From the next wg_engine_run on, run run0 + i stores at
 * negative + i × WG_AGENT_WORDS(n) the bitset of the agents negative (critics
 * or rejecters) at the end of its last step, the agents compare's saved and
 * lost count (the bits beyond n are 0). NULL (the default): not stored. The
 * array stays the caller's. */
void wg_engine_record_negative(wg_engine *e, uint64_t *negative);

/* Arcs tried by talkers during the last wg_engine_run (for benchmarks: edge trials). */
uint64_t wg_engine_trials(const wg_engine *e);

/* Bytes the engine holds per agent while it runs (all workers together; the
 * graph not included), and the number of workers (runs at once). */
double wg_engine_bytes_per_agent(const wg_engine *e, int *workers);
/* Threads the engine uses. */
int wg_engine_threads(const wg_engine *e);
/* Threads an engine made with threads <= 0 would use (OpenMP's default). */
int wg_engine_default_threads(void);
/* Whether `threads` OpenMP threads can be started: their stacks (OMP_STACKSIZE, else
 * RLIMIT_STACK) must fit in the address space left under RLIMIT_AS, and
 * their number under RLIMIT_NPROC (not for root). WG_ENOMEM with "-t N: ..." when not,
 * so that a run is refused before it starts rather than ended by OpenMP's own
 * "Thread creation failed". */
wg_status wg_engine_check_threads(int threads, wg_diag *d);

/*
 * Traced runs: where each agent's opinion came from (DESIGN.md, `trace:`).
 * One record of 16 bytes per agent, filled while the run runs; the run's
 * counts are the very same as untraced (the trace only reads the decisions
 * and draws from its own keyed purposes).
 */
#define WG_TRACE_NONE UINT32_MAX          /* step_reached or parent of nobody */
#define WG_TRACE_GEN_MAX 4095u            /* generations saturate here (12 bits) */
typedef struct wg_trace_rec {
    uint32_t step_reached; /* the step at whose end (seeds: at whose start) the agent entered the
                              reach; WG_TRACE_NONE when it is not in the reach. While the agent
                              is unaware inside a step: its negative parent candidate */
    uint32_t parent;       /* agent index of the talker whose contact decided; WG_TRACE_NONE for
                              seeds, media and the unreached. While unaware inside a step: the
                              positive parent candidate */
    uint32_t exposures;    /* contacts received from talkers (aware or not) and media hits
                              received while unaware, over the whole run */
    uint16_t talked_steps; /* steps at whose start it was talking (saturating at 65535) */
    uint16_t tag;          /* bits 0-2 wg_source, bit 3 valence (WG_NEG), bits 4-15 generation */
} wg_trace_rec;

static inline wg_source wg_trace_source(const wg_trace_rec *r) { return (wg_source)(r->tag & 7); }
static inline int wg_trace_valence(const wg_trace_rec *r) { return r->tag >> 3 & 1; }
static inline unsigned wg_trace_generation(const wg_trace_rec *r) { return r->tag >> 4; }

/*
 * Run run `run` alone with the recorder on: counts (steps × WG_NCOUNTS) and
 * *steps_run as wg_engine_run gives them for that run, state (n bytes) the
 * states at the end, trace (n records) each agent's record. Rule of the
 * records: an agent that leaves the reach (forgets, is blocked) loses its
 * step, source, parent and generation, and keeps its exposures and talked
 * steps; a seed of an agent already in the reach does not change its record.
 */
wg_status wg_engine_run_traced(wg_engine *e, uint32_t run, uint32_t *counts, uint32_t *steps_run,
                               uint8_t *state, wg_trace_rec *trace, wg_diag *d);

/*
 * Partitioned runs (DESIGN "Scale": `waggle run --partition` under mpirun).
 * The agents come in chunks of 2,048 consecutive ids, dealt to the ranks in
 * turn: rank r of R owns chunks r, r + R, r + 2R, ... (its block) with
 * their out-arcs (exposure
 * independent: a talker's contacts are drawn along its own row) or their
 * in-arcs (exposure fractional: an agent sums its in-neighbours). Every rank
 * keeps every agent's state (1 byte an agent, and the talker bitmap), so
 * events, picks and triggers run the same on every rank; each step, a rank
 * sends the hits its talkers made on other blocks' agents to their owners,
 * resolves its own block, and sends every rank the states of its block that
 * changed with its counts of the step (which every rank sums): two
 * exchanges a step. All randomness is keyed to (seed, run, step, agent or
 * global arc), so the counts are the serial run's, bit for bit, for every R.
 *
 * The collective operations come from the caller (sim/study/parallel.c wraps
 * MPI), so the engine never talks to MPI itself. Every rank calls them in
 * the same order. A callback that cannot allocate stops the job (it cannot
 * fail back into a step).
 */
typedef struct wg_engine_comm {
    int rank, ranks;
    void *ud;
    /* send[counts[0] + ... ] holds counts[q] words for rank q, in rank order;
     * *recv (grown as needed, *cap words) receives the words every rank sent
     * to this one, in rank order; returns their number */
    size_t (*alltoall)(void *ud, const uint64_t *send, const size_t *counts, uint64_t **recv,
                       size_t *cap);
    /* *recv (grown as needed) receives every rank's n words, in rank order
     * (this rank's own included; n may differ between ranks); returns their
     * number */
    size_t (*allgather)(void *ud, const uint64_t *send, size_t n, uint64_t **recv, size_t *cap);
    /* stops every rank after a failure on this one (what: its reason); never returns */
    void (*fail)(void *ud, const char *what);
} wg_engine_comm;

/* Make e (made by wg_engine_new on the whole network, so that every pick and
 * ranking is prepared on it) a partitioned engine: copies this rank's rows
 * (and the agents' ids) into *block, a graph of all n agents whose other rows
 * are empty, which e reads from now on and the caller owns (it must outlive
 * e; the whole network may be freed). Refused (WG_EINPUT,
 * with the reason) for what cannot be partitioned: response policies that
 * pick by reach. Call once, before any run. */
wg_status wg_engine_partition(wg_engine *e, const wg_engine_comm *comm, wg_graph **block,
                              wg_diag *d);
/* Touch the arrays every run clears (state, seed marks, hits and bitmaps of
 * each worker made so far), so that the first run does not pay their first page faults:
 * 0.3 s a GB on the machine waggle is measured on, and 5 times that in a
 * process that already holds a few GB, as a rank with its block of a large
 * network does. Call it when the memory is what the runs will have (after
 * wg_engine_partition and the whole network freed). Changes no output. */
void wg_engine_touch(wg_engine *e);

/* Bytes this rank sent and received in the partition's exchanges, summed over
 * the last wg_engine_run, and the steps it ran (benchmarks). */
void wg_engine_exchanged(const wg_engine *e, uint64_t *bytes, uint64_t *steps);

/* The state of every agent at the end of the last step of the last run that
 * this thread-count-independent call made; for tests: run one run and read
 * the n states into `state`. */
wg_status wg_engine_run_states(wg_engine *e, uint32_t run, uint8_t *state, uint32_t *counts,
                               wg_diag *d);

#endif
