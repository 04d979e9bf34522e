/*
 * rrset.c — reverse-reachable sets of an independent cascade, in parallel
 * (waggle/rrset.h).
 *
 * Invariants:
 *   1. set i depends only on its keys. Its root is word 0 of the draw
 *      wg_rng(seed, i, phase, WG_R_RR_ROOT, 0). On a graph without weights
 *      every arc is live with the same p, and a searched agent skips from
 *      live in-arc to live in-arc by geometric gaps (gap.h): the set's j-th
 *      gap word is word 1 + j of the root's draw for j < 3, else word
 *      (j - 3) % 4 of wg_rng(seed, i, phase, WG_R_RR_GAP, (j - 3) / 4), so a
 *      set costs about one draw per four live arcs and per four agents
 *      searched, and arcs that are not live are never read. On a weighted
 *      graph each in-arc a of a searched agent has its own coin, word a % 4
 *      of wg_rng(seed, i, phase, WG_R_RR_ARC, a / 4). No thread's schedule
 *      can change a set;
 *   2. threads take chunks of WG_RR_CHUNK consecutive set indices as they
 *      come free (a descheduled thread on a shared machine holds up one
 *      chunk, not a fixed half of the work) into their own buffers; the
 *      chunks are then appended in index order, so the collection is the
 *      same for every thread count;
 *   3. a reverse breadth-first search visits an agent once per set and
 *      stops at `hops` levels: a bitmap per thread marks the agents of the
 *      set being drawn and is clear between sets (the set's own agents are
 *      unmarked after it), so its n / 8 bytes stay in cache;
 *   4. the work is bound by memory latency (the offsets, arcs and marks of
 *      random agents): a chunk draws its roots first and fetches the
 *      offsets of the roots and of the queued agents a few sets or agents
 *      ahead of their search.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/engine.h"
#include "waggle/rrset.h"
#include "../base/philox.h"
#include "gap.h"

#define WG_R_RR_ROOT (WG_R_USER + 17)
#define WG_R_RR_ARC (WG_R_USER + 18)
#define WG_R_RR_GAP (WG_R_USER + 19)

void wg_rrsets_free(wg_rrsets *r)
{
    free(r->off);
    free(r->node);
    memset(r, 0, sizeof *r);
}

void wg_rrsets_clear(wg_rrsets *r)
{
    r->n = 0;
    if (r->off) r->off[0] = 0;
}

/* Room for `sets` more sets of `nodes` more agents. */
static int reserve(wg_rrsets *r, uint64_t sets, uint64_t nodes)
{
    if (!r->off || r->n + sets + 1 > r->cap_sets) {
        uint64_t c = r->cap_sets ? r->cap_sets : 1024;
        while (c < r->n + sets + 1) c *= 2;
        uint64_t *o = wg_realloc(r->off, c, sizeof *o);
        if (!o) return 0;
        if (!r->off) o[0] = 0;
        r->off = o;
        r->cap_sets = c;
    }
    uint64_t used = r->off[r->n];
    if (!r->node || used + nodes > r->cap_nodes) {
        uint64_t c = r->cap_nodes ? r->cap_nodes : 4096;
        while (c < used + nodes) c *= 2;
        uint32_t *v = wg_realloc(r->node, c, sizeof *v);
        if (!v) return 0;
        r->node = v;
        r->cap_nodes = c;
    }
    return 1;
}

/* Sets a thread takes at a time (invariant 2). */
#define WG_RR_CHUNK 1024u
/* How many roots or queued agents ahead the offsets are fetched (invariant 4). */
#define WG_RR_AHEAD 8u

/* What every set of one call shares: the graph's arcs and how they go live. */
typedef struct rr_arcs {
    int live;            /* some arc can be live: p > 0 */
    double inv;          /* 0 < p < 1: 1 / log(1 - p) < 0 (gap.h); p >= 1: 0, every arc live */
    uint64_t tab[WG_GAP_BUCKETS]; /* gap table of inv */
} rr_arcs;

/* One thread's work: its sets, and the search's scratch. */
typedef struct rr_work {
    wg_rrsets out;
    uint64_t *seen;      /* bitmap, n bits: in the set being drawn (invariant 3) */
    uint32_t *queue;     /* n: the set being drawn, in the search's order */
    wg_rand4 *roots;     /* WG_RR_CHUNK: the root draws of the chunk (invariant 4) */
    int oom;
} rr_work;

/* Marks agent u in the set being drawn and queues it, unless it is in already. */
static inline uint32_t visit(rr_work *w, uint32_t u, uint32_t tail)
{
    const uint64_t bit = UINT64_C(1) << (u & 63);
    if (w->seen[u >> 6] & bit) return tail;
    w->seen[u >> 6] |= bit;
    w->queue[tail] = u;
    return tail + 1;
}

