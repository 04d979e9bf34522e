/*
 * talktime.c — talking times other than geometric (DESIGN.md, "Talking
 * times"): when an agent starts talking, its talking time D >= 1 is drawn
 * once from its valence's law and the last step it talks is stored in
 * w->life; pass 1 (or pass 2 with exposure fractional) makes it quiet at the
 * end of that step, as rule 5 does with quit. Stifling still ends it early.
 *
 * Invariants:
 *   1. D is drawn by inversion: U = (x + 0.5) 2^-53 from 53 bits of words 0
 *      and 1 of draw (DURATION, a) at the step the talk starts, and D is the
 *      smallest d with U <= P(D <= d) (a table of the law's CDF for d = 1 ..
 *      steps, made once per engine with waggle/model.h's wg_duration_cdf);
 *      U above the last entry means D > steps: talking until the run ends,
 *      which no step can tell apart. A fixed law needs no draw.
 *   2. beta_quit is drawn from its exact marginal law, the beta-geometric
 *      P(D > d) = B(a, b + d) / B(a, b): the same law as drawing the talker's
 *      own quit probability from Beta(a, b) and then quitting with it each
 *      step, since nothing else reads that probability.
 *   3. A geometric valence keeps version 1's rule (quit.<valence> each step,
 *      word 0 of draw (QUIET, a)): its talkers get life UINT32_MAX.
 *   4. Nothing here runs when every valence is geometric (e->lives = 0): no
 *      table, no w->life, not one instruction in the step.
 */
#include <stdlib.h>

#include "engine_impl.h"

/* 2^-53: maps 53 random bits x to (x + 0.5) 2^-53 in (0, 1). */
#define WG_TWO_M53 (1.0 / 9007199254740992.0)

wg_status wg_talktime_prepare(wg_engine *e, wg_diag *d)
{
    const uint32_t steps = e->sim.steps;
    e->lives = 0;
    for (int v = 0; v < WG_NVALENCES; v++) {
        const wg_duration *law = &e->sim.model.duration[v];
        e->life_fixed[v] = 0;
        e->life_cdf[v] = NULL;
        if (law->law == WG_DUR_GEOMETRIC) continue;
        e->lives = 1;
        if (law->law == WG_DUR_FIXED) {
            e->life_fixed[v] = law->a >= 1 && law->a < UINT32_MAX ? (uint32_t)law->a : UINT32_MAX;
            continue;
        }
        double g[2];
        if (wg_duration_gsl_params(law, g) != 0) {
            wg_diag_error(d, WG_EINPUT, "duration.%s: no %s law with parameters %g and %g",
                          wg_valence_name(v), wg_duration_law_name(law->law), law->a, law->b);
            return WG_EINPUT;
        }
        if (!(e->life_cdf[v] = wg_malloc(steps, sizeof **e->life_cdf))) {
            wg_diag_error(d, WG_ENOMEM, "out of memory: the talking times of %u steps", steps);
            return WG_ENOMEM;
        }
        for (uint32_t k = 0; k < steps; k++) e->life_cdf[v][k] = wg_duration_cdf(law, 0, k + 1);
    }
    return WG_OK;
}

void wg_talktime_release(wg_engine *e)
{
    for (int v = 0; v < WG_NVALENCES; v++) {
        free(e->life_cdf[v]);
        e->life_cdf[v] = NULL;
    }
}

void wg_talktime_start(const wg_engine *e, wg_work *w, uint32_t run, uint32_t t, uint32_t a,
                       uint32_t first)
{
    const int v = w->state[a] == WG_ADVOCATE ? WG_POS : WG_NEG;
    const uint32_t steps = e->sim.steps;
    uint64_t dur;
    if (e->life_fixed[v]) {
        dur = e->life_fixed[v];
    } else if (e->life_cdf[v]) {
        const double *cdf = e->life_cdf[v];
        wg_rand4 r = wg_philox(e->sim.seed, run, t, WG_R_DURATION, a);
        uint64_t x = ((uint64_t)r.v[0] << 21) ^ (r.v[1] >> 11);
        double u = ((double)x + 0.5) * WG_TWO_M53;
        if (!(u <= cdf[steps - 1])) {
            w->life[a] = UINT32_MAX;
            return;
        }
        uint32_t lo = 0, hi = steps - 1;   /* the first k with u <= cdf[k]: D = k + 1 */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (u <= cdf[mid]) hi = mid;
            else lo = mid + 1;
        }
        dur = (uint64_t)lo + 1;
    } else {
        w->life[a] = UINT32_MAX;   /* geometric: quit.<valence> decides, step by step */
        return;
    }
    uint64_t last = (uint64_t)first + dur - 1;
    w->life[a] = last < UINT32_MAX ? (uint32_t)last : UINT32_MAX;
}
