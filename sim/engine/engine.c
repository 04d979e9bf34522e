/*
 * engine.c — runs of waggle's word-of-mouth model: the synchronous step of
 * DESIGN.md, repeated for every step of every run.
 *
 * Design notes: one step t of one run
 *
 *   0. Events of step t apply first, in file order (events.c): seeds become
 *      talkers and talk in this very step; set/scale change the parameter
 *      tables; respond and block change states.
 *   1. Transmission pass, over talkers in id order (a bitmap of talkers;
 *      OpenMP inside the run on large graphs). exposure independent: each
 *      talker s tries its out-arcs as `contact` says (all; one picked with a
 *      keyed draw; once = all, then quiet), each making contact with
 *      probability p = share(s) × activity(s) × susceptibility(r) ×
 *      weight(e), capped at 1. A contact with an unaware agent adds one hit
 *      of s's valence to hits[r] with an atomic add (integer, so order-free;
 *      a plain add when one thread runs the run) and marks r in `touched`. A
 *      contact with an aware agent (not immune) stifles s with probability
 *      `stifle` (draw (STIFLE, e / 4) word e % 4): s's own touched bit says
 *      so, free since a talker is never hit.
 *      1a. Which random numbers decide the contacts. When every arc of s has
 *      the same p (no weights, one susceptibility for all segments, contact
 *      all or once), s skips from contact to contact: the gap before the next
 *      contact is geometric, G = floor(log U / log(1 - p)) with U = (u + 0.5)
 *      / 2^32: gaps 0 and 1 of s in this step are words 2 and 3 of draw
 *      (QUIET, s), whose word 0 decides in pass 1 whether s quits (rule 5;
 *      pass 2 then draws nothing for a talker), so a talker of low degree
 *      costs one draw a step (the (QUIET, s) draws of a chunk of talkers
 *      are made in one loop, which the compiler vectorises); gap j >= 2 is
 *      word (j - 2) % 4 of draw (SKIP, ((j - 2) / 4) << 32 | s).
 *      P(G >= k) = (1 - p)^k, so each arc makes contact independently with probability p, exactly as rule 1 says (up to the
 *      2^-32 resolution that every threshold has). Cost: about deg × p + 1
 *      draws per talker instead of one draw per arc (share 0.05: 20 times
 *      fewer on a large degree), and arcs without contact are never read.
 *      No logarithm per contact: G is a non-increasing function of the word
 *      u, so for each of WG_GAP_BUCKETS buckets of u (its top bits) a table
 *      holds the smallest G of the bucket and the first u of the bucket
 *      where G takes that value (found by bisection with the same formula);
 *      G = base + (u < boundary) when G takes at most two values in the
 *      bucket, the formula itself otherwise (u near 0, about 1 % of draws at
 *      p = 0.05; every draw for tiny p). The table gives the very same G as
 *      the formula, bit for bit, so it changes no output. A table is built
 *      (a few thousand logarithms) once per worker, class and valence when
 *      its p changes, before the pass, for the first WG_GAP_TABLES / 2
 *      parameter tables; later ones use the formula. Otherwise (weights,
 *      segments with their own susceptibility, contact one) arc e makes contact when word e % 4 of
 *      draw (EDGE, e / 4) is below p: the random word is drawn before the
 *      neighbour's state is read, which is cheaper than the memory access it
 *      often avoids. The price of skipping: a what-if that changes p moves
 *      the contacts of the skipping talkers (their gaps change), where per-arc
 *      words would keep every contact made at a lower p; both are keyed, so
 *      outputs stay identical at any thread count.
 *      1b. Memory: at 10^6 agents the cost is one random access per contact
 *      (the receiver's id, then its state). Contacts are buffered per chunk
 *      of talkers and their ids and states fetched ahead (prefetch), as are
 *      the offsets of the talkers WG_AHEAD places ahead.
 *      exposure fractional: instead, each unaware agent a sums
 *      over its in-neighbours (in a fixed order, so the float sum does not
 *      depend on threads) the weight × activity × share of those talking with
 *      each valence, divided by its total in-weight, and stores the two
 *      hazards media + susceptibility × that sum in hits[a] as two floats.
 *      exposure threshold (threshold.c): instead, each unaware agent a sums
 *      the weights of its present in-neighbours in the reach of each valence
 *      and stores the shares that pass its thresholds in hits[a] as two
 *      floats; pass 2 resolves unaware agents there too (wg_thr_resolve).
 *   2+3+4. Resolution pass, over talkers and touched agents only when
 *      nothing else can change (no media, no forgetting, exposure
 *      independent), else over all agents: an unaware agent adds one hit per
 *      valence from media (independent) or is hit with each hazard
 *      (fractional); with n+ and n- hits it turns positive when the draw
 *      (AGENT, a) word 2 maps below n+ in [0, n+ + n-), so the choice does not
 *      depend on which thread counted which hit first; positive makes an
 *      advocate with probability `quality`, else a critic; negative makes a
 *      critic. New talkers talk from step t + 1.
 *   5. In the same pass, agents talking at the start of the step go quiet
 *      with `quit` (always with contact `once`, and when stifled; exposure
 *      independent: decided in pass 1, see 1a, and marked like stifling),
 *      quiet agents forget with `forget`. Talking times that are not
 *      geometric (model.duration, talktime.c): a talker's D is drawn when it
 *      starts talking (wg_talktime_start: in pass 2 for an agent reached in
 *      this step, in events.c for a seed) and it goes quiet at the end of
 *      its last step w->life instead of with `quit`; its valence's quit
 *      threshold is then WG_QUIT_LIFE, so that the test costs a geometric
 *      talker nothing, and pass 2 is specialised on e->lives once per word. The pass counts the changes of state
 *      (counts are kept from step to step, recounted after events that change
 *      states) and writes the talker bitmap of step t + 1: row t.
 *
 *   5a. Attention (attention.c). model.recommend: before the passes the
 *      step's hit thresholds per valence are fixed from the memory A_v(t);
 *      pass 2 draws an unaware agent's recommendation hits (RECOMMEND, a)
 *      beside its media hits and counts them like them (hits, exposures, the
 *      source: media, recommendation or word of mouth, one of the hits picked
 *      at random); after pass 2 the step's new agents (and its seeds) enter
 *      the memory. A step with a threshold is a full pass. model.rekindle: a
 *      contact of valence v with a quiet agent of v sets the quiet agent's
 *      touched bit in pass 1 (unused otherwise); pass 2 then, or on a media
 *      hit of v (REKINDLE, a word 0), makes it talk again with probability
 *      rekindle.v (word 1), with a new talking time; forgetting goes first.
 *      A model without either runs the plain passes (note 8): no test of
 *      them per contact or per agent.
 *
 *   6. Tracing (wg_engine_run_traced, one run alone): a recorder of 16
 *      bytes per agent (wg_trace_rec) is called where an agent is contacted
 *      (trace_contact: an exposure; an unaware receiver's parent candidate
 *      of the talker's valence, the smallest key (PARENT, r << 32 | s), kept
 *      in the record's step_reached (negative) and parent (positive) fields,
 *      free while it is unaware), where it is reached (trace_reach: the
 *      source, WG_R_SOURCE deciding between a media hit and contacts, the
 *      parent and generation), where it leaves the reach (forget, block)
 *      and where a seed enters (events.c). The recorder draws from its own
 *      purposes and writes only records, so the counts are those of the
 *      untraced run. Pass 1 and pass 2 are written once per mode (note 8),
 *      the recorder a compile-time constant in each, so an untraced run
 *      carries no trace code (not a test per arc). Sources added by new models call
 *      wg_trace_enter with their wg_source where they reach an agent.
 *
 *   7. Partitioned runs (wg_engine_partition, `run --partition`): the
 *      chunks of WG_CHUNK_AGENTS agents are dealt to the ranks in turn, and
 *      this rank owns chunks first, first + stride, ... (its block: rank and
 *      ranks) and only their rows; every rank keeps every agent's state and
 *      the whole talker bitmap. Dealt chunks rather than one run of
 *      consecutive agents a rank: where ids follow age (a Barabasi-Albert
 *      network's hubs are its first agents), one run of the first agents
 *      would hold the hubs, busy early in a run and with fewer agents to
 *      resolve, and each pass of every step would wait for the slower rank.
 *      The loops of a step count the block's words and agents in order
 *      (own_word, own_agent), which are the network's own when not
 *      partitioned. Pass 1 runs the block's talkers (exposure fractional: the
 *      block's unaware agents); their hits on other blocks' agents are sent
 *      to the owners and added there (part_hits), before pass 2 resolves the
 *      block's words only (marking the agents it changes in w->changed,
 *      a word per bitmap word); the block's changed states then go to every rank
 *      and the step's counts are summed (part_finish). Arc draws (EDGE,
 *      STIFLE) use the arc's index in the whole network (the block's index
 *      plus its chunk's arc0), every other draw an agent's id, so the counts are the
 *      serial run's for any number of ranks. Events run on every rank on
 *      the replicated states, the same way.
 *
 *   8. Modes of the passes. Pass 1's contact path (transmit_chunk,
 *      transmit_skip, transmit_arcs, contacts_flush, contact) and pass 2
 *      (resolve_word, resolve) are each written once, with a mode that is a
 *      compile-time constant at every call, and instantiated per mode; step
 *      picks the mode once per step from what the run uses (plain_run):
 *      plain, when the run uses none of standing policies, rekindling,
 *      recommendation, talking times that are not geometric, exposure
 *      threshold or distrust ties (a partitioned run's pass 1 runs plain
 *      too, note 7's arc offset an addition in every mode; its pass 2 runs
 *      general, which keeps the changes in w->changed): the code of an engine
 *      without them, not a test of each per contact or per agent (the
 *      benchmark's callgrind count, docs/PERFORMANCE.md); general, with
 *      any of them, each tested where it acts; traced, general with the
 *      recorder (note 6). A mechanism added later is tested in general and
 *      traced mode only, and plain_run excludes it. The modes run the same
 *      rules on the same draws, so the counts do not depend on the mode.
 *
 * Every decision reads states of the start of the step: pass 1 only reads
 * `state` and writes `hits` and `touched`; pass 2 writes each agent's own
 * state and the bitmap words of its own 64 agents only.
 * A run stops early when nothing can change any more (no talker, no pending
 * event or media, nobody to forget); the later rows repeat the last one.
 *
 * Parallelism: whole runs in parallel, one worker (state, hits, scratch,
 * two bitmaps: 13.25 bytes per agent, plus 128 KiB of gap tables) per
 * thread, whenever there is a run for every thread: always on graphs of at
 * most WG_SMALL_GRAPH agents (a lone run then leaves threads idle, which
 * costs little there), and on larger graphs when wg_engine_run is given at
 * least as many runs as threads and the extra workers fit the memory budget:
 * all workers' state at most a quarter of the physical memory. BA n = 10^6
 * at 2 threads needs 26.5 MB, n = 10^7 265 MB. A large graph's extra
 * workers are made by the first wg_engine_run given enough runs (a lone
 * run never pays for them); if memory refuses them, threads go inside runs
 * instead, which needs no more memory. Otherwise (one run, fewer runs
 * than threads, or too little memory) one run at a time with every thread
 * in both passes: two barriers per step and atomics on hits, which scale
 * well on an idle machine (1.9 at 2 threads on BA 10^6) but badly on a busy
 * one, where a thread waiting for a core holds the other at every barrier.
 * Both give the same counts, bit for bit: all randomness is
 * keyed to (seed, run, step, purpose, agent or arc).
 *
 * Invariants (checked with WG_ASSERT, on in `make asan`; once a step, never
 * once an agent):
 *   1. at the end of every step (and after events recount the states) the
 *      counts of the WG_NSTATES states sum to the number of agents, in the
 *      worker (count) and in the row written for the step;
 *   2. the graph the engine reads keeps the CSR invariants of graph.c, and
 *      has its transpose when exposure is fractional or threshold (checked
 *      once, when the engine is made).
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"
#include "gap.h"

/* Graphs up to this many agents run whole runs in parallel however many
 * runs there are (parallelism note). */
