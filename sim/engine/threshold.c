/*
 * threshold.c — exposure threshold (DESIGN.md, "Threshold contagion"; Watts
 * 2002): an unaware agent takes valence v at the end of step t when the
 * weighted share of its present in-neighbours in the reach of v (talking or
 * quiet) at the start of step t is positive and at least its threshold for v.
 * This file is the two passes of such a step for unaware agents and the
 * per-run thresholds; engine.c calls it in place of the transmission pass
 * and of the resolution of an unaware agent.
 *
 * Invariants:
 *   1. Pass 1 only reads states of the start of the step and writes, for
 *      its own agent a, hits[a] (two floats: the share of each valence
 *      whose threshold is passed, else 0) and, traced, a's record: so the
 *      pass is free of races and of thread-count effects (each sum runs
 *      over a's in-arcs in CSR order).
 *   2. Thresholds with a law are drawn once per run: one uniform U = (x +
 *      0.5) 2^-53 from words 0 and 1 of draw (THRESHOLD, a) at step 0,
 *      mapped through each valence's law (thrlaw.c), so an agent's two
 *      thresholds are the same quantile of their laws.
 *   3. Both valences may pass: the agent takes positive with probability
 *      W+ / (W+ + W-), W_v = (share of v if passed, else 0) + (1 if media
 *      hit it with v), word 2 of draw (AGENT, a), whose words 0 and 1 are
 *      the media hits as with exposure independent; a positive choice
 *      makes an advocate with probability quality (word 3), else a critic.
 *   4. Exposures: each passed threshold and each media hit counts one
 *      exposure of its valence (at most one of each per agent and step).
 *      The reach counts as word of mouth in the reach by source (source
 *      `threshold` in a trace), a media hit as media; when both decide, the
 *      media hit is the source with probability 1 / (1 + share) (draw
 *      SOURCE, a).
 */
#include <float.h>
#include <string.h>

#include "engine_impl.h"

/* 2^-53 and 2^-32: words to uniforms in (0, 1). */
#define WG_THR_TWO_M53 (1.0 / 9007199254740992.0)
#define WG_THR_TWO_M32 (1.0 / 4294967296.0)

static inline int in_reach_of(uint8_t s, int v)
{
    return v == WG_POS ? s == WG_ADVOCATE || s == WG_SUPPORTER : s == WG_CRITIC || s == WG_REJECTER;
}

void wg_thr_draw(const wg_engine *e, wg_work *w, uint32_t run)
{
    const wg_thr_law *law = e->sim.model.threshold;
    for (uint32_t a = 0; a < e->n; a++) {
        wg_rand4 r = wg_philox(e->sim.seed, run, 0, WG_R_THRESHOLD, a);
        uint64_t x = ((uint64_t)r.v[0] << 21) ^ (r.v[1] >> 11);
        double u = ((double)x + 0.5) * WG_THR_TWO_M53;
        w->thr[2 * (size_t)a + WG_POS] = wg_thr_law_quantile(&law[WG_POS], u);
        w->thr[2 * (size_t)a + WG_NEG] = wg_thr_law_quantile(&law[WG_NEG], u);
    }
}

/* Traced runs: the parent candidate of unaware agent a for valence v, a
 * present in-neighbour in the reach of v picked in proportion to its weight
 * (keyed draw PARENT, a << 32 | v); total: their summed weight. */
static uint32_t thr_parent(const wg_engine *e, const wg_work *w, uint32_t run, uint32_t t,
                           uint32_t a, int v, double total)
{
    const wg_graph *g = e->sim.g;
    if (!(total > 0)) return WG_TRACE_NONE;
    wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_PARENT, (uint64_t)a << 32 | (uint64_t)v);
    const double target = ((double)r.v[0] + 0.5) * WG_THR_TWO_M32 * total;
    double sum = 0;
    uint32_t last = WG_TRACE_NONE;
    for (uint64_t k = g->in_off[a]; k < g->in_off[a + 1]; k++) {
        uint32_t j = g->in_adj[k];
        /* over a distrust tie (negative_ties: flip) a neighbour counts for the other valence */
        if (!in_reach_of(w->state[j], g->in_neg && g->in_neg[k] ? 1 - v : v)) continue;
        sum += g->in_w ? g->in_w[k] : 1.0;
        last = j;
        if (sum >= target) return j;
    }
    return last;
}

/* Pass 1 for unaware agent a (invariant 1). */
static inline void thr_agent(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t a,
                             const int traced)
{
    const wg_graph *g = e->sim.g;
    const uint8_t *state = w->state;
    double sum[2] = {0.0, 0.0}, total = 0.0;
    for (uint64_t k = g->in_off[a]; k < g->in_off[a + 1]; k++) {
        const uint8_t sj = state[g->in_adj[k]];
        if (sj == WG_ABSENT_STATE) continue;
        const double wt = g->in_w ? g->in_w[k] : 1.0;
        total += wt;
        const int flip = g->in_neg && g->in_neg[k];   /* a distrust tie: the other valence */
        if (sj == WG_ADVOCATE || sj == WG_SUPPORTER) sum[flip ? WG_NEG : WG_POS] += wt;
        else if (sj == WG_CRITIC || sj == WG_REJECTER) sum[flip ? WG_POS : WG_NEG] += wt;
    }
    float f[2] = {0.0f, 0.0f};
    for (int v = 0; v < 2; v++) {
        const double share = total > 0 ? sum[v] / total : 0.0;
        const double thr = w->thr ? w->thr[2 * (size_t)a + (size_t)v] : e->sim.model.threshold[v].a;
        if (share > 0 && share >= thr) f[v] = share < FLT_MIN ? FLT_MIN : (float)share;
    }
    uint32_t ua, ub;
    memcpy(&ua, &f[0], 4);
    memcpy(&ub, &f[1], 4);
    w->hits[a] = (uint64_t)ua | (uint64_t)ub << 32;
    if (traced) {
        w->trace[a].parent = f[WG_POS] > 0 ? thr_parent(e, w, run, t, a, WG_POS, sum[WG_POS])
                                           : WG_TRACE_NONE;
        w->trace[a].step_reached = f[WG_NEG] > 0 ? thr_parent(e, w, run, t, a, WG_NEG, sum[WG_NEG])
                                                 : WG_TRACE_NONE;
    }
}

