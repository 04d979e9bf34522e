/*
 * rrset.c — reverse-reachable sets of an independent cascade, in parallel
 * (waggle/rrset.h).
 *
 * Invariants:
 *   1. set i depends only on its keys: the root is wg_rng(seed, i, phase,
 *      WG_R_RR_ROOT, 0), the coins of the in-arcs of an agent come in blocks
 *      of four, wg_rng(seed, i, phase, WG_R_RR_ARC, arc / 4), word arc % 4,
 *      so no thread's schedule can change a set;
 *   2. threads take contiguous ranges of set indices into their own buffers,
 *      which are appended in index order: the collection is the same for
 *      every thread count;
 *   3. a reverse breadth-first search visits an agent once per set (a stamp
 *      per agent and thread, the set's index + 1, so nothing is cleared
 *      between sets) and stops at `hops` levels.
 */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/rng.h"
#include "waggle/engine.h"
#include "waggle/rrset.h"

#define WG_R_RR_ROOT (WG_R_USER + 17)
#define WG_R_RR_ARC (WG_R_USER + 18)

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

/* One thread's work: its sets, and the search's scratch. */
typedef struct rr_work {
    wg_rrsets out;
    uint32_t *stamp;     /* n: last set index + 1 that visited the agent */
    uint32_t *queue;     /* n */
    int oom;
} rr_work;

/* RR set i into w->out (the caller reserved nothing: this grows it). */
static void one_set(const wg_rr_model *m, uint64_t i, rr_work *w)
{
    const wg_graph *g = m->g;
    const uint32_t n = g->n, tag = (uint32_t)i + 1;
    const uint64_t thr = wg_threshold(m->share);
    uint32_t root = wg_below(wg_rng(m->seed, (uint32_t)i, m->phase, WG_R_RR_ROOT, 0).v[0], n);
    uint32_t tail = 0;
    w->queue[tail++] = root;
    w->stamp[root] = tag;
    /* level by level: the agents of level < hops are searched, those of level hops kept */
    uint32_t start = 0, end = tail;
    for (uint32_t level = 0; level < m->hops && start < end; level++) {
        for (uint32_t h = start; h < end; h++) {
            const uint32_t v = w->queue[h];
            const uint64_t a0 = g->in_off[v], a1 = g->in_off[v + 1];
            wg_rand4 r = {{0, 0, 0, 0}};
            uint64_t block = UINT64_MAX;
            for (uint64_t a = a0; a < a1; a++) {
                uint32_t u = g->in_adj[a];
                if (w->stamp[u] == tag) continue;
                if (a / 4 != block) {
                    block = a / 4;
                    r = wg_rng(m->seed, (uint32_t)i, m->phase, WG_R_RR_ARC, block);
                }
                const uint64_t t = g->in_w ? wg_threshold(m->share * g->in_w[a]) : thr;
                if ((uint64_t)r.v[a % 4] >= t) continue;
                w->stamp[u] = tag;
                w->queue[tail++] = u;
            }
        }
        start = end;
        end = tail;
    }
    if (!reserve(&w->out, 1, tail)) {
        w->oom = 1;
        return;
    }
    uint64_t at = w->out.off[w->out.n];
    memcpy(w->out.node + at, w->queue, (size_t)tail * sizeof *w->queue);
    w->out.off[++w->out.n] = at + tail;
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
    int nt = threads > 0 ? threads : omp_get_max_threads();
    if ((uint64_t)nt > count) nt = (int)count;
    if (wg_engine_check_threads(nt, d) != WG_OK) return WG_ENOMEM;
    rr_work *w = wg_calloc((size_t)nt, sizeof *w);
    int oom = !w;
    for (int t = 0; !oom && t < nt; t++) {
        w[t].stamp = wg_calloc(g->n ? g->n : 1, sizeof *w[t].stamp);
        w[t].queue = wg_malloc(g->n ? g->n : 1, sizeof *w[t].queue);
        oom = !w[t].stamp || !w[t].queue || !reserve(&w[t].out, count / nt + 1, 1024);
    }
    if (!oom) {
        /* a stamp is an index + 1 below 2^32 (checked above): never 0, never reused */
#pragma omp parallel num_threads(nt)
        {
            const int t = omp_get_thread_num();
            const uint64_t lo = first + count * (uint64_t)t / (uint64_t)nt;
            const uint64_t hi = first + count * (uint64_t)(t + 1) / (uint64_t)nt;
            for (uint64_t i = lo; i < hi && !w[t].oom; i++) one_set(m, i, &w[t]);
        }
        uint64_t sets = 0, nodes = 0;
        for (int t = 0; t < nt; t++) {
            oom |= w[t].oom;
            sets += w[t].out.n;
            nodes += w[t].out.off[w[t].out.n];
        }
        if (!oom && reserve(r, sets, nodes)) {
            for (int t = 0; t < nt; t++) {
                uint64_t base = r->off[r->n], len = w[t].out.off[w[t].out.n];
                memcpy(r->node + base, w[t].out.node, (size_t)len * sizeof *r->node);
                for (uint64_t j = 1; j <= w[t].out.n; j++)
                    r->off[r->n + j] = base + w[t].out.off[j];
                r->n += w[t].out.n;
            }
        } else {
            oom = 1;
        }
    }
    for (int t = 0; w && t < nt; t++) {
        wg_rrsets_free(&w[t].out);
        free(w[t].stamp);
        free(w[t].queue);
    }
    free(w);
    if (oom) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: %llu RR sets", (unsigned long long)count);
        return WG_ENOMEM;
    }
    return WG_OK;
}