#define WG_SMALL_GRAPH 200000u
/* Agents per chunk of the dynamic schedule inside a run, and the same in
 * words of the talker bitmap. */
#define WG_CHUNK_SHIFT 11
#define WG_CHUNK_AGENTS (1u << WG_CHUNK_SHIFT)
#define WG_CHUNK_WORDS (WG_CHUNK_AGENTS / 64)

/* The end of chunk ch's words of the bitmaps (nwords words in all). */
static inline size_t chunk_end(size_t ch, size_t nwords)
{
    return (ch + 1) * WG_CHUNK_WORDS < nwords ? (ch + 1) * WG_CHUNK_WORDS : nwords;
}

/* The word after word i among one rank's words, whose chunks are every
 * stride-th: the next word of i's chunk, or the first of the rank's next chunk. */
static inline size_t rank_word_next(size_t i, uint32_t stride)
{
    i++;
    return i % WG_CHUNK_WORDS ? i : i + (size_t)(stride - 1) * WG_CHUNK_WORDS;
}
/* Talkers of this degree or more draw one word per arc: their gap stream
 * (index = draw block << 32 | agent) has 2^24 blocks of 4 gaps. */
#define WG_SKIP_MAX_DEGREE (UINT64_C(1) << 26)
/* Contacts buffered before their receivers are read, and how far ahead
 * (in talkers or contacts) the next offsets and ids are fetched. */
#define WG_PIPE 256
#define WG_AHEAD 16
/* Gap tables (design note 1a, gap.h): the classes (parameter table ×
 * valence) that get one per worker. */
#define WG_GAP_TABLES 8
/* decide_quit's threshold for a valence whose talking time is not geometric:
 * above every 32-bit word, so the talker's last step decides. */
#define WG_QUIT_LIFE UINT64_MAX
/* Seconds between two progress reports. */
#define WG_PROGRESS_SECONDS 0.2

static const uint64_t HIT_POS = 1;
static const uint64_t HIT_NEG = UINT64_C(1) << 32;

/* The modes of the step's passes (design note 8), a compile-time constant
 * in every pass function: plain (none of the mechanisms named there),
 * general (any of them, each tested where it acts), traced (general with the
 * recorder). */
enum { WG_MODE_PLAIN, WG_MODE_GENERAL, WG_MODE_TRACED };

static inline const wg_params *params_of(const wg_engine *e, const wg_work *w, uint32_t a)
{
    return e->seg_of ? &w->table[e->seg_of[a]] : &w->table[0];
}

static inline int talking(uint8_t s)
{
    return s == WG_ADVOCATE || s == WG_CRITIC;
}

static inline void put_floats(uint64_t *h, float a, float b)
{
    uint32_t ua, ub;
    memcpy(&ua, &a, 4);
    memcpy(&ub, &b, 4);
    *h = (uint64_t)ua | ((uint64_t)ub << 32);
}

static inline void get_floats(uint64_t h, float *a, float *b)
{
    uint32_t ua = (uint32_t)h, ub = (uint32_t)(h >> 32);
    memcpy(a, &ua, 4);
    memcpy(b, &ub, 4);
}

/* Traced runs: talker s made contact with r (state rs): one exposure of r,
 * and when r is unaware, s may become the parent candidate of its valence:
 * the talker with the smallest key (WG_R_PARENT, r << 32 | s), ties by
 * index. A minimum does not depend on the order of the contacts, so the
 * parent does not depend on threads. */
static inline uint32_t parent_key(const wg_engine *e, uint32_t run, uint32_t t, uint32_t r,
                                  uint32_t s)
{
    return wg_philox(e->sim.seed, run, t, WG_R_PARENT, (uint64_t)r << 32 | s).v[0];
}

static void trace_contact(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t s,
                          uint32_t r, uint8_t rs, int positive, int shared)
{
    if (rs >= WG_IMMUNE) return;   /* immune or absent */
    wg_trace_rec *rec = &w->trace[r];
    if (shared) __atomic_fetch_add(&rec->exposures, 1, __ATOMIC_RELAXED);
    else rec->exposures++;
    if (rs != WG_UNAWARE) return;
    uint32_t *slot = positive ? &rec->parent : &rec->step_reached;
    const uint64_t mine = (uint64_t)parent_key(e, run, t, r, s) << 32 | s;
    uint32_t cur = shared ? __atomic_load_n(slot, __ATOMIC_RELAXED) : *slot;
    while (cur == WG_TRACE_NONE || mine < ((uint64_t)parent_key(e, run, t, r, cur) << 32 | cur)) {
        if (!shared) {
            *slot = s;
            break;
        }
        if (__atomic_compare_exchange_n(slot, &cur, s, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            break;
    }
}

/* A contact along arc `arc` of talker s (rule 1): a hit of s's valence on an
 * unaware receiver, or stifling with an aware one. The first hit of an agent
 * in a step marks it in `touched`, so the resolution pass finds it.
 * `mode` (design note 8) is a constant at every call: untraced runs carry no
 * trace code, plain ones none for policies by reach, rekindling or a block.
 * Returns the exposure it makes (DESIGN "Exposures"): inc (one of s's
 * valence, packed as hits are) unless the receiver is immune, else 0. */
static inline uint64_t contact(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t s,
                           uint64_t arc, uint32_t r, uint64_t inc, uint64_t thr_stifle, int shared,
                           const int mode)
{
    const uint8_t rs = w->state[r];
    if (mode == WG_MODE_TRACED) trace_contact(e, w, run, t, s, r, rs, inc == HIT_POS, shared);
    /* policies by reach: contacts made (one thread handles a talker's contacts) */
    if (mode != WG_MODE_PLAIN && w->made && rs < WG_IMMUNE) w->made[s]++;
    if (rs == WG_UNAWARE) {
        const uint64_t bit = UINT64_C(1) << (r & 63);
        if (shared) {
            if (__atomic_fetch_add(&w->hits[r], inc, __ATOMIC_RELAXED) == 0)
                __atomic_fetch_or(&w->touched[r >> 6], bit, __ATOMIC_RELAXED);
        } else {
            if (w->hits[r] == 0) w->touched[r >> 6] |= bit;
            w->hits[r] += inc;
        }
    } else if (rs < WG_IMMUNE) {   /* aware and present */
        if (thr_stifle) {
            /* the arc's index in the whole network */
            const uint64_t ga = arc + e->arc0[(uint64_t)s >> e->arc_shift];
            wg_rand4 q = wg_philox(e->sim.seed, run, t, WG_R_STIFLE, ga >> 2);
            if ((uint64_t)q.v[ga & 3] < thr_stifle) {
                /* a talker is never hit, so its touched bit is free to say "stifled" */
                const uint64_t bit = UINT64_C(1) << (s & 63);
                if (shared) __atomic_fetch_or(&w->touched[s >> 6], bit, __ATOMIC_RELAXED);
                else w->touched[s >> 6] |= bit;
            }
        }
        /* model.rekindle: a quiet agent's touched bit (free: nothing else
         * marks it) says "contacted by its own valence in this step" */
        if (mode != WG_MODE_PLAIN && e->rekindles &&
            rs == (inc == HIT_POS ? WG_SUPPORTER : WG_REJECTER) &&
            e->rk_thr[inc == HIT_POS ? WG_POS : WG_NEG]) {
            const uint64_t bit = UINT64_C(1) << (r & 63);
            if (shared) __atomic_fetch_or(&w->touched[r >> 6], bit, __ATOMIC_RELAXED);
            else w->touched[r >> 6] |= bit;
        }
    }
    return rs >= WG_IMMUNE ? 0 : inc;   /* no exposure of the immune or absent */
}

/* Add exposures packed as hits are (positive in the low 32 bits, negative in
 * the high 32; at most 2^32 - 1 of each: the contacts of one talker or of one
 * buffer) to x[2]. */
static inline void exposures_add(uint64_t x[2], uint64_t packed)
{
    x[WG_POS] += (uint32_t)packed;
    x[WG_NEG] += packed >> 32;
}

/* Pass 1, exposure independent, for talker s, one keyed draw per tried arc
 * (contact one, weights, or susceptibility that differs by segment). */
static inline __attribute__((always_inline)) uint64_t
transmit_arcs_of(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t s, int shared,
                 uint64_t x[2], const int mode)
{
    const wg_graph *g = e->sim.g;
    const uint64_t seed = e->sim.seed;
    const int v = w->state[s] == WG_ADVOCATE ? WG_POS : WG_NEG;
    uint64_t beg = g->out_off[s], end = g->out_off[s + 1];
    if (beg == end) return 0;
    if (e->sim.model.contact == WG_CONTACT_ONE) {
        wg_rand4 r = wg_philox(seed, run, t, WG_R_PICK_ONE, s);
        beg += wg_below(r.v[0], (uint32_t)(end - beg));
        end = beg + 1;
    }
    const wg_params *ps = params_of(e, w, s);
    const double send = ps->v[WG_P_SHARE_POS + v] * ps->v[WG_P_ACTIVITY];
    const uint64_t thr_stifle = wg_threshold(ps->v[WG_P_STIFLE]);
    const uint64_t inc = v == WG_POS ? HIT_POS : HIT_NEG;
    wg_rand4 block = {{0, 0, 0, 0}};
    uint64_t block_of = UINT64_MAX, made = 0;
    const uint64_t arc0 = e->arc0[(uint64_t)s >> e->arc_shift];
    for (uint64_t a = beg; a < end; a++) {
        const uint64_t ga = a + arc0;   /* the arc's index in the whole network: its draw */
        if ((ga >> 2) != block_of) {
            block_of = ga >> 2;
            block = wg_philox(seed, run, t, WG_R_EDGE, block_of);
        }
        double p = send * params_of(e, w, g->out_adj[a])->v[WG_P_SUSCEPTIBILITY];
        if (g->out_w) p *= g->out_w[a];
        /* a distrust tie (negative_ties: flip) carries the other valence */
        const uint64_t hit = mode != WG_MODE_PLAIN && g->out_neg && g->out_neg[a]
                                 ? HIT_POS + HIT_NEG - inc
                                 : inc;
        if ((uint64_t)block.v[ga & 3] < wg_threshold(p))
            made += contact(e, w, run, t, s, a, g->out_adj[a], hit, thr_stifle, shared, mode);
    }
    exposures_add(x, made);
    return end - beg;
}

/* transmit_arcs_of in each mode (design note 8): one function each, so that
 * the plain one is the code of an engine without the later mechanisms. */
static __attribute__((noinline)) uint64_t transmit_arcs_plain(const wg_engine *e, wg_work *w,
                                                              uint32_t run, uint32_t t,
                                                              uint32_t s, int shared,
                                                              uint64_t x[2])
{
    return transmit_arcs_of(e, w, run, t, s, shared, x, WG_MODE_PLAIN);
}

static __attribute__((noinline)) uint64_t transmit_arcs_general(const wg_engine *e, wg_work *w,
                                                                uint32_t run, uint32_t t,
                                                                uint32_t s, int shared,
                                                                uint64_t x[2])
{
    return transmit_arcs_of(e, w, run, t, s, shared, x, WG_MODE_GENERAL);
}

static __attribute__((noinline)) uint64_t transmit_arcs_traced(const wg_engine *e, wg_work *w,
                                                               uint32_t run, uint32_t t,
                                                               uint32_t s, int shared,
                                                               uint64_t x[2])
{
    return transmit_arcs_of(e, w, run, t, s, shared, x, WG_MODE_TRACED);
}

/* transmit_arcs_* of mode (a constant at every call: the choice folds away). */
static inline __attribute__((always_inline)) uint64_t
transmit_arcs(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t s, int shared,
              uint64_t x[2], const int mode)
{
    if (mode == WG_MODE_PLAIN) return transmit_arcs_plain(e, w, run, t, s, shared, x);
    if (mode == WG_MODE_GENERAL) return transmit_arcs_general(e, w, run, t, s, shared, x);
    return transmit_arcs_traced(e, w, run, t, s, shared, x);
}

/* Contacts found by transmit_skip, waiting for their receivers to be read:
 * the receivers' ids and states are fetched ahead of use (design note 1b). */
typedef struct wg_contacts {
    uint32_t n;
    uint64_t x[2];        /* exposures made so far, per valence (DESIGN "Exposures") */
    uint32_t s[WG_PIPE];
    uint64_t arc[WG_PIPE];
    uint32_t r[WG_PIPE];
} wg_contacts;

static inline __attribute__((always_inline)) void
contacts_flush_of(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, wg_contacts *c,
                  int shared, const int mode)
{
    const uint32_t *adj = e->sim.g->out_adj;
    for (uint32_t j = 0; j < c->n; j++) {
        if (j + WG_AHEAD < c->n) __builtin_prefetch(&adj[c->arc[j + WG_AHEAD]]);
        c->r[j] = adj[c->arc[j]];
        __builtin_prefetch(&w->state[c->r[j]]);
    }
    uint64_t made = 0;
    for (uint32_t j = 0; j < c->n; j++) {
        uint32_t s = c->s[j];
        const wg_params *ps = params_of(e, w, s);
        const uint64_t inc = w->state[s] == WG_ADVOCATE ? HIT_POS : HIT_NEG;
        made += contact(e, w, run, t, s, c->arc[j], c->r[j], inc,
                        wg_threshold(ps->v[WG_P_STIFLE]), shared, mode);
    }
    exposures_add(c->x, made);
    c->n = 0;
}

static __attribute__((noinline)) void contacts_flush_plain(const wg_engine *e, wg_work *w,
                                                           uint32_t run, uint32_t t,
                                                           wg_contacts *c, int shared)
{
    contacts_flush_of(e, w, run, t, c, shared, WG_MODE_PLAIN);
}

static __attribute__((noinline)) void contacts_flush_general(const wg_engine *e, wg_work *w,
                                                             uint32_t run, uint32_t t,
                                                             wg_contacts *c, int shared)
{
    contacts_flush_of(e, w, run, t, c, shared, WG_MODE_GENERAL);
}

static __attribute__((noinline)) void contacts_flush_traced(const wg_engine *e, wg_work *w,
                                                            uint32_t run, uint32_t t,
                                                            wg_contacts *c, int shared)
{
    contacts_flush_of(e, w, run, t, c, shared, WG_MODE_TRACED);
}

/* contacts_flush_* of mode (a constant at every call). */
static inline __attribute__((always_inline)) void
contacts_flush(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, wg_contacts *c,
               int shared, const int mode)
{
    if (mode == WG_MODE_PLAIN) contacts_flush_plain(e, w, run, t, c, shared);
    else if (mode == WG_MODE_GENERAL) contacts_flush_general(e, w, run, t, c, shared);
    else contacts_flush_traced(e, w, run, t, c, shared);
}

/* Pass 1, exposure independent, for talker s: rule 5's quitting, decided
 * here with word 0 of draw (QUIET, s) so that pass 2 need not draw again: a
 * talker that quits is marked in `touched` like a stifled one (both go
 * quiet). Returns the draw: words 2 and 3 are the first two gaps. */
static inline wg_rand4 decide_quit(const wg_engine *e, wg_work *w, uint32_t t, uint32_t s,
                                   wg_rand4 r, int shared)
{
    if (e->sim.model.contact == WG_CONTACT_ONCE) return r;   /* quiet anyway */
    const int v = w->state[s] == WG_ADVOCATE ? WG_POS : WG_NEG;
    const uint64_t thr = w->quit_thr[(e->seg_of ? e->seg_of[s] : 0) * 2 + (size_t)v];
    /* WG_QUIT_LIFE (above every word): the valence's talking time is not
     * geometric, its last step decides (talktime.c); tested only then, so a
     * geometric talker pays nothing for it */
    if ((uint64_t)r.v[0] < thr && (thr != WG_QUIT_LIFE || t >= w->life[s])) {
        const uint64_t bit = UINT64_C(1) << (s & 63);
        if (shared) __atomic_fetch_or(&w->touched[s >> 6], bit, __ATOMIC_RELAXED);
        else w->touched[s >> 6] |= bit;
    }
    return r;
}

/* Pass 1, exposure independent, contact all or once, for talker s when every
 * arc of s has the same probability p (design note 1a): the gaps between
 * contacts are geometric, drawn from s's own keyed stream. */
static inline uint64_t transmit_skip(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t,
                                     uint32_t s, const wg_rand4 *first, wg_contacts *c, int shared,
                                     const int mode)
{
    const wg_graph *g = e->sim.g;
    uint64_t pos = g->out_off[s];
    const uint64_t end = g->out_off[s + 1];
    if (pos == end) return 0;
    if (end - pos >= WG_SKIP_MAX_DEGREE) return transmit_arcs(e, w, run, t, s, shared, c->x, mode);
    const int v = w->state[s] == WG_ADVOCATE ? WG_POS : WG_NEG;
    const size_t k = (e->seg_of ? e->seg_of[s] : 0) * 2 + (size_t)v;
    const double inv = w->skip[k];
    if (inv == 0.0) return end - pos; /* p = 0: no contact */
    const uint64_t *tab = k < WG_GAP_TABLES ? w->gap_tab + k * WG_GAP_BUCKETS : NULL;
    const uint64_t deg = end - pos;
    wg_rand4 block = {{0, 0, 0, 0}};
    for (uint32_t j = 0;; j++) {
        if (inv < 0) { /* p < 1: skip a geometric gap; p >= 1 tries every arc */
            uint32_t u;
            if (j < 2) {
                u = first->v[2 + j];
            } else {
                if (((j - 2) & 3) == 0)
                    block = wg_philox(e->sim.seed, run, t, WG_R_SKIP, ((uint64_t)((j - 2) >> 2) << 32) | s);
                u = block.v[(j - 2) & 3];
            }
            uint64_t gap = gap_of(tab, u, inv);
            if (gap >= end - pos) break;
            pos += gap;
        }
        if (c->n == WG_PIPE) contacts_flush(e, w, run, t, c, shared, mode);
        c->s[c->n] = s;
        c->arc[c->n++] = pos;
        if (++pos == end) break;
    }
    return deg;
}

/* Traced runs, exposure fractional, pass 1: the parent candidate of unaware
 * agent a for valence v, should its neighbours reach it: a talking
 * in-neighbour of valence v picked with probability proportional to its
 * share of the hazard (keyed draw). Pass 1 reads the states of the start of
 * the step only, as every decision does. */
static uint32_t fractional_parent(const wg_engine *e, const wg_work *w, uint32_t run, uint32_t t,
                                  uint32_t a, int v)
{
    const wg_graph *g = e->sim.g;
    double total = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        double target = 0.0, sum = 0.0;
        if (pass == 1) {
            if (!(total > 0)) return WG_TRACE_NONE;
            wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_PARENT, (uint64_t)a << 32 | (uint64_t)v);
            target = ((double)r.v[0] + 0.5) * WG_TWO_M32 * total;
        }
        uint32_t last = WG_TRACE_NONE;
        for (uint64_t k = g->in_off[a]; k < g->in_off[a + 1]; k++) {
            uint32_t j = g->in_adj[k];
            /* over a distrust tie a talker of the other valence counts for v */
            const int flip = g->in_neg && g->in_neg[k];
            if (w->state[j] != ((v == WG_POS) != flip ? WG_ADVOCATE : WG_CRITIC)) continue;
            const wg_params *pj = params_of(e, w, j);
            sum += (g->in_w ? g->in_w[k] : 1.0) * pj->v[WG_P_ACTIVITY] * pj->v[WG_P_SHARE_POS + (flip ? 1 - v : v)];
            last = j;
            if (pass == 1 && sum >= target) return j;
        }
        if (pass == 1) return last;
        total = sum;
    }
    return WG_TRACE_NONE;
}

