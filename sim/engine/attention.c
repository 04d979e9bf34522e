/*
 * attention.c — what a platform and old talkers add to word of mouth
 * (DESIGN.md, "Attention: slow decay and recommendation"): the memory of
 * recent popularity behind `model.recommend`, and the set-up of
 * `model.rekindle`. The hits themselves are drawn in engine.c's pass 2
 * (resolve), next to the media hits they combine with.
 *
 * Recommendation: at step t an unaware agent is hit by valence v with
 * probability min(1, r_v A_v(t) / agents), where
 *     A_v(t) = sum_{s < t} new_v(s) k(t - 1 - s),   k(0) = 1,
 * new_v(s) the agents newly reached by v at step s from any source (pass 2's
 * new agents and the step's seeds of unaware agents), k(u) = (1 - decay)^u or
 * (1 + u / scale)^(-power).
 *
 * Invariants:
 *   1. After wg_attention_end(t), w->rec_a[v] = A_v(t + 1): by the recursion
 *      A(t + 1) = (1 - decay) A(t) + new(t) for an exponential memory (O(1) a
 *      step), by the sum over the run's history w->rec_new for a power-law
 *      one (O(t) a step, steps^2 / 2 multiplications a run: nothing beside
 *      the agents' work).
 *   2. A hit is word v of draw (RECOMMEND, a) below w->rec_thr[v]; the
 *      thresholds are fixed for the whole step before its passes, so hits do
 *      not depend on threads.
 *   3. Nothing here runs, and no worker holds a byte for it, when the model
 *      has no recommendation (e->recommends = 0) and no rekindling
 *      (e->rekindles = 0).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"

wg_status wg_attention_prepare(wg_engine *e, wg_diag *d)
{
    const wg_recommend *rc = &e->sim.model.recommend;
    e->recommends = rc->strength[WG_POS] > 0 || rc->strength[WG_NEG] > 0;
    e->rec_kernel = NULL;
    e->rekindles = 0;
    for (int v = 0; v < WG_NVALENCES; v++) {
        e->rk_thr[v] = wg_threshold(e->sim.model.rekindle[v]);
        e->rekindles |= e->rk_thr[v] != 0;
    }
    if (!e->recommends || rc->memory != WG_MEMORY_POWER) return WG_OK;
    if (!(rc->power > 0) || !(rc->scale > 0)) {
        wg_diag_error(d, WG_EINPUT, "recommend.memory: power (%g) and scale (%g) must be > 0",
                      rc->power, rc->scale);
        return WG_EINPUT;
    }
    if (!(e->rec_kernel = wg_malloc(e->sim.steps, sizeof *e->rec_kernel))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: the recommendation memory of %u steps",
                      e->sim.steps);
        return WG_ENOMEM;
    }
    for (uint32_t u = 0; u < e->sim.steps; u++)
        e->rec_kernel[u] = pow(1.0 + (double)u / rc->scale, -rc->power);
    return WG_OK;
}

void wg_attention_release(wg_engine *e)
{
    free(e->rec_kernel);
    e->rec_kernel = NULL;
}

wg_status wg_attention_work_alloc(const wg_engine *e, wg_work *w)
{
    w->rec_new = NULL;
    if (!e->rec_kernel) return WG_OK;
    w->rec_new = wg_calloc((size_t)e->sim.steps * WG_NVALENCES, sizeof *w->rec_new);
    return w->rec_new ? WG_OK : WG_ENOMEM;
}

void wg_attention_work_reset(const wg_engine *e, wg_work *w)
{
    (void)e;
    memset(w->rec_thr, 0, sizeof w->rec_thr);
    memset(w->rec_a, 0, sizeof w->rec_a);
    memset(w->rec_seeds, 0, sizeof w->rec_seeds);
}

void wg_attention_work_free(wg_work *w)
{
    free(w->rec_new);
    w->rec_new = NULL;
}

void wg_attention_begin(const wg_engine *e, wg_work *w, uint32_t t)
{
    (void)t;
    const double agents = e->n ? (double)e->n : 1.0;
    for (int v = 0; v < WG_NVALENCES; v++)
        w->rec_thr[v] = wg_threshold(e->sim.model.recommend.strength[v] * w->rec_a[v] / agents);
}

void wg_attention_end(const wg_engine *e, wg_work *w, uint32_t t, const uint32_t newly[2])
{
    const wg_recommend *rc = &e->sim.model.recommend;
    for (int v = 0; v < WG_NVALENCES; v++) {
        /* the step's seeds of unaware agents are new too ("from any source") */
        const uint32_t seeds = w->from[WG_C_FROM_OF(WG_SRC_SEED, v) - WG_C_FROM];
        const double fresh = (double)newly[v] + (double)(seeds - w->rec_seeds[v]);
        w->rec_seeds[v] = seeds;
        if (!e->rec_kernel) {
            w->rec_a[v] = (1.0 - rc->decay) * w->rec_a[v] + fresh;
            continue;
        }
        uint32_t *hist = w->rec_new + v;
        hist[(size_t)t * WG_NVALENCES] = (uint32_t)fresh;
        double a = 0.0;
        for (uint32_t s = 0; s <= t; s++)
            a += (double)hist[(size_t)s * WG_NVALENCES] * e->rec_kernel[t - s];
        w->rec_a[v] = a;
    }
}

int wg_attention_pending(const wg_engine *e, const wg_work *w, uint32_t t)
{
    (void)t;
    if (!e->recommends || w->count[WG_UNAWARE] == 0) return 0;
    for (int v = 0; v < WG_NVALENCES; v++)
        if (e->sim.model.recommend.strength[v] > 0 &&
            wg_threshold(e->sim.model.recommend.strength[v] * w->rec_a[v] /
                         (e->n ? (double)e->n : 1.0)) > 0)
            return 1;
    return 0;
}
