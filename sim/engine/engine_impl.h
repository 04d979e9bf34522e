/*
 * engine_impl.h — the engine's private state, shared by engine.c (the step
 * loop) and events.c (the timeline: picks and events). Not installed.
 */
#ifndef WAGGLE_ENGINE_IMPL_H
#define WAGGLE_ENGINE_IMPL_H

#include "waggle/engine.h"
#include "../base/philox.h"

/* Run index used for draws that must be the same in every run (segment picks). */
#define WG_RUN_FIXED UINT32_MAX
/* The engine's own state of an agent that has not arrived yet (arrivals.c):
 * after the six wg_states, so that `s < WG_IMMUNE` means aware and present. */
#define WG_ABSENT_STATE WG_NSTATES

/* One worker's state for one run at a time: struct of arrays over agents. */
typedef struct wg_work {
    uint8_t *state;      /* n: wg_state at the start of the current step */
    uint64_t *hits;      /* n: unaware: positive hits (low 32 bits) and negative hits (high 32);
                            talking: 1 when stifled this step; fractional: two floats */
    uint32_t *scratch;   /* n: candidate lists of picks */
    uint64_t *talk;      /* bitmap, n bits: talking at the start of the step (bit a % 64 of word a / 64) */
    uint64_t *touched;   /* bitmap, n bits: hit in this step (pass 2 resolves talk | touched) */
    double *skip;        /* 2 × (nsegments + 1): per table and valence, see prepare_skip in engine.c */
    uint64_t *gap_tab;   /* WG_GAP_TABLES × WG_GAP_BUCKETS: gap tables of the first classes (engine.c, note 1a) */
    uint64_t *quit_thr;  /* 2 × (nsegments + 1): thresholds of quit per table and valence, this step */
    double *gap_inv;     /* WG_GAP_TABLES: the 1 / log(1 - p) each table was built for (0: none) */
    uint32_t *life;      /* n, only when a valence's talking time is not geometric (talktime.c):
                            the last step a talker talks (it goes quiet at that step's end);
                            UINT32_MAX: beyond the run, or a geometric talker; NULL otherwise */
    double *thr;         /* 2n, exposure threshold with a law per agent (threshold.c): agent a's
                            thresholds of this run, [2a + valence]; NULL otherwise */
    uint32_t count[WG_NSTATES + 1]; /* agents in each state at the start of the step, and
                                       [WG_ABSENT_STATE] those not arrived (arrivals.c) */
    uint32_t *arrive_order; /* n: arrivals by random, this run's order of arrival; else NULL */
    uint32_t arrived;    /* arrivals: agents present so far (the first of the order) */
    wg_params *table;    /* nsegments + 1 current parameters: [0] global, [1 + i] segment i */
    uint32_t *overridden;/* nsegments + 1: bit p set when the segment's own value of p holds */
    /* response policies and triggers (events.c); NULL / 0 when the scenario has none */
    uint32_t *since;     /* n: the first step agent a talked as a critic, this time (policies) */
    uint8_t *answered;   /* n: 1 once a respond event answered agent a in this run (policies) */
    uint32_t *made;      /* n: contacts agent a made so far in this run (policies by reach) */
    uint64_t *keys;      /* n: ranking keys of the candidates of a policy */
    uint8_t *fired;      /* nevents: a trigger fired in this run */
    uint32_t *fired_step;/* nevents: the step it first fired */
    uint32_t new_neg;    /* new_negative of the last step (triggers) */
    uint32_t answers;    /* answers of the current step */
    double cost;         /* cost of the answers of the run so far */
    wg_trace_rec *trace; /* n records of a traced run (wg_engine_run_traced), else NULL */
    uint32_t from[WG_C_FROM_END - WG_C_FROM]; /* reaches by source and valence so far (enum wg_count) */
    uint32_t *seed_mark; /* n: 0 never seeded, else (step + 1) << 1 | valence of the last seed */
    uint32_t seeded[WG_NVALENCES]; /* agents whose last seed was of each valence, this run */
    uint64_t seed_conflicts;       /* agents two seeds picked in one step, summed over runs */
    uint32_t conflict_run, conflict_step, conflict_agent; /* the first such (UINT32_MAX: none) */
    /* partitioned runs (wg_engine_partition; unused otherwise) */
    uint64_t *changed;   /* partitioned: words w0 .. w1 - 1, the agents pass 2 changed (sent) */
    uint64_t *xsend, *xrecv;   /* exchange buffers, xsend_cap and xrecv_cap words */
    size_t xsend_cap, xrecv_cap;
    size_t *xcounts;     /* ranks: words sent to each rank */
    volatile sig_atomic_t *stop_flag; /* the caller's stop flag, summed over the ranks each step */
    uint64_t stop_all;   /* the sum of the last step: non-zero stops every rank at once */
    uint64_t xbytes, xsteps;   /* bytes sent and received, steps run (wg_engine_exchanged) */
    /* recommendation (attention.c); all zero / NULL when the model has none */
    uint64_t rec_thr[WG_NVALENCES]; /* this step's threshold of a recommendation hit per valence */
    double rec_a[WG_NVALENCES];     /* A_v of the next step (exponential memory), or of this one */
    uint32_t rec_seeds[WG_NVALENCES]; /* seed reaches (from[SEED]) already counted as new */
    uint32_t *rec_new;              /* power memory: steps × 2 agents newly reached per step */
} wg_work;