/* Pass 1, exposure fractional, for unaware agent a: the two hazards (and,
 * traced, the two parent candidates). */
static inline void hazard(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t a,
                          const double media_pulse[2], const int traced)
{
    const wg_graph *g = e->sim.g;
    const uint8_t *state = w->state;
    double sum[2] = {0.0, 0.0}, total = 0.0;
    for (uint64_t k = g->in_off[a]; k < g->in_off[a + 1]; k++) {
        uint32_t j = g->in_adj[k];
        uint8_t sj = state[j];
        if (sj == WG_ABSENT_STATE) continue;   /* not arrived: not a neighbour yet */
        double wt = g->in_w ? g->in_w[k] : 1.0;
        total += wt;
        if (talking(sj)) {
            int v = sj == WG_ADVOCATE ? WG_POS : WG_NEG;
            const wg_params *pj = params_of(e, w, j);
            /* the talker's share of its own valence; over a distrust tie it arrives as the other */
            sum[g->in_neg && g->in_neg[k] ? 1 - v : v] += wt * pj->v[WG_P_ACTIVITY] * pj->v[WG_P_SHARE_POS + v];
        }
    }
    const wg_params *pa = params_of(e, w, a);
    double h[2];
    for (int v = 0; v < 2; v++) {
        double frac = total > 0 ? sum[v] / total : 0.0;
        h[v] = pa->v[WG_P_MEDIA_POS + v] + media_pulse[v] + pa->v[WG_P_SUSCEPTIBILITY] * frac;
        if (h[v] > 1.0) h[v] = 1.0;
    }
    put_floats(&w->hits[a], (float)h[0], (float)h[1]);
    if (traced) {
        w->trace[a].parent = fractional_parent(e, w, run, t, a, WG_POS);
        w->trace[a].step_reached = fractional_parent(e, w, run, t, a, WG_NEG);
    }
}

/* Which hit of the deciding valence v reached agent a: the media hit, the
 * recommendation hit or a talker's. Independent: `hits` hits, `media` of them
 * (0 or 1) from media and `rec` (0 or 1) from recommendation, one picked
 * uniformly (word 0 of draw WG_R_SOURCE) when two kinds hit. Fractional: the
 * recommendation hit against the hazard's with word 1 of that draw when both
 * hit; the hazard h (as resolve read it from hits[a]) = media m +
 * neighbours' share hits by media with probability m / h. Without a
 * recommendation hit the words are those of a model without recommendation. */
static inline wg_source source_of(const wg_engine *e, const wg_work *w, uint32_t run, uint32_t t,
                                  uint32_t a, int v, uint32_t hits, uint32_t media, uint32_t rec,
                                  uint64_t h, const double media_pulse[2])
{
    if (e->sim.model.exposure == WG_EXPOSURE_FRACTIONAL) {
        if (rec) {
            if (hits == rec) return WG_SRC_RECOMMEND;
            wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_SOURCE, a);
            if (wg_below(r.v[1], hits) == hits - 1) return WG_SRC_RECOMMEND;
        }
        const double m = params_of(e, w, a)->v[WG_P_MEDIA_POS + v] + media_pulse[v];
        if (!(m > 0)) return WG_SRC_WORD_OF_MOUTH;
        float hp, hn;
        get_floats(h, &hp, &hn);
        const double hz = v == WG_POS ? hp : hn;
        if (m >= hz) return WG_SRC_MEDIA;
        wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_SOURCE, a);
        return (uint64_t)r.v[0] < wg_threshold(m / hz) ? WG_SRC_MEDIA : WG_SRC_WORD_OF_MOUTH;
    }
    if (!media && !rec) return WG_SRC_WORD_OF_MOUTH;
    if (hits == media) return WG_SRC_MEDIA;
    if (hits == rec) return WG_SRC_RECOMMEND;
    wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_SOURCE, a);
    /* the media hit is the last, the recommendation hit the one before it */
    const uint32_t pick = wg_below(r.v[0], hits);
    if (media && pick == hits - 1) return WG_SRC_MEDIA;
    return pick >= hits - media - rec ? WG_SRC_RECOMMEND : WG_SRC_WORD_OF_MOUTH;
}