/* The in-arcs of v live in set i, weighted graph: a coin per arc
 * (invariant 1); queues the sources not yet in the set. */
static uint32_t search_coins(const wg_rr_model *m, uint64_t i, uint32_t v, uint32_t tail,
                             rr_work *w)
{
    const wg_graph *g = m->g;
    wg_rand4 r = {{0, 0, 0, 0}};
    uint64_t block = UINT64_MAX;
    for (uint64_t a = g->in_off[v]; a < g->in_off[v + 1]; a++) {
        const uint32_t u = g->in_adj[a];
        if (w->seen[u >> 6] >> (u & 63) & 1) continue;
        if (a / 4 != block) {
            block = a / 4;
            r = wg_philox(m->seed, (uint32_t)i, m->phase, WG_R_RR_ARC, block);
        }
        if ((uint64_t)r.v[a % 4] >= wg_threshold(m->share * g->in_w[a])) continue;
        tail = visit(w, u, tail);
    }
    return tail;
}

/* RR set i, whose root draw is rr, into w->out (which it grows). */
static void one_set(const wg_rr_model *m, const rr_arcs *c, uint64_t i, wg_rand4 rr,
                    rr_work *w)
{
    const wg_graph *g = m->g;
    uint32_t tail = visit(w, wg_below(rr.v[0], g->n), 0);
    wg_rand4 block = rr;
    uint64_t word = 1;   /* the next gap word: word % 4 of block (invariant 1) */
    /* level by level: the agents of level < hops are searched, those of level hops kept */
    uint32_t start = 0, end = tail;
    for (uint32_t level = 0; level < m->hops && start < end; level++) {
        for (uint32_t h = start; h < end; h++) {
            if (h + WG_RR_AHEAD < end) __builtin_prefetch(&g->in_off[w->queue[h + WG_RR_AHEAD]]);
            if (h + WG_RR_AHEAD / 2 < end)
                __builtin_prefetch(&g->in_adj[g->in_off[w->queue[h + WG_RR_AHEAD / 2]]]);
            const uint32_t v = w->queue[h];
            if (g->in_w) {
                tail = search_coins(m, i, v, tail, w);
                continue;
            }
            uint64_t pos = g->in_off[v];
            const uint64_t stop = g->in_off[v + 1];
            if (pos == stop || !c->live) continue;
            for (;;) {
                if (c->inv < 0) {   /* p < 1: the gap to the next live arc */
                    if ((word & 3) == 0)
                        block = wg_philox(m->seed, (uint32_t)i, m->phase, WG_R_RR_GAP,
                                          (word - 4) >> 2);
                    const uint64_t gap = gap_of(c->tab, block.v[word & 3], c->inv);
                    word++;
                    if (gap >= stop - pos) break;
                    pos += gap;
                }
                tail = visit(w, g->in_adj[pos], tail);
                if (++pos == stop) break;
            }
        }
        start = end;
        end = tail;
    }
    for (uint32_t h = 0; h < tail; h++) w->seen[w->queue[h] >> 6] = 0;   /* invariant 3 */
    if (!reserve(&w->out, 1, tail)) {
        w->oom = 1;
        return;
    }
    uint64_t at = w->out.off[w->out.n];
    memcpy(w->out.node + at, w->queue, (size_t)tail * sizeof *w->queue);
    w->out.off[++w->out.n] = at + tail;
}

/* Sets lo .. hi - 1 (at most one chunk) into w->out: the roots first (invariant 4). */
static void chunk_sets(const wg_rr_model *m, const rr_arcs *c, uint64_t lo, uint64_t hi,
                       rr_work *w)
{
    const uint32_t len = (uint32_t)(hi - lo);
    for (uint32_t j = 0; j < len; j++)
        w->roots[j] = wg_philox(m->seed, (uint32_t)(lo + j), m->phase, WG_R_RR_ROOT, 0);
    const wg_graph *g = m->g;
    for (uint32_t j = 0; j < len && !w->oom; j++) {
        if (j + WG_RR_AHEAD < len)
            __builtin_prefetch(&g->in_off[wg_below(w->roots[j + WG_RR_AHEAD].v[0], g->n)]);
        /* two stages: the offsets fetched WG_RR_AHEAD sets ago give the arcs' address */
        if (j + WG_RR_AHEAD / 2 < len)
            __builtin_prefetch(&g->in_adj[g->in_off[wg_below(w->roots[j + WG_RR_AHEAD / 2].v[0], g->n)]]);
        one_set(m, c, lo + j, w->roots[j], w);
    }
}