struct wg_engine {
    wg_sim sim;
    uint32_t n;
    int threads;
    int across_runs;          /* runs in parallel (one worker per thread) when there are enough runs */
    uint8_t *seg_of;          /* n: 0 none, 1 + i for segment i (the later segment wins); NULL without segments */
    uint32_t **members;       /* per segment: its agents, ascending */
    uint32_t *nmembers;
    uint32_t *order[3];       /* agents by degree, pagerank, k-core (descending; ties by keyed draw), or NULL */
    uint64_t *label_sorted;   /* labels sorted with their agent, for picks by id: pairs (label, agent) */
    uint32_t *label_agent;
    uint32_t *name_agent;     /* agents with text ids sorted by their text, for picks by id */
    uint32_t nnamed;
    uint32_t *degree_rank;    /* n: agent's place in order[degree] (policies by degree), or NULL */
    int policies;             /* some respond event is a standing policy */
    int triggers;             /* some event has when: */
    int by_reach;             /* some policy picks by reach (contacts made are counted) */
    double *cost_out;         /* wg_engine_set_costs: cost of run run0 + i into [i], or NULL */
    wg_work *work;
    int nwork;
    uint64_t trials;          /* arcs tried by talkers in the last wg_engine_run (benchmarks) */
    uint32_t *seeded_out;     /* wg_engine_record_seeds: runs × steps × 2, or NULL */
    uint64_t *negative_out;   /* wg_engine_record_negative: runs × WG_AGENT_WORDS(n), or NULL */
    /* talking times (talktime.c): lives = 1 when some valence's law is not
     * geometric; then, per valence, its fixed D (0: not fixed) or its table
     * cdf[d - 1] = P(D <= d), d = 1 .. steps (NULL: geometric or fixed) */
    int lives;
    uint32_t life_fixed[WG_NVALENCES];
    double *life_cdf[WG_NVALENCES];
    int thr_agents;           /* exposure threshold with a per-agent law: workers hold w->thr */
    /* partitioned runs (wg_engine_partition): the agents come in chunks of
     * WG_CHUNK_AGENTS (engine.c), dealt to the ranks in turn: this rank owns
     * chunks first, first + stride, ... (nchunks of them; stride = ranks,
     * first = rank; own_words words and own_agents agents) and the rows of
     * sim.g hold only theirs. Arc k of the block in a row of chunk c is arc
     * arc0[c] + k of the whole network (its draws use that index), read as
     * arc0[agent >> arc_shift].
     * Unpartitioned: part 0, stride 1, first 0, nchunks all of them, arc0
     * pointing to arc0_none (0) and arc_shift 32, so every agent reads it. */
    int part;
    wg_engine_comm comm;
    uint32_t stride, first;
    size_t nchunks;
    size_t own_words;    /* the bitmap words of those chunks */
    uint32_t own_agents; /* their agents */
    const uint64_t *arc0;
    unsigned arc_shift;
    uint64_t *arc0_own;   /* partitioned: arc0's array (freed with e) */
    uint64_t arc0_none;
    /* attention (attention.c): recommends = 1 when some valence has a
     * recommendation strength; rec_kernel[u] = k(u), u = 0 .. steps - 1, for a
     * power-law memory (NULL otherwise); rekindles = 1 when some valence may
     * rekindle, rk_thr its thresholds */
    int recommends;
    double *rec_kernel;
    int rekindles;
    uint64_t rk_thr[WG_NVALENCES];
};

/* ---- the trace recorder: the step calls these where an agent enters or leaves the reach */

/* Agent record r enters the reach at step t from src with valence v. */
static inline void wg_trace_enter(wg_trace_rec *r, uint32_t t, wg_source src, int v,
                                  uint32_t parent, unsigned generation)
{
    if (generation > WG_TRACE_GEN_MAX) generation = WG_TRACE_GEN_MAX;
    r->step_reached = t;
    r->parent = parent;
    r->tag = (uint16_t)((unsigned)src | (unsigned)(v == WG_NEG) << 3 | generation << 4);
}

/* Agent record r leaves the reach (forgot, blocked): unaware again, its
 * exposures and talked steps kept. */