/* Traced runs: unaware agent a enters the reach at the end of step t from
 * src with valence `taken`, decided by a hit of valence v (v != taken when
 * quality turned a positive hit into a critic); media_hits: the media hits
 * it received in the step (fractional: the hazards' hits, `hits`). */
static void trace_reach(const wg_engine *e, wg_work *w, uint32_t t, uint32_t a, wg_source src,
                        int v, int taken, uint32_t hits, uint32_t media_hits)
{
    wg_trace_rec *rec = &w->trace[a];
    rec->exposures += e->sim.model.exposure == WG_EXPOSURE_FRACTIONAL ? hits : media_hits;
    uint32_t parent = WG_TRACE_NONE;
    unsigned gen = 0;
    if (src == WG_SRC_WORD_OF_MOUTH) {
        parent = v == WG_POS ? rec->parent : rec->step_reached;
        if (parent != WG_TRACE_NONE) gen = wg_trace_generation(&w->trace[parent]) + 1;
    }
    wg_trace_enter(rec, t, src, taken, parent, gen);
}

/* Unaware agent a is reached (see trace_reach for the arguments; rec: the
 * recommendation hits of valence v, 0 or 1): counts a media reach into
 * newmedia[taken], a recommendation reach into newmedia[2 + taken], and
 * records it in a traced run. `full`:
 * the step's pass 2 visits every agent; when it does not (needs_full_pass),
 * there is no media and exposure is independent: every reach is by word of
 * mouth, known without a look. */
static inline void reached(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t a,
                           int v, int taken, uint32_t hits, uint32_t media, uint32_t rec,
                           uint32_t media_hits, uint64_t h, const double media_pulse[2],
                           uint32_t *newmedia, const int full, const int traced)
{
    const wg_source src = full ? source_of(e, w, run, t, a, v, hits, media, rec, h, media_pulse)
                               : WG_SRC_WORD_OF_MOUTH;
    if (src == WG_SRC_MEDIA) newmedia[taken]++;
    else if (src == WG_SRC_RECOMMEND) newmedia[2 + taken]++;
    if (traced) trace_reach(e, w, t, a, src, v, taken, hits, media_hits);
}

/* model.rekindle, pass 2 for quiet agent a (state s, valence v): contacted
 * by a talker of v in this step (its touched bit), or hit by media of v
 * (word 0 of draw (REKINDLE, a); one exposure), it talks again with
 * probability rekindle.v (word 1). Its reach is not counted again. */
static inline uint8_t rekindle(const wg_engine *e, const wg_work *w, uint32_t run, uint32_t t,
                               uint32_t a, int v, int contacted, const double media_pulse[2],
                               uint64_t expo[2], uint8_t s)
{
    const double m = params_of(e, w, a)->v[WG_P_MEDIA_POS + v] + media_pulse[v];
    if (!contacted && !(m > 0)) return s;
    wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_REKINDLE, a);
    int hit = contacted;
    if (m > 0 && (uint64_t)r.v[0] < wg_threshold(m)) {
        hit = 1;
        expo[v]++;
    }
    if (hit && (uint64_t)r.v[1] < e->rk_thr[v]) return v == WG_POS ? WG_ADVOCATE : WG_CRITIC;
    return s;
}

/* Pass 2 for agent a: the new state (rules 2 to 5); counts the change. */
static inline uint8_t resolve(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t,
                              uint32_t a, int stifled, const double media_pulse[2],
                              uint32_t *newpos, uint32_t *newneg, uint32_t *newmedia,
                              uint64_t expo[2], const int full, const int mode)
{
    const int traced = mode == WG_MODE_TRACED;
    const uint64_t seed = e->sim.seed;
    uint8_t s = w->state[a];
    if (s == WG_UNAWARE) {
        if (mode != WG_MODE_PLAIN && e->sim.model.exposure == WG_EXPOSURE_THRESHOLD) /* threshold.c */
            return wg_thr_resolve(e, w, run, t, a, media_pulse, newpos, newneg, newmedia, expo,
                                  traced);
        uint64_t h = w->hits[a];
        if (h) w->hits[a] = 0;
        const wg_params *p = params_of(e, w, a);
        uint32_t npos = 0, nneg = 0, mpos = 0, mneg = 0, rpos = 0, rneg = 0;
        /* model.recommend: one hit per valence, its own draw (attention.c) */
        if (mode != WG_MODE_PLAIN && (w->rec_thr[WG_POS] | w->rec_thr[WG_NEG])) {
            wg_rand4 r = wg_philox(seed, run, t, WG_R_RECOMMEND, a);
            rpos = (uint64_t)r.v[0] < w->rec_thr[WG_POS];
            rneg = (uint64_t)r.v[1] < w->rec_thr[WG_NEG];
            expo[WG_POS] += rpos;   /* a recommendation hit: one exposure */
            expo[WG_NEG] += rneg;
        }
        if (e->sim.model.exposure == WG_EXPOSURE_FRACTIONAL) {
            float hp, hn;
            get_floats(h, &hp, &hn);
            if (hp > 0 || hn > 0) {
                wg_rand4 r = wg_philox(seed, run, t, WG_R_FRACTIONAL, a);
                npos = (uint64_t)r.v[0] < wg_threshold(hp);
                nneg = (uint64_t)r.v[1] < wg_threshold(hn);
                expo[WG_POS] += npos;   /* a hazard's hit: the agent's one exposure of it */
                expo[WG_NEG] += nneg;
            }
            npos += rpos;
            nneg += rneg;
        } else {
            npos = (uint32_t)h;
            nneg = (uint32_t)(h >> 32);
            double mp = p->v[WG_P_MEDIA_POS] + media_pulse[WG_POS];
            double mn = p->v[WG_P_MEDIA_NEG] + media_pulse[WG_NEG];
            if (mp > 0 || mn > 0) {
                wg_rand4 r = wg_philox(seed, run, t, WG_R_AGENT, a);
                mpos = (uint64_t)r.v[0] < wg_threshold(mp);
                mneg = (uint64_t)r.v[1] < wg_threshold(mn);
                npos += mpos;
                nneg += mneg;
                expo[WG_POS] += mpos;   /* a media hit: one exposure */
                expo[WG_NEG] += mneg;
            }
            npos += rpos;
            nneg += rneg;
        }
        if (npos == 0 && nneg == 0) {
            if (traced) wg_trace_leave(&w->trace[a]);
            return s;
        }
        /* the draw only when a choice is left to chance (most hits carry one
         * valence, and quality 1 needs none): the same words when it is made */
        const uint64_t thr_quality = wg_threshold(p->v[WG_P_QUALITY]);
        if (nneg == 0 && thr_quality == UINT64_C(1) << 32) {
            (*newpos)++;
            reached(e, w, run, t, a, WG_POS, WG_POS, npos, mpos, rpos, mpos + rpos, h, media_pulse,
                    newmedia, full, traced);
            return WG_ADVOCATE;
        }
        if (npos == 0) {
            (*newneg)++;
            reached(e, w, run, t, a, WG_NEG, WG_NEG, nneg, mneg, rneg, mneg + rneg, h, media_pulse,
                    newmedia, full, traced);
            return WG_CRITIC;
        }
        wg_rand4 r = wg_philox(seed, run, t, WG_R_AGENT, a);
        uint32_t total = npos + nneg;
        int positive = nneg == 0 || wg_below(r.v[2], total) < npos;
        if (positive && (uint64_t)r.v[3] < thr_quality) {
            (*newpos)++;
            reached(e, w, run, t, a, WG_POS, WG_POS, npos, mpos, rpos, mpos + mneg + rpos + rneg, h,
                    media_pulse, newmedia, full, traced);
            return WG_ADVOCATE;
        }
        (*newneg)++;
        reached(e, w, run, t, a, positive ? WG_POS : WG_NEG, WG_NEG, positive ? npos : nneg,
                positive ? mpos : mneg, positive ? rpos : rneg, mpos + mneg + rpos + rneg, h,
                media_pulse, newmedia, full, traced);
        return WG_CRITIC;
    }
    if (talking(s)) {
        int v = s == WG_ADVOCATE ? WG_POS : WG_NEG;
        if (traced && w->trace[a].talked_steps < UINT16_MAX) w->trace[a].talked_steps++;
        /* exposure independent: pass 1 decided quitting (decide_quit) */
        int quiet = e->sim.model.contact == WG_CONTACT_ONCE || stifled;
        if (!quiet && e->sim.model.exposure != WG_EXPOSURE_INDEPENDENT) {
            if (e->sim.model.duration[v].law != WG_DUR_GEOMETRIC) {
                quiet = t >= w->life[a];   /* its last talking step (talktime.c) */
            } else {
                wg_rand4 r = wg_philox(seed, run, t, WG_R_QUIET, a);
                quiet = (uint64_t)r.v[0] < wg_threshold(params_of(e, w, a)->v[WG_P_QUIT_POS + v]);
            }
        }
        if (quiet) return s == WG_ADVOCATE ? WG_SUPPORTER : WG_REJECTER;
        return s;
    }
    if (s == WG_SUPPORTER || s == WG_REJECTER) {
        double f = params_of(e, w, a)->v[WG_P_FORGET];
        if (f > 0) {
            wg_rand4 r = wg_philox(seed, run, t, WG_R_QUIET, a);
            if ((uint64_t)r.v[1] < wg_threshold(f)) {
                if (traced) wg_trace_leave(&w->trace[a]);
                return WG_UNAWARE;
            }
        }
        if (mode != WG_MODE_PLAIN && e->rekindles) {
            const int v = s == WG_SUPPORTER ? WG_POS : WG_NEG;
            if (e->rk_thr[v]) return rekindle(e, w, run, t, a, v, stifled, media_pulse, expo, s);
        }
    }
    return s;
}

/* Words of 64 agents in a bitmap of n agents, and the agents of word i. */
static inline size_t words_of(uint32_t n)
{
    return ((size_t)n + 63) / 64;
}

/* This rank's word j of the bitmaps and its agent j, counted over its
 * chunks in order (chunk c being chunk c * stride + first of the whole): the
 * word and the agent of the whole network. Unpartitioned (stride 1, first
 * 0): j itself. Both take gap = (stride - 1) * WG_CHUNK_WORDS and own0 =
 * first * WG_CHUNK_WORDS from the caller, held in its registers. */
static inline size_t own_word(size_t j, size_t gap, size_t own0)
{
    return gap ? j + j / WG_CHUNK_WORDS * gap + own0 : j;   /* one rank: own0 0 */
}
static inline uint32_t own_agent(uint32_t j, size_t gap, size_t own0)
{
    return gap ? (uint32_t)(own_word(j >> 6, gap, own0) << 6 | (j & 63)) : j;
}
static inline uint64_t word_mask(uint32_t n, size_t i)
{
    size_t rest = (size_t)n - i * 64;
    return rest >= 64 ? UINT64_MAX : (UINT64_C(1) << rest) - 1;
}

/* Design note 1a: 1 when every talker's arcs share one probability in this
 * step (no weights, one susceptibility everywhere, contact all or once);
 * then w->skip holds, per parameter table and valence, 0 for p = 0, 1 for
 * p >= 1, else 1 / log(1 - p) (negative). */
static int prepare_skip(const wg_engine *e, wg_work *w)
{
    if (e->sim.g->out_w || e->sim.g->out_neg || e->sim.model.contact == WG_CONTACT_ONE) return 0;
    const size_t ntab = e->seg_of ? e->sim.nsegments + 1 : 1;
    const double susc = w->table[0].v[WG_P_SUSCEPTIBILITY];
    for (size_t k = 1; k < ntab; k++)
        if (w->table[k].v[WG_P_SUSCEPTIBILITY] != susc) return 0;
    for (size_t k = 0; k < ntab; k++)
        for (int v = 0; v < 2; v++) {
            const double *p = w->table[k].v;
            double x = p[WG_P_SHARE_POS + v] * p[WG_P_ACTIVITY] * susc;
            double l = x > 0 && x < 1 ? log1p(-x) : 0.0;
            const size_t c = 2 * k + (size_t)v;
            w->skip[c] = !(x > 0) || (x < 1 && l == 0) ? 0.0 : x >= 1 ? 1.0 : 1.0 / l;
            if (c < WG_GAP_TABLES && w->skip[c] < 0 && w->gap_inv[c] != w->skip[c]) {
                gap_table(w->gap_tab + c * WG_GAP_BUCKETS, w->skip[c]);
                w->gap_inv[c] = w->skip[c];
            }
        }
    return 1;
}