/* How the arcs go live (invariant 1): unweighted, p = min(1, share) on every arc. */
static void arcs_of(const wg_rr_model *m, rr_arcs *c)
{
    const double p = m->share, l = p > 0 && p < 1 ? log1p(-p) : 0.0;
    c->live = p > 0 && (p >= 1 || l != 0);   /* l = 0: p below double resolution, as p = 0 */
    c->inv = c->live && p < 1 ? 1.0 / l : 0.0;
    if (c->inv < 0) gap_table(c->tab, c->inv);
}

wg_status wg_rrsets_sample(const wg_rr_model *m, uint64_t first, uint64_t count, int threads,
                           wg_rrsets *r, wg_diag *d)
{
    const wg_graph *g = m->g;
    if (!g->in_off && wg_graph_transpose((wg_graph *)g, d) != WG_OK) return WG_ENOMEM;
    if (count == 0) return WG_OK;
    if (first + count > UINT32_MAX) {
        wg_diag_error(d, WG_EINPUT, "reverse influence sampling: more than %u RR sets needed "
                      "(a larger epsilon needs fewer)", UINT32_MAX - 1);
        return WG_EINPUT;
    }
    const uint64_t chunks = (count + WG_RR_CHUNK - 1) / WG_RR_CHUNK;
    int nt = threads > 0 ? threads : omp_get_max_threads();
    if ((uint64_t)nt > chunks) nt = (int)chunks;
    if (wg_engine_check_threads(nt, d) != WG_OK) return WG_ENOMEM;
    rr_work *w = wg_calloc((size_t)nt, sizeof *w);
    rr_arcs *arcs = wg_malloc(1, sizeof *arcs);
    /* chunk c: the thread that drew it and the index of its first set in that thread's buffer */
    int *chunk_thread = wg_malloc(chunks, sizeof *chunk_thread);
    uint64_t *chunk_at = wg_malloc(chunks, sizeof *chunk_at);
    int oom = !w || !arcs || !chunk_thread || !chunk_at;
    for (int t = 0; !oom && t < nt; t++) {
        w[t].seen = wg_calloc((size_t)g->n / 64 + 1, sizeof *w[t].seen);
        w[t].queue = wg_malloc(g->n ? g->n : 1, sizeof *w[t].queue);
        w[t].roots = wg_malloc(WG_RR_CHUNK, sizeof *w[t].roots);
        oom = !w[t].seen || !w[t].queue || !w[t].roots ||
              !reserve(&w[t].out, count / nt + 1, 1024);
    }
    if (!oom) {
        arcs_of(m, arcs);
#pragma omp parallel num_threads(nt)
        {
            const int t = omp_get_thread_num();
#pragma omp for schedule(dynamic, 1)
            for (uint64_t c = 0; c < chunks; c++) {
                chunk_thread[c] = t;
                chunk_at[c] = w[t].out.n;
                const uint64_t lo = first + c * WG_RR_CHUNK;
                const uint64_t hi = lo + WG_RR_CHUNK < first + count ? lo + WG_RR_CHUNK
                                                                     : first + count;
                if (!w[t].oom) chunk_sets(m, arcs, lo, hi, &w[t]);
            }
        }
        uint64_t nodes = 0;
        for (int t = 0; t < nt; t++) {
            oom |= w[t].oom;
            nodes += w[t].out.off[w[t].out.n];
        }
        if (!oom && reserve(r, count, nodes)) {
            for (uint64_t c = 0; c < chunks; c++) {
                const wg_rrsets *o = &w[chunk_thread[c]].out;
                const uint64_t j0 = chunk_at[c];
                const uint64_t sets = c + 1 < chunks ? WG_RR_CHUNK : count - c * WG_RR_CHUNK;
                const uint64_t base = r->off[r->n], from = o->off[j0];
                memcpy(r->node + base, o->node + from,
                       (size_t)(o->off[j0 + sets] - from) * sizeof *r->node);
                for (uint64_t j = 1; j <= sets; j++)
                    r->off[r->n + j] = base + (o->off[j0 + j] - from);
                r->n += sets;
            }
        } else {
            oom = 1;
        }
    }
    for (int t = 0; w && t < nt; t++) {
        wg_rrsets_free(&w[t].out);
        free(w[t].seen);
        free(w[t].queue);
        free(w[t].roots);
    }
    free(w);
    free(arcs);
    free(chunk_thread);
    free(chunk_at);
    if (oom) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: %llu RR sets", (unsigned long long)count);
        return WG_ENOMEM;
    }
    return WG_OK;
}