static inline void wg_trace_leave(wg_trace_rec *r)
{
    r->step_reached = r->parent = WG_TRACE_NONE;
    r->tag = 0;
}

/* Apply the events of step t, in file order, to the worker's state (rule 0):
 * triggers are tested on the counts at the start of the step (w->count,
 * w->new_neg) before any event applies. Sets w->answers. Returns 1 when
 * states may have changed (the caller recounts). */
int wg_events_apply(const struct wg_engine *e, wg_work *w, uint32_t run, uint32_t t);
/* Media probability added by pulses at step t, per valence (a triggered
 * pulse counts from the step it fired in this worker's run). */
void wg_events_media(const struct wg_engine *e, const wg_work *w, uint32_t t, double media[2]);
/* 1 when an event or a media pulse may still change something after step t
 * (a trigger whose condition the counts now meet will fire at t + 1). */
int wg_events_pending(const struct wg_engine *e, const wg_work *w, uint32_t t);
/* Allocate and reset for a new run the worker's policy and trigger state. */
wg_status wg_events_work_alloc(const struct wg_engine *e, wg_work *w);
void wg_events_work_reset(const struct wg_engine *e, wg_work *w);
void wg_events_work_free(wg_work *w);
/* Set up what picks need: segment membership, rankings, labels. Checks
 * counts against the population. */
wg_status wg_events_prepare(struct wg_engine *e, wg_diag *d);
void wg_events_release(struct wg_engine *e);
/* talktime.c — talking times that are not geometric (DESIGN "Talking times").
 * Prepare the tables of D (e->lives and the laws' tables), or free them. */
wg_status wg_talktime_prepare(struct wg_engine *e, wg_diag *d);
void wg_talktime_release(struct wg_engine *e);
/* Agent a starts talking (a new talker, a seed): draw its talking time D,
 * keyed to (run, t, a), and store its last talking step first + D - 1 in
 * w->life. first: the first step it talks (t for a seed placed at step t,
 * t + 1 for an agent reached in step t). The one place where a talking time
 * starts; call it only when e->lives (w->life is NULL otherwise). */
void wg_talktime_start(const struct wg_engine *e, wg_work *w, uint32_t run, uint32_t t,
                       uint32_t a, uint32_t first);

/* threshold.c — exposure threshold (DESIGN "Threshold contagion").
 * Draw this run's per-agent thresholds into w->thr (only when e->thr_agents). */
void wg_thr_draw(const wg_engine *e, wg_work *w, uint32_t run);
/* Pass 1 of step t: for every unaware agent, the shares of its present
 * in-neighbours in each valence's reach that pass its thresholds, into hits. */
void wg_thr_pass(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, int nthreads,
                 int shared, int traced);
/* Pass 2 for unaware agent a: its new state (unaware, advocate or critic);
 * counts the new, the media reaches and the exposures, and records a trace. */
uint8_t wg_thr_resolve(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t a,
                       const double pulse[2], uint32_t *newpos, uint32_t *newneg,
                       uint32_t *newmedia, uint64_t expo[2], int traced);
/* attention.c — recommendation and rekindling (DESIGN "Attention").
 * Prepare the engine's part (e->recommends, the memory kernel, e->rekindles)
 * or free it; a worker's part (w->rec_new), reset per run, freed. */
wg_status wg_attention_prepare(struct wg_engine *e, wg_diag *d);
void wg_attention_release(struct wg_engine *e);
wg_status wg_attention_work_alloc(const struct wg_engine *e, wg_work *w);
void wg_attention_work_reset(const struct wg_engine *e, wg_work *w);
void wg_attention_work_free(wg_work *w);
/* Before step t's passes: w->rec_thr from A_v(t). Call only when e->recommends. */
void wg_attention_begin(const struct wg_engine *e, wg_work *w, uint32_t t);
/* After step t: its new agents per valence (newly[v], reached in pass 2;
 * the seeds of the step are read from w->from) enter the memory. */
void wg_attention_end(const struct wg_engine *e, wg_work *w, uint32_t t, const uint32_t newly[2]);
/* 1 when a recommendation may still hit someone after step t (some A_v of
 * step t + 1 is positive with a strength, and someone is unaware). */
int wg_attention_pending(const struct wg_engine *e, const wg_work *w, uint32_t t);

/* arrivals.c — open audiences (DESIGN "Open audiences"); call only when
 * e->sim.arrivals.on. At the start of run `run` (after the states are
 * reset): its order of arrival, the agents present at step 0, the counts. */
void wg_arrivals_reset(const wg_engine *e, wg_work *w, uint32_t run);
/* At the start of step t >= 1, before its events: the agents arriving. */
void wg_arrivals_step(const wg_engine *e, wg_work *w, uint32_t t);

/* Reset the parameter tables of a worker to the scenario's values. */
void wg_params_reset(const struct wg_engine *e, wg_work *w);

#endif