/* 1 when some agent that is neither talking nor hit may change in this step
 * (media, forgetting, fractional hazards): then pass 2 visits every agent. */
static int needs_full_pass(const wg_engine *e, const wg_work *w, const double pulse[2])
{
    if (e->sim.model.exposure != WG_EXPOSURE_INDEPENDENT || pulse[0] > 0 || pulse[1] > 0) return 1;
    if (w->rec_thr[WG_POS] | w->rec_thr[WG_NEG]) return 1;   /* recommendation hits */
    const size_t ntab = e->seg_of ? e->sim.nsegments + 1 : 1;
    for (size_t k = 0; k < ntab; k++) {
        const double *p = w->table[k].v;
        if (p[WG_P_FORGET] > 0 || p[WG_P_MEDIA_POS] > 0 || p[WG_P_MEDIA_NEG] > 0) return 1;
    }
    return 0;
}

/* Design note 8: 1 when worker w's run, untraced, uses none of the
 * mechanisms that plain mode leaves out (policies, rekindling,
 * recommendation, talking times that are not geometric, exposure threshold,
 * distrust ties). Fixed for a run. A partition is not one of them: its arcs'
 * offset in the whole network is an addition in every mode; only its pass 2
 * runs general (step's mode2), to keep its changes in w->changed. */
static int plain_run(const wg_engine *e, const wg_work *w)
{
    return !w->made && !w->since && !e->rekindles && !e->recommends && !e->lives &&
           e->sim.model.exposure != WG_EXPOSURE_THRESHOLD && !e->sim.g->out_neg;
}

/* After events changed states: the counts and the talkers, from scratch. */
static void recount(const wg_engine *e, wg_work *w)
{
    uint32_t c[WG_NSTATES + 1] = {0};   /* and the absent */
    for (size_t i = 0; i < words_of(e->n); i++) {
        uint64_t talk = 0;
        for (uint32_t b = 0, a = (uint32_t)(i * 64); b < 64 && a < e->n; b++, a++) {
            c[w->state[a]]++;
            talk |= (uint64_t)talking(w->state[a]) << b;
        }
        w->talk[i] = talk;
    }
    memcpy(w->count, c, sizeof c);
}

/* Pass 1, exposure independent, for this rank's chunk ch (chunk ch of all
 * when not partitioned) of the talker bitmap's nwords words: the talkers'
 * quitting and contacts. Returns the arcs tried; adds the exposures made, per
 * valence, to x. */
static inline __attribute__((always_inline)) uint64_t
transmit_chunk(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, size_t ch, size_t nwords,
               int skip, int shared, uint64_t x[2], const int mode)
{
    ch = ch * e->stride + e->first;
    const uint64_t *off = e->sim.g->out_off;
    uint64_t trials = 0;
    uint32_t talkers[WG_CHUNK_AGENTS];
    wg_rand4 draws[WG_CHUNK_AGENTS];
    wg_contacts c;
    uint32_t m = 0;
    c.n = 0;
    c.x[0] = c.x[1] = 0;
    const size_t i0 = ch * WG_CHUNK_WORDS, i1 = chunk_end(ch, nwords);
    for (size_t i = i0; i < i1; i++)
        for (uint64_t bits = w->talk[i]; bits; bits &= bits - 1)
            talkers[m++] = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(bits));
    /* the talkers' (QUIET, s) draws in one simple loop, which the
     * compiler can vectorise */
    const uint64_t seed = e->sim.seed;
    for (uint32_t j = 0; j < m; j++) draws[j] = wg_philox(seed, run, t, WG_R_QUIET, talkers[j]);
    for (uint32_t j = 0; j < m; j++) {
        if (j + WG_AHEAD < m) __builtin_prefetch(&off[talkers[j + WG_AHEAD]]);
        wg_rand4 first = decide_quit(e, w, t, talkers[j], draws[j], shared);
        if (skip) trials += transmit_skip(e, w, run, t, talkers[j], &first, &c, shared, mode);
        else trials += transmit_arcs(e, w, run, t, talkers[j], shared, c.x, mode);
    }
    contacts_flush(e, w, run, t, &c, shared, mode);
    x[0] += c.x[0];
    x[1] += c.x[1];
    return trials;
}

/* Pass 2 for word i of the bitmaps (agents 64 i ...): resolves them, adds
 * the changes of state to delta, writes the word of the talker bitmap.
 * `lives` (talking times that are not geometric, talktime.c) is a constant
 * at the untraced call sites, so that a model without them has not one test
 * for them in this loop; plain mode (design note 8) has none, and is never
 * partitioned in this pass (a partitioned run's changes are kept in
 * w->changed for part_finish). */
static inline __attribute__((always_inline)) void
resolve_word(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, size_t i, const int full,
             const double pulse[2], int64_t *delta, uint32_t *newpos, uint32_t *newneg,
             uint32_t *newmedia, uint64_t expo[2], const int mode, const int lives)
{
    const uint32_t n = e->n;
    uint64_t talk = 0, changed = 0;
    const uint64_t touched = w->touched[i];
    uint64_t bits = full ? word_mask(n, i) : w->talk[i] | touched;
    w->touched[i] = 0;
    for (; bits; bits &= bits - 1) {
        unsigned b = (unsigned)__builtin_ctzll(bits);
        uint32_t a = (uint32_t)(i * 64 + b);
        uint8_t old = w->state[a];
        uint8_t ns = resolve(e, w, run, t, a, (int)(touched >> b & 1), pulse, newpos, newneg,
                             newmedia, expo, full, mode);
        if (ns != old) {
            /* policies: a new critic has waited since the step it starts talking */
            if (mode != WG_MODE_PLAIN && w->since && ns == WG_CRITIC) w->since[a] = t + 1;
            w->state[a] = ns;
            if (mode != WG_MODE_PLAIN) changed |= UINT64_C(1) << b;
            delta[old]--;
            delta[ns]++;
            /* a new talker (reached, or rekindled): its talking time */
            if (lives && !talking(old) && talking(ns)) wg_talktime_start(e, w, run, t, a, t + 1);
        }
        talk |= (uint64_t)talking(ns) << b;
    }
    w->talk[i] = talk;
    /* partitioned: the changes for part_finish, which clears the word */
    if (mode != WG_MODE_PLAIN && changed && w->changed) w->changed[i] = changed;
}

/* Partitioned runs: word x appended to the worker's send buffer (m words
 * so far), grown as needed; a failure stops every rank (comm.fail). */
static inline void part_push(const wg_engine *e, wg_work *w, size_t *m, uint64_t x)
{
    if (*m == w->xsend_cap) {
        size_t cap = w->xsend_cap ? 2 * w->xsend_cap : 4096;
        uint64_t *p = wg_realloc(w->xsend, cap, sizeof *p);
        if (!p) e->comm.fail(e->comm.ud, "out of memory: the partition's send buffer");
        w->xsend = p;
        w->xsend_cap = cap;
    }
    w->xsend[(*m)++] = x;
}

/* Partitioned, exposure independent, after pass 1: the hits this rank's
 * talkers made on agents of other blocks go to their owners as (agent,
 * packed hits) pairs and are cleared here; those received are added to the
 * block's own (integer sums: the order of arrival does not matter). */
static void part_hits(const wg_engine *e, wg_work *w)
{
    const int ranks = e->comm.ranks, me = e->comm.rank;
    const size_t nwords = words_of(e->n);
    size_t m = 0;
    for (int q = 0; q < ranks; q++) {
        const size_t before = m;
        if (q != me)
            for (size_t i = (size_t)q * WG_CHUNK_WORDS; i < nwords;
                 i = rank_word_next(i, e->stride)) {
                uint64_t bits = w->touched[i];
                if (!bits) continue;
                w->touched[i] = 0;
                for (; bits; bits &= bits - 1) {
                    const uint32_t r = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(bits));
                    part_push(e, w, &m, r);
                    part_push(e, w, &m, w->hits[r]);
                    w->hits[r] = 0;
                }
            }
        w->xcounts[q] = m - before;
    }
    const size_t got = e->comm.alltoall(e->comm.ud, w->xsend, w->xcounts, &w->xrecv, &w->xrecv_cap);
    for (size_t k = 0; k + 1 < got; k += 2) {
        const uint32_t r = (uint32_t)w->xrecv[k];
        if (w->hits[r] == 0) w->touched[r >> 6] |= UINT64_C(1) << (r & 63);
        w->hits[r] += w->xrecv[k + 1];
    }
    w->xbytes += (m + got) * sizeof(uint64_t);
}

/* The sums of a partitioned step: the changes of state, the new reaches,
 * media reaches and exposures, the arcs tried, and the stop flags. */
enum { WG_XS_NEWPOS = WG_NSTATES, WG_XS_NEWNEG, WG_XS_MEDIA, WG_XS_EXPO = WG_XS_MEDIA + 2,
       WG_XS_TRIALS = WG_XS_EXPO + 2, WG_XS_STOP, WG_XS_N };
/* A rank's message of part_finish: its number of changes, its sums, then its
 * changes; words before the changes. */
#define WG_XS_HEAD (1 + WG_XS_N)

/* Partitioned, after pass 2: one all-gather carries, from every rank, the
 * step's sums (so that no separate reduction waits for all ranks once more)
 * and the states of its block that changed, as agent << 8 | state words;
 * every rank then holds every agent's state of the end of the step, its
 * talker bit and, with policies, the step a new critic started, and the
 * step's counts summed over the ranks (integers: the order does not matter). */
static void part_finish(const wg_engine *e, wg_work *w, uint32_t t, int64_t *delta, uint32_t *newpos,
                        uint32_t *newneg, uint32_t newmedia[2], uint64_t expo[2], uint64_t *trials)
{
    const size_t nwords = words_of(e->n);
    size_t m = 0;
    uint64_t v[WG_XS_N];
    for (int k = 0; k < WG_NSTATES; k++) v[k] = (uint64_t)delta[k];
    v[WG_XS_NEWPOS] = *newpos;
    v[WG_XS_NEWNEG] = *newneg;
    v[WG_XS_MEDIA] = newmedia[0];
    v[WG_XS_MEDIA + 1] = newmedia[1];
    v[WG_XS_EXPO] = expo[0];
    v[WG_XS_EXPO + 1] = expo[1];
    v[WG_XS_TRIALS] = *trials;
    v[WG_XS_STOP] = w->stop_flag && *w->stop_flag;
    for (int k = 0; k < WG_XS_HEAD; k++) part_push(e, w, &m, 0);   /* the head, filled below */
    /* the block's agents whose state pass 2 changed, by its bitmap words */
    for (size_t i = (size_t)e->first * WG_CHUNK_WORDS; i < nwords;
         i = rank_word_next(i, e->stride)) {
        uint64_t bits = w->changed[i];
        if (!bits) continue;
        w->changed[i] = 0;
        for (; bits; bits &= bits - 1) {
            const uint32_t b = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(bits));
            part_push(e, w, &m, (uint64_t)b << 8 | w->state[b]);
        }
    }
    w->xsend[0] = m - WG_XS_HEAD;
    memcpy(w->xsend + 1, v, sizeof v);
    const size_t got = e->comm.allgather(e->comm.ud, w->xsend, m, &w->xrecv, &w->xrecv_cap);
    memset(v, 0, sizeof v);
    for (size_t k = 0, q = 0; k + WG_XS_HEAD <= got; q++) {   /* rank by rank */
        const size_t changes = (size_t)w->xrecv[k];
        if (changes > got - k - WG_XS_HEAD)
            e->comm.fail(e->comm.ud, "a rank's changes of state overrun the exchange");
        for (int j = 0; j < WG_XS_N; j++) v[j] += w->xrecv[k + 1 + (size_t)j];
        const uint64_t *x = w->xrecv + k + WG_XS_HEAD;
        k += WG_XS_HEAD + changes;
        if (q == e->first) continue;   /* this rank's own changes, made already */
        for (size_t c = 0; c < changes; c++) {
            const uint32_t b = (uint32_t)(x[c] >> 8);
            const uint8_t ns = (uint8_t)x[c];
            w->state[b] = ns;
            const uint64_t bit = UINT64_C(1) << (b & 63);
            if (talking(ns)) w->talk[b >> 6] |= bit;
            else w->talk[b >> 6] &= ~bit;
            if (w->since && ns == WG_CRITIC) w->since[b] = t + 1;
        }
    }
    for (int k = 0; k < WG_NSTATES; k++) delta[k] = (int64_t)v[k];
    *newpos = (uint32_t)v[WG_XS_NEWPOS];
    *newneg = (uint32_t)v[WG_XS_NEWNEG];
    newmedia[0] = (uint32_t)v[WG_XS_MEDIA];
    newmedia[1] = (uint32_t)v[WG_XS_MEDIA + 1];
    expo[0] = v[WG_XS_EXPO];
    expo[1] = v[WG_XS_EXPO + 1];
    *trials = v[WG_XS_TRIALS];
    w->stop_all = v[WG_XS_STOP];
    const size_t ranks = (size_t)e->comm.ranks;
    if (ranks > 1) w->xbytes += (m * (ranks - 1) + (got - m)) * sizeof(uint64_t);
    w->xsteps++;
}