void wg_thr_pass(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, int nthreads,
                 int shared, int traced)
{
    const uint32_t n = e->n;
    if (traced) {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, 2048)
        for (uint32_t a = 0; a < n; a++)
            if (w->state[a] == WG_UNAWARE) thr_agent(e, w, run, t, a, 1);
    } else {
#pragma omp parallel for num_threads(nthreads) if (shared) schedule(dynamic, 2048)
        for (uint32_t a = 0; a < n; a++)
            if (w->state[a] == WG_UNAWARE) thr_agent(e, w, run, t, a, 0);
    }
}

uint8_t wg_thr_resolve(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t a,
                       const double pulse[2], uint32_t *newpos, uint32_t *newneg,
                       uint32_t *newmedia, uint64_t expo[2], int traced)
{
    const uint64_t seed = e->sim.seed;
    const uint64_t h = w->hits[a];
    if (h) w->hits[a] = 0;
    uint32_t ua = (uint32_t)h, ub = (uint32_t)(h >> 32);
    float share[2];
    memcpy(&share[WG_POS], &ua, 4);
    memcpy(&share[WG_NEG], &ub, 4);
    const wg_params *p = e->seg_of ? &w->table[e->seg_of[a]] : &w->table[0];
    const double mp = p->v[WG_P_MEDIA_POS] + pulse[WG_POS];
    const double mn = p->v[WG_P_MEDIA_NEG] + pulse[WG_NEG];
    uint32_t media[2] = {0, 0};
    wg_rand4 r = {{0, 0, 0, 0}};
    int drawn = 0;
    if (mp > 0 || mn > 0) {
        r = wg_philox(seed, run, t, WG_R_AGENT, a);
        drawn = 1;
        media[WG_POS] = (uint64_t)r.v[0] < wg_threshold(mp);
        media[WG_NEG] = (uint64_t)r.v[1] < wg_threshold(mn);
    }
    const uint32_t passed[2] = {share[WG_POS] > 0, share[WG_NEG] > 0};
    expo[WG_POS] += passed[WG_POS] + media[WG_POS];
    expo[WG_NEG] += passed[WG_NEG] + media[WG_NEG];
    const double wpos = (passed[WG_POS] ? share[WG_POS] : 0.0) + media[WG_POS];
    const double wneg = (passed[WG_NEG] ? share[WG_NEG] : 0.0) + media[WG_NEG];
    if (!(wpos > 0) && !(wneg > 0)) {
        if (traced) wg_trace_leave(&w->trace[a]);   /* drop pass 1's candidates */
        return WG_UNAWARE;
    }
    const uint64_t thr_quality = wg_threshold(p->v[WG_P_QUALITY]);
    int v = WG_POS;
    if (!(wpos > 0)) {
        v = WG_NEG;
    } else if (wneg > 0) {
        if (!drawn) r = wg_philox(seed, run, t, WG_R_AGENT, a), drawn = 1;
        v = ((double)r.v[2] + 0.5) * WG_THR_TWO_M32 * (wpos + wneg) < wpos ? WG_POS : WG_NEG;
    }
    int taken = v;
    if (v == WG_POS && thr_quality != UINT64_C(1) << 32) {
        if (!drawn) r = wg_philox(seed, run, t, WG_R_AGENT, a), drawn = 1;
        if (!((uint64_t)r.v[3] < thr_quality)) taken = WG_NEG;
    }
    if (taken == WG_POS) (*newpos)++;
    else (*newneg)++;
    /* the source: the media hit or the neighbours of the deciding valence */
    wg_source src = WG_SRC_THRESHOLD;
    if (media[v] && !passed[v]) {
        src = WG_SRC_MEDIA;
    } else if (media[v]) {
        wg_rand4 q = wg_philox(seed, run, t, WG_R_SOURCE, a);
        if (((double)q.v[0] + 0.5) * WG_THR_TWO_M32 * (1.0 + share[v]) < 1.0) src = WG_SRC_MEDIA;
    }
    if (src == WG_SRC_MEDIA) newmedia[taken]++;
    if (traced) {
        wg_trace_rec *rec = &w->trace[a];
        rec->exposures += passed[WG_POS] + passed[WG_NEG] + media[WG_POS] + media[WG_NEG];
        uint32_t parent = WG_TRACE_NONE;
        unsigned gen = 0;
        if (src == WG_SRC_THRESHOLD) {
            parent = v == WG_POS ? rec->parent : rec->step_reached;
            if (parent != WG_TRACE_NONE) gen = wg_trace_generation(&w->trace[parent]) + 1;
        }
        wg_trace_enter(rec, t, src, taken, parent, gen);
    }
    return taken == WG_POS ? WG_ADVOCATE : WG_CRITIC;
}
