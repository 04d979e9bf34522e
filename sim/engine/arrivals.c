/*
 * arrivals.c — open audiences (DESIGN.md, "Open audiences"): agents that
 * have not arrived hold the engine's own state WG_ABSENT_STATE, so that no
 * pass treats them as unaware (never hit, never hearing media or
 * neighbours, never picked, not counted in their neighbours' shares) nor
 * as aware (a contact with one neither stifles nor counts an exposure).
 *
 * Invariants:
 *   1. During step t exactly wg_arrivals_present(t) agents are present: the
 *      first ones of the order, in id order or in a keyed random order of
 *      the run (Fisher-Yates, swap i with i + below(word 0 of draw (ARRIVAL,
 *      i) at step 0, n - i)), so the order depends on (seed, run) only.
 *   2. Arrivals apply at the start of a step, before its events; an agent
 *      arrives unaware. w->count[WG_ABSENT_STATE] counts the absent, and the
 *      six states and it sum to the agents.
 *   3. Nothing here runs without `arrivals:` (e->sim.arrivals.on = 0).
 */
#include <string.h>

#include "engine_impl.h"

static inline uint32_t agent_at(const wg_work *w, uint32_t i)
{
    return w->arrive_order ? w->arrive_order[i] : i;
}

void wg_arrivals_reset(const wg_engine *e, wg_work *w, uint32_t run)
{
    const uint32_t n = e->n;
    if (w->arrive_order) {
        for (uint32_t i = 0; i < n; i++) w->arrive_order[i] = i;
        for (uint32_t i = 0; i + 1 < n; i++) {
            wg_rand4 r = wg_philox(e->sim.seed, run, 0, WG_R_ARRIVAL, i);
            uint32_t j = i + wg_below(r.v[0], n - i);
            uint32_t tmp = w->arrive_order[i];
            w->arrive_order[i] = w->arrive_order[j];
            w->arrive_order[j] = tmp;
        }
    }
    const uint32_t m = wg_arrivals_present(&e->sim.arrivals, n, 0);
    memset(w->state, WG_ABSENT_STATE, n);
    for (uint32_t i = 0; i < m; i++) w->state[agent_at(w, i)] = WG_UNAWARE;
    w->arrived = m;
    w->count[WG_UNAWARE] = m;
    w->count[WG_ABSENT_STATE] = n - m;
}

void wg_arrivals_step(const wg_engine *e, wg_work *w, uint32_t t)
{
    const uint32_t m = wg_arrivals_present(&e->sim.arrivals, e->n, t);
    if (m <= w->arrived) return;
    for (uint32_t i = w->arrived; i < m; i++) w->state[agent_at(w, i)] = WG_UNAWARE;
    w->count[WG_UNAWARE] += m - w->arrived;
    w->count[WG_ABSENT_STATE] -= m - w->arrived;
    w->arrived = m;
}