/* One step of one run; row receives the counts. `shared`: threads inside.
 * Returns the number of arcs tried. Each pass is written twice, without
 * and with the recorder (w->trace), so that an untraced run pays nothing
 * for tracing, not even a test per arc. */
static uint64_t step(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t *row,
                     int shared)
{
    /* this rank's chunks of agents (all of them when not partitioned): chunk
     * c is chunk c * stride + first of the whole (own_word, own_agent), with
     * nown words and nagents agents of the bitmaps' nwords words */
    const size_t nch = e->nchunks, nwords = words_of(e->n), nown = e->own_words;
    const uint32_t nagents = e->own_agents;
    const size_t gap = (size_t)(e->stride - 1) * WG_CHUNK_WORDS, own0 = (size_t)e->first * WG_CHUNK_WORDS;
    double pulse[2];
    wg_events_media(e, w, t, pulse);
    if (e->recommends) wg_attention_begin(e, w, t);
    const int fractional = e->sim.model.exposure == WG_EXPOSURE_FRACTIONAL;
    const int thresholds = e->sim.model.exposure == WG_EXPOSURE_THRESHOLD;
    const int independent = !fractional && !thresholds;
    const int skip = independent && prepare_skip(e, w);
    if (independent) /* decide_quit's thresholds, per parameter table and valence
                      * (WG_QUIT_LIFE when the talking time is not geometric) */
        for (size_t k = 0; k < (e->seg_of ? e->sim.nsegments + 1 : 1); k++)
            for (int v = 0; v < 2; v++)
                w->quit_thr[2 * k + (size_t)v] =
                    e->sim.model.duration[v].law != WG_DUR_GEOMETRIC
                        ? WG_QUIT_LIFE
                        : wg_threshold(w->table[k].v[WG_P_QUIT_POS + v]);
    const int full = needs_full_pass(e, w, pulse);
    const int lives = e->lives;
    int nthreads = shared ? e->threads : 1;
    uint64_t trials = 0;
    uint64_t expo[2] = {0, 0};   /* exposures of this step, per valence */

    const int traced = w->trace != NULL;
    const int mode = traced ? WG_MODE_TRACED : plain_run(e, w) ? WG_MODE_PLAIN : WG_MODE_GENERAL;
    /* pass 2 of a partitioned run keeps its changes (w->changed): general mode */
    const int mode2 = mode == WG_MODE_PLAIN && e->part ? WG_MODE_GENERAL : mode;
    if (thresholds) {
        wg_thr_pass(e, w, run, t, nthreads, shared, traced);
    } else if (fractional) {
        if (traced) {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, WG_CHUNK_AGENTS)
            for (uint32_t j = 0; j < nagents; j++) {
                const uint32_t a = own_agent(j, gap, own0);
                if (w->state[a] == WG_UNAWARE) hazard(e, w, run, t, a, pulse, 1);
            }
        } else {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, WG_CHUNK_AGENTS)
            for (uint32_t j = 0; j < nagents; j++) {
                const uint32_t a = own_agent(j, gap, own0);
                if (w->state[a] == WG_UNAWARE) hazard(e, w, run, t, a, pulse, 0);
            }
        }
    } else {
        if (mode == WG_MODE_PLAIN) {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, 1) \
    reduction(+ : trials, expo[:2])
            for (size_t ch = 0; ch < nch; ch++)
                trials += transmit_chunk(e, w, run, t, ch, nwords, skip, shared, expo, WG_MODE_PLAIN);
        } else if (mode == WG_MODE_GENERAL) {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, 1) \
    reduction(+ : trials, expo[:2])
            for (size_t ch = 0; ch < nch; ch++)
                trials += transmit_chunk(e, w, run, t, ch, nwords, skip, shared, expo, WG_MODE_GENERAL);
        } else {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, 1) \
    reduction(+ : trials, expo[:2])
            for (size_t ch = 0; ch < nch; ch++)
                trials += transmit_chunk(e, w, run, t, ch, nwords, skip, shared, expo, WG_MODE_TRACED);
        }
    }

    /* partitioned: the hits on other blocks' agents go to their owners */
    if (e->part && independent) part_hits(e, w);

    int64_t delta[WG_NSTATES] = {0};
    /* new agents reached by media [valence], by recommendation [2 + valence] */
    uint32_t newpos = 0, newneg = 0, newmedia[4] = {0, 0, 0, 0};
    if (mode == WG_MODE_TRACED) {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, WG_CHUNK_WORDS) \
    reduction(+ : delta[:WG_NSTATES], newpos, newneg, newmedia[:4], expo[:2])
        for (size_t j = 0; j < nown; j++)
            resolve_word(e, w, run, t, own_word(j, gap, own0), full, pulse, delta, &newpos, &newneg,
                         newmedia, expo, WG_MODE_TRACED, lives);
    } else if (full) {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, WG_CHUNK_WORDS) \
    reduction(+ : delta[:WG_NSTATES], newpos, newneg, newmedia[:4], expo[:2])
        for (size_t j = 0; j < nown; j++) {
            const size_t i = own_word(j, gap, own0);
            if (mode2 == WG_MODE_PLAIN)
                resolve_word(e, w, run, t, i, 1, pulse, delta, &newpos, &newneg, newmedia, expo,
                             WG_MODE_PLAIN, 0);
            else if (lives)
                resolve_word(e, w, run, t, i, 1, pulse, delta, &newpos, &newneg, newmedia, expo,
                             WG_MODE_GENERAL, 1);
            else
                resolve_word(e, w, run, t, i, 1, pulse, delta, &newpos, &newneg, newmedia, expo,
                             WG_MODE_GENERAL, 0);
        }
    } else {
        /* talkers and touched agents only: no media, so no newmedia either */
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, WG_CHUNK_WORDS) \
    reduction(+ : delta[:WG_NSTATES], newpos, newneg, expo[:2])
        for (size_t j = 0; j < nown; j++) {
            const size_t i = own_word(j, gap, own0);
            if (mode2 == WG_MODE_PLAIN)
                resolve_word(e, w, run, t, i, 0, pulse, delta, &newpos, &newneg, newmedia, expo,
                             WG_MODE_PLAIN, 0);
            else if (lives)
                resolve_word(e, w, run, t, i, 0, pulse, delta, &newpos, &newneg, newmedia, expo,
                             WG_MODE_GENERAL, 1);
            else
                resolve_word(e, w, run, t, i, 0, pulse, delta, &newpos, &newneg, newmedia, expo,
                             WG_MODE_GENERAL, 0);
        }
    }
    /* partitioned: the block's changes to every rank, the counts summed */
    if (e->part) part_finish(e, w, t, delta, &newpos, &newneg, newmedia, expo, &trials);
    for (int k = 0; k < WG_NSTATES; k++) row[k] = w->count[k] = (uint32_t)(w->count[k] + delta[k]);
    row[WG_C_ABSENT] = w->count[WG_ABSENT_STATE];
    row[WG_C_NEW_POS] = newpos;
    row[WG_C_NEW_NEG] = newneg;
    row[WG_C_ANSWERS] = w->answers;
    w->new_neg = newneg;
    /* a count of more than 2^32 - 1 exposures in one step is written as that */
    row[WG_C_EXPOSURES_POS] = expo[WG_POS] < UINT32_MAX ? (uint32_t)expo[WG_POS] : UINT32_MAX;
    row[WG_C_EXPOSURES_NEG] = expo[WG_NEG] < UINT32_MAX ? (uint32_t)expo[WG_NEG] : UINT32_MAX;
    /* the reaches by source so far: seeds counted by the events, media here,
     * word of mouth the rest of the new */
    uint32_t *from = w->from;
    for (int v = 0; v < 2; v++) {
        from[WG_C_FROM_OF(WG_SRC_MEDIA, v) - WG_C_FROM] += newmedia[v];
        from[WG_C_FROM_OF(WG_SRC_RECOMMEND, v) - WG_C_FROM] += newmedia[2 + v];
        from[WG_C_FROM_OF(WG_SRC_WORD_OF_MOUTH, v) - WG_C_FROM] +=
            (v == WG_POS ? newpos : newneg) - newmedia[v] - newmedia[2 + v];
    }
    memcpy(row + WG_C_FROM, from, sizeof w->from);
    if (e->recommends) {
        const uint32_t newly[2] = {newpos, newneg};
        wg_attention_end(e, w, t, newly);
    }
    return trials;
}

/* 1 when, after a step ending with counts row, nothing can change any more. */
static int quiescent(const wg_engine *e, const wg_work *w, uint32_t t, const uint32_t *row)
{
    if (row[WG_C_ADVOCATES] || row[WG_C_CRITICS]) return 0;
    if (row[WG_C_ABSENT]) return 0;   /* agents still to arrive (arrivals.c) */
    if (wg_events_pending(e, w, t)) return 0;
    if (wg_attention_pending(e, w, t)) return 0;
    size_t ntab = e->sim.nsegments + 1;
    for (size_t i = 0; i < ntab; i++) {
        if (w->table[i].v[WG_P_MEDIA_POS] > 0 || w->table[i].v[WG_P_MEDIA_NEG] > 0) return 0;
        if (w->table[i].v[WG_P_FORGET] > 0 && (row[WG_C_SUPPORTERS] || row[WG_C_REJECTERS]))
            return 0;
    }
    return 1;
}

/* Agents in some state according to counts c, absent ones (arrivals) at
 * c[absent] (invariant 1: all of them). */
static inline uint64_t counts_total(const uint32_t *c, int absent)
{
    uint64_t sum = c[absent];
    for (int k = 0; k < WG_NSTATES; k++) sum += c[k];
    return sum;
}

/* The per-agent arrays a run starts from: every agent unaware, unseeded,
 * unhit, silent. */
static void work_clear(const wg_engine *e, wg_work *w)
{
    memset(w->state, WG_UNAWARE, e->n);
    memset(w->seed_mark, 0, (size_t)e->n * sizeof *w->seed_mark);
    memset(w->hits, 0, (size_t)e->n * sizeof *w->hits);
    memset(w->talk, 0, words_of(e->n) * sizeof *w->talk);
    memset(w->touched, 0, words_of(e->n) * sizeof *w->touched);
}

