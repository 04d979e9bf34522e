/*
 * bench_sir.h — the SIR-like setting the engine benchmarks share
 * (bench_engine, bench_trace): the default parameters (contact all, share
 * 0.05, quit 0.2), ten random critics seeded at step 0, seed 12345.
 */
#ifndef WAGGLE_BENCH_SIR_H
#define WAGGLE_BENCH_SIR_H

#include <string.h>

#include "waggle/engine.h"

/* Fill sim (on g, for steps) and its one event ev (both must outlive the engine). */
static inline void bench_sir(wg_sim *sim, wg_event *ev, const wg_graph *g, uint32_t steps)
{
    memset(sim, 0, sizeof *sim);
    sim->g = g;
    wg_params_default(&sim->model.p);
    sim->steps = steps;
    sim->seed = 12345;
    memset(ev, 0, sizeof *ev);
    ev->kind = WG_EV_SEED;
    ev->valence = WG_NEG;
    ev->pick.by = WG_PICK_RANDOM;
    ev->pick.count = 10;
    ev->segment = -1;
    sim->events = ev;
    sim->nevents = 1;
}

#endif