/* One whole run into rows (steps × WG_NCOUNTS). Returns 0, or 1 when stopped. */
static int run_one(const wg_engine *e, wg_work *w, uint32_t run, uint32_t *rows, uint32_t *seeded,
                   uint32_t *steps_run, double *cost, int shared, volatile sig_atomic_t *stop,
                   uint64_t *trials)
{
    const uint32_t steps = e->sim.steps;
    work_clear(e, w);
    w->seeded[WG_POS] = w->seeded[WG_NEG] = 0;
    memset(w->count, 0, sizeof w->count);
    memset(w->from, 0, sizeof w->from);
    w->count[WG_UNAWARE] = e->n;
    if (e->sim.arrivals.on) wg_arrivals_reset(e, w, run);
    if (w->trace) {
        const wg_trace_rec none = {WG_TRACE_NONE, WG_TRACE_NONE, 0, 0, 0};
        for (uint32_t a = 0; a < e->n; a++) w->trace[a] = none;
    }
    wg_params_reset(e, w);
    wg_events_work_reset(e, w);
    if (w->thr) wg_thr_draw(e, w, run);
    w->stop_flag = stop;
    w->stop_all = 0;
    wg_attention_work_reset(e, w);
    uint32_t t = 0;
    for (; t < steps; t++) {
        /* partitioned: every rank stops at the same step (the flags are summed each step) */
        if (e->part ? w->stop_all != 0 : stop && *stop) return 1;
        if (t > 0 && e->sim.arrivals.on) wg_arrivals_step(e, w, t);   /* before the events */
        if (wg_events_apply(e, w, run, t)) recount(e, w);
        WG_ASSERT(counts_total(w->count, WG_ABSENT_STATE) == e->n);
        uint32_t *row = rows + (size_t)t * WG_NCOUNTS;
        *trials += step(e, w, run, t, row, shared);
        if (seeded) {
            seeded[2 * (size_t)t + WG_POS] = w->seeded[WG_POS];
            seeded[2 * (size_t)t + WG_NEG] = w->seeded[WG_NEG];
        }
        WG_ASSERT(counts_total(row, WG_C_ABSENT) == e->n &&
                  counts_total(w->count, WG_ABSENT_STATE) == e->n);
        if (quiescent(e, w, t, row)) break;
    }
    *steps_run = t < steps ? t + 1 : steps;
    for (uint32_t u = t + 1; u < steps; u++) {
        uint32_t *row = rows + (size_t)u * WG_NCOUNTS;
        memcpy(row, rows + (size_t)t * WG_NCOUNTS, WG_NCOUNTS * sizeof *row);
        row[WG_C_NEW_POS] = row[WG_C_NEW_NEG] = row[WG_C_ANSWERS] = 0;
        row[WG_C_EXPOSURES_POS] = row[WG_C_EXPOSURES_NEG] = 0;
        if (seeded) memcpy(seeded + 2 * (size_t)u, seeded + 2 * (size_t)t, 2 * sizeof *seeded);
    }
    if (cost) *cost = w->cost;
    return 0;
}

static void work_free(wg_work *w)
{
    free(w->state);
    free(w->seed_mark);
    free(w->hits);
    free(w->scratch);
    free(w->talk);
    free(w->touched);
    free(w->skip);
    free(w->gap_tab);
    free(w->gap_inv);
    free(w->quit_thr);
    free(w->life);
    free(w->thr);
    free(w->arrive_order);
    free(w->table);
    free(w->overridden);
    free(w->changed);
    free(w->xsend);
    free(w->xrecv);
    free(w->xcounts);
    wg_events_work_free(w);
    wg_attention_work_free(w);
    memset(w, 0, sizeof *w);   /* wg_engine_free may see it again after a failed work_alloc */
}

static wg_status work_alloc(const wg_engine *e, wg_work *w)
{
    memset(w, 0, sizeof *w);
    size_t n = e->n ? e->n : 1;
    w->state = wg_malloc(n, 1);
    w->hits = wg_calloc(n, sizeof *w->hits);
    w->scratch = wg_malloc(n, sizeof *w->scratch);
    w->talk = wg_calloc(words_of(e->n) + 1, sizeof *w->talk);
    w->touched = wg_calloc(words_of(e->n) + 1, sizeof *w->touched);
    w->skip = wg_calloc(2 * (e->sim.nsegments + 1), sizeof *w->skip);
    w->table = wg_calloc(e->sim.nsegments + 1, sizeof *w->table);
    w->overridden = wg_calloc(e->sim.nsegments + 1, sizeof *w->overridden);
    w->gap_tab = wg_malloc((size_t)WG_GAP_TABLES * WG_GAP_BUCKETS, sizeof *w->gap_tab);
    w->gap_inv = wg_calloc(WG_GAP_TABLES, sizeof *w->gap_inv);
    w->quit_thr = wg_calloc(2 * (e->sim.nsegments + 1), sizeof *w->quit_thr);
    if (e->lives) w->life = wg_calloc(n, sizeof *w->life);
    if (e->thr_agents) w->thr = wg_malloc(2 * n, sizeof *w->thr);
    const int order = e->sim.arrivals.on && e->sim.arrivals.by == WG_ARRIVE_RANDOM;
    if (order) w->arrive_order = wg_malloc(n, sizeof *w->arrive_order);
    w->seed_mark = wg_calloc(n, sizeof *w->seed_mark);
    w->conflict_run = w->conflict_step = w->conflict_agent = UINT32_MAX;
    if (!w->seed_mark || !w->state || !w->hits || !w->scratch || !w->talk || !w->touched || !w->skip ||
        !w->table || !w->overridden || !w->gap_tab || !w->gap_inv || !w->quit_thr ||
        (e->lives && !w->life) || (e->thr_agents && !w->thr) || (order && !w->arrive_order) ||
        wg_events_work_alloc(e, w) != WG_OK || wg_attention_work_alloc(e, w) != WG_OK) {
        work_free(w);
        return WG_ENOMEM;
    }
    return WG_OK;
}

/* Bytes of one worker's state per agent (SIR-like: state, hits, pick
 * scratch, one bit in each of the two bitmaps; a last talking step when a
 * talking time is not geometric). */
static double worker_bytes_per_agent(const wg_engine *e)
{
    return sizeof(uint8_t) + sizeof(uint64_t) + 2 * sizeof(uint32_t) + 2.0 / 8 +
           (e->lives ? sizeof(uint32_t) : 0) + (e->thr_agents ? 2 * sizeof(double) : 0) +
           (e->sim.arrivals.by == WG_ARRIVE_RANDOM && e->sim.arrivals.on ? sizeof(uint32_t) : 0);
}

/* 1 when one worker per thread fits the budget of the parallelism note: all
 * workers' state at most a quarter of the physical memory. */
static int workers_fit(const wg_engine *e)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return 0;
    double need = (double)e->threads *
                  ((double)e->n * worker_bytes_per_agent(e) + WG_GAP_TABLES * WG_GAP_BUCKETS * 8.0);
    return need <= (double)pages * (double)page / 4;
}

#define THREAD_EXTRA_BYTES (256.0 * 1024)          /* a thread's guard page, TLS, OpenMP's own */
#define RUN_HEADROOM_BYTES (128.0 * 1024 * 1024)   /* what the run itself maps meanwhile */
#define THREAD_STACK_DEFAULT_BYTES (2.0 * 1024 * 1024)   /* a new thread's stack when
                                                        RLIMIT_STACK is unlimited */

/* The stack of each OpenMP thread: OMP_STACKSIZE when set (libgomp's units: a number
 * and B, K, M or G; K when none), else the C library's default for a new thread
 * (RLIMIT_STACK). */
static double thread_stack_bytes(void)
{
    const char *env = getenv("OMP_STACKSIZE");
    if (env && *env) {
        char *end;
        double v = strtod(env, &end);
        while (*end == ' ') end++;
        double unit = *end == 'B' || *end == 'b' ? 1 : *end == 'M' || *end == 'm' ? 1 << 20
                    : *end == 'G' || *end == 'g' ? 1 << 30 : 1024;
        if (v > 0) return v * unit;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        return (double)rl.rlim_cur;
    return THREAD_STACK_DEFAULT_BYTES;
}

wg_status wg_engine_check_threads(int threads, wg_diag *d)
{
    if (threads <= 1) return WG_OK;
    const double stack = thread_stack_bytes();
    const double need = (threads - 1) * (stack + THREAD_EXTRA_BYTES) + RUN_HEADROOM_BYTES;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && geteuid() != 0 &&
        (rlim_t)threads > rl.rlim_cur) {
        wg_diag_error(d, WG_ENOMEM, "-t %d: more threads than this user may start (RLIMIT_NPROC "
                      "%llu): use fewer threads", threads, (unsigned long long)rl.rlim_cur);
        return WG_ENOMEM;
    }
    /* stacks are address space, touched only as deep as they are used: they count
     * against RLIMIT_AS (ulimit -v), not against physical memory */
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return WG_OK;
    double used = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long pages;
    if (f && fscanf(f, "%llu", &pages) == 1) used = (double)pages * (double)sysconf(_SC_PAGESIZE);
    if (f) fclose(f);
    const double room = (double)rl.rlim_cur - used;
    if (need > room) {
        wg_diag_error(d, WG_ENOMEM, "-t %d: %d threads need about %.1f GB of address space for "
                      "their stacks (%.1f MB each); this process may use %.1f GB more (ulimit -v): "
                      "use fewer threads", threads, threads, need / 1e9, stack / 1e6,
                      room > 0 ? room / 1e9 : 0.0);
        return WG_ENOMEM;
    }
    return WG_OK;
}

wg_status wg_engine_new(const wg_sim *sim, int threads, wg_engine **out, wg_diag *d)
{
    *out = NULL;
    if (!sim->g || sim->steps == 0) {
        wg_diag_error(d, WG_EINPUT, "engine: a simulation needs a graph and at least one step");
        return WG_EINPUT;
    }
    if (sim->nsegments > 254) {
        wg_diag_error(d, WG_EINPUT, "segments: at most 254 segments, got %zu", sim->nsegments);
        return WG_EINPUT;
    }
    wg_engine *e = wg_calloc(1, sizeof *e);
    if (!e) goto nomem;
    e->sim = *sim;
    e->n = sim->g->n;
    e->threads = threads > 0 ? threads : omp_get_max_threads();
    /* threads that cannot be made would end the process in OpenMP's words: refused here */
    if (wg_engine_check_threads(e->threads, d) != WG_OK) goto fail;
    /* the whole network, until wg_engine_partition */
    e->stride = 1;
    e->first = 0;
    e->nchunks = (words_of(e->n) + WG_CHUNK_WORDS - 1) / WG_CHUNK_WORDS;
    e->own_words = words_of(e->n);
    e->own_agents = e->n;
    e->arc0 = &e->arc0_none;
    e->arc_shift = 32;
    if (wg_talktime_prepare(e, d) != WG_OK || wg_attention_prepare(e, d) != WG_OK) goto fail;
    e->thr_agents = sim->model.exposure == WG_EXPOSURE_THRESHOLD &&
                    (wg_thr_law_per_agent(&sim->model.threshold[WG_POS]) ||
                     wg_thr_law_per_agent(&sim->model.threshold[WG_NEG]));
    e->across_runs = e->threads > 1 && (e->n <= WG_SMALL_GRAPH || workers_fit(e));
    /* fractional and threshold read in-neighbours */
    if (sim->model.exposure != WG_EXPOSURE_INDEPENDENT &&
        wg_graph_transpose((wg_graph *)sim->g, d) != WG_OK)
        goto fail;
    WG_ASSERT(wg_graph_valid(sim->g) &&
              (sim->model.exposure == WG_EXPOSURE_INDEPENDENT || sim->g->in_off));
    wg_status st = wg_events_prepare(e, d);
    if (st != WG_OK) {
        wg_engine_free(e);
        return st;
    }
    /* large graphs: the other workers are made by the first wg_engine_run that needs them */
    e->nwork = e->across_runs && e->n <= WG_SMALL_GRAPH ? e->threads : 1;
    e->work = wg_calloc((size_t)e->threads, sizeof *e->work);
    if (!e->work) goto nomem;
    for (int i = 0; i < e->nwork; i++)
        if (work_alloc(e, &e->work[i]) != WG_OK) goto nomem;
    *out = e;
    return WG_OK;
nomem:
    wg_diag_error(d, WG_ENOMEM, "out of memory: the engine's state for %u agents",
                  sim->g ? sim->g->n : 0);
fail:
    wg_engine_free(e);
    return d->status ? d->status : WG_ENOMEM;
}

void wg_engine_free(wg_engine *e)
{
    if (!e) return;
    if (e->work)
        for (int i = 0; i < e->nwork; i++) work_free(&e->work[i]);
    free(e->work);
    free(e->arc0_own);
    wg_events_release(e);
    wg_talktime_release(e);
    wg_attention_release(e);
    free(e);
}

double wg_engine_bytes_per_agent(const wg_engine *e, int *workers)
{
    if (workers) *workers = e->nwork;
    /* state, hits, pick scratch, and one bit in each of the two bitmaps, per worker */
    return e->nwork * worker_bytes_per_agent(e);
}

void wg_engine_set_costs(wg_engine *e, double *cost)
{
    e->cost_out = cost;
}

int wg_engine_threads(const wg_engine *e)
{
    return e->threads;
}

uint64_t wg_engine_trials(const wg_engine *e)
{
    return e->trials;
}

int wg_engine_default_threads(void)
{
    return omp_get_max_threads();
}

/* Where run run0 + i of wg_engine_run records its seeded agents, or NULL. */
static uint32_t *seeds_of(const wg_engine *e, uint32_t i)
{
    return e->seeded_out ? e->seeded_out + (size_t)i * e->sim.steps * 2 : NULL;
}

void wg_engine_record_seeds(wg_engine *e, uint32_t *seeded) { e->seeded_out = seeded; }

void wg_engine_record_negative(wg_engine *e, uint64_t *negative) { e->negative_out = negative; }

/* The negative agents at the end of the run worker w just made into run
 * run0 + i's bitset (wg_engine_record_negative), when one is asked for. */
static void store_negative(const wg_engine *e, const wg_work *w, uint32_t i)
{
    if (!e->negative_out) return;
    uint64_t *bits = e->negative_out + (size_t)i * words_of(e->n);
    memset(bits, 0, words_of(e->n) * sizeof *bits);
    for (uint32_t a = 0; a < e->n; a++)
        if (w->state[a] == WG_CRITIC || w->state[a] == WG_REJECTER)
            bits[a >> 6] |= UINT64_C(1) << (a & 63);
}

uint64_t wg_engine_seed_conflicts(const wg_engine *e, uint32_t *run, uint32_t *step,
                                  uint32_t *agent)
{
    uint64_t sum = 0;
    *run = *step = *agent = UINT32_MAX;
    for (int k = 0; k < e->nwork; k++) {
        const wg_work *w = &e->work[k];
        sum += w->seed_conflicts;
        /* the first in run order, whichever worker met it */
        if (w->seed_conflicts && w->conflict_run < *run) {
            *run = w->conflict_run;
            *step = w->conflict_step;
            *agent = w->conflict_agent;
        }
    }
    return sum;
}

wg_status wg_engine_run(wg_engine *e, uint32_t run0, uint32_t nruns, uint32_t *counts,
                        uint32_t *steps_run, wg_progress_fn progress, void *ud,
                        volatile sig_atomic_t *stop, wg_diag *d)
{
    const size_t per_run = (size_t)e->sim.steps * WG_NCOUNTS;
    int stopped = 0;
    uint64_t done = 0, trials = 0;
    double last = wg_now_seconds();
    e->work[0].xbytes = e->work[0].xsteps = 0;
    /* large graphs: runs in parallel only when every thread gets a run; the
     * workers are made now, and if memory refuses, threads go inside runs */
    if (e->across_runs && e->nwork < e->threads && nruns >= (uint32_t)e->threads) {
        int k = e->nwork;
        while (k < e->threads && work_alloc(e, &e->work[k]) == WG_OK) k++;
        if (k == e->threads) e->nwork = k;
        else
            for (int i = 1; i < k; i++) work_free(&e->work[i]);
    }
    if (e->across_runs && e->nwork == e->threads &&
        (e->n <= WG_SMALL_GRAPH || nruns >= (uint32_t)e->threads)) {
#pragma omp parallel num_threads(e->threads) reduction(| : stopped) reduction(+ : trials)
        {
            wg_work *w = &e->work[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
            for (uint32_t i = 0; i < nruns; i++) {
                if (stopped || (stop && *stop)) {
                    stopped = 1;
                    continue;
                }
                stopped |= run_one(e, w, run0 + i, counts + i * per_run, seeds_of(e, i),
                                   &steps_run[i], e->cost_out ? &e->cost_out[i] : NULL, 0, stop,
                                   &trials);
                store_negative(e, w, i);
                uint64_t k;
#pragma omp atomic capture
                k = ++done;
                if (progress && omp_get_thread_num() == 0) {
                    double tnow = wg_now_seconds();
                    if (tnow - last >= WG_PROGRESS_SECONDS) {
                        last = tnow;
                        progress(ud, k, nruns);
                    }
                }
            }
        }
    } else {
        for (uint32_t i = 0; i < nruns && !stopped; i++) {
            stopped = run_one(e, &e->work[0], run0 + i, counts + i * per_run, seeds_of(e, i),
                              &steps_run[i], e->cost_out ? &e->cost_out[i] : NULL, e->threads > 1,
                              stop, &trials);
            if (!stopped) store_negative(e, &e->work[0], i);
            double tnow = wg_now_seconds();
            if (progress && tnow - last >= WG_PROGRESS_SECONDS) {
                last = tnow;
                progress(ud, i + 1, nruns);
            }
        }
    }
    e->trials = trials;
    if (stopped) {
        wg_diag_error(d, WG_EINTR, "interrupted: the runs were stopped before they finished");
        return WG_EINTR;
    }
    if (progress) progress(ud, nruns, nruns);
    return WG_OK;
}

wg_status wg_engine_run_states(wg_engine *e, uint32_t run, uint8_t *state, uint32_t *counts,
                               wg_diag *d)
{
    uint32_t steps_run;
    uint64_t trials = 0;
    (void)d;
    run_one(e, &e->work[0], run, counts, NULL, &steps_run, NULL,
            e->n > WG_SMALL_GRAPH && e->threads > 1,
            NULL, &trials);
    memcpy(state, e->work[0].state, e->n);
    return WG_OK;
}

wg_status wg_engine_run_traced(wg_engine *e, uint32_t run, uint32_t *counts, uint32_t *steps_run,
                               uint8_t *state, wg_trace_rec *trace, wg_diag *d)
{
    uint64_t trials = 0;
    if (e->part) {
        wg_diag_error(d, WG_EINPUT, "trace: a partitioned run (--partition) cannot be traced");
        return WG_EINPUT;
    }
    wg_work *w = &e->work[0];
    w->trace = trace;
    run_one(e, w, run, counts, NULL, steps_run, NULL, e->n > WG_SMALL_GRAPH && e->threads > 1,
            NULL, &trials);
    w->trace = NULL;
    memcpy(state, w->state, e->n);
    return WG_OK;
}

wg_status wg_engine_partition(wg_engine *e, const wg_engine_comm *comm, wg_graph **block,
                              wg_diag *d)
{
    *block = NULL;
    if (e->part) {
        wg_diag_error(d, WG_EINPUT, "engine: already partitioned");
        return WG_EINPUT;
    }
    if (e->by_reach) {
        wg_diag_error(d, WG_EINPUT, "respond: a policy that picks critics by reach cannot run "
                                    "partitioned (--partition): its ranking needs the contacts "
                                    "made on every rank; pick by degree, first or random, or "
                                    "run without --partition");
        return WG_EINPUT;
    }
    if (e->sim.model.exposure == WG_EXPOSURE_THRESHOLD) {
        wg_diag_error(d, WG_EINPUT, "model.exposure: threshold cannot run partitioned "
                                    "(--partition) yet; use independent or fractional, or run "
                                    "without --partition");
        return WG_EINPUT;
    }
    if (e->recommends || e->rekindles) {
        /* the memory needs every rank's new agents, rekindling the contacts
         * made on other blocks' quiet agents: neither is exchanged yet */
        wg_diag_error(d, WG_EINPUT, "model.%s cannot run partitioned (--partition) yet; run "
                                    "without --partition",
                      e->recommends ? "recommend" : "rekindle");
        return WG_EINPUT;
    }
    if (comm->ranks < 1 || comm->rank < 0 || comm->rank >= comm->ranks) {
        wg_diag_error(d, WG_EINPUT, "engine: rank %d of %d ranks", comm->rank, comm->ranks);
        return WG_EINPUT;
    }
    const wg_graph *g = e->sim.g;
    const int fractional = e->sim.model.exposure == WG_EXPOSURE_FRACTIONAL;
    const uint32_t n = e->n, R = (uint32_t)comm->ranks, me = (uint32_t)comm->rank;
    /* the chunks dealt in turn (design note 7): this rank's are me, me + R, ... */
    const size_t all = (words_of(n) + WG_CHUNK_WORDS - 1) / WG_CHUNK_WORDS;
    const size_t mine = all > me ? (all - me + R - 1) / R : 0;
    wg_work *w = &e->work[0];
    uint64_t *arc0 = wg_calloc(all ? all : 1, sizeof *arc0);
    w->changed = wg_calloc(words_of(n) ? words_of(n) : 1, sizeof *w->changed);
    w->xcounts = wg_calloc(R, sizeof *w->xcounts);
    if (!arc0 || !w->changed || !w->xcounts) {
        free(arc0);
        goto nomem;
    }
    /* chunk c's rows start at arc g->out_off[first agent] of the whole
     * network and at that less the arcs of other ranks' chunks before it in
     * the block (read before the block is made: from a mapped file, its
     * pages then leave) */
    for (size_t c = me; c < all; c += R) arc0[c] = g->out_off[c << WG_CHUNK_SHIFT];
    wg_status st = wg_graph_stripes(g, WG_CHUNK_AGENTS, R, me, fractional && g->directed, block, d);
    if (st != WG_OK) {
        free(arc0);
        return st;
    }
    for (size_t c = me; c < all; c += R) arc0[c] -= (*block)->out_off[c << WG_CHUNK_SHIFT];
    /* one run at a time, threads inside it: the ranks step together */
    for (int i = 1; i < e->nwork; i++) work_free(&e->work[i]);
    e->nwork = 1;
    e->across_runs = 0;
    e->arc0_own = arc0;
    e->arc0 = arc0;
    e->arc_shift = WG_CHUNK_SHIFT;
    e->sim.g = *block;
    e->comm = *comm;
    e->stride = R;
    e->first = me;
    e->nchunks = mine;
    /* every chunk is whole but the last of the network */
    e->own_words = e->own_agents = 0;
    for (size_t c = me; c < all; c += R) {
        e->own_words += chunk_end(c, words_of(n)) - c * WG_CHUNK_WORDS;
        e->own_agents += (c + 1 < all ? WG_CHUNK_AGENTS : n - (uint32_t)(c << WG_CHUNK_SHIFT));
    }
    e->part = 1;
    return WG_OK;
nomem:
    wg_diag_error(d, WG_ENOMEM, "out of memory: the partition of %u agents", n);
    return WG_ENOMEM;
}

void wg_engine_touch(wg_engine *e)
{
    for (int i = 0; i < e->nwork; i++) work_clear(e, &e->work[i]);
}

void wg_engine_exchanged(const wg_engine *e, uint64_t *bytes, uint64_t *steps)
{
    *bytes = e->work[0].xbytes;
    *steps = e->work[0].xsteps;
}
