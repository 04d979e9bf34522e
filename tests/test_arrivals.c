/*
 * test_arrivals.c — open audiences (DESIGN.md, "Open audiences"), exactly:
 * the agents present at each step follow round((present + t per_step) n);
 * an absent agent is never reached (not by media, not by contacts, not by
 * seeds), makes no exposure and does not stifle; arrivals by random are
 * keyed to the run; the counts are the same at any thread count.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/rng.h"
#include "wg_test.h"

static void open_sim(wg_sim *sim, const wg_graph *g, uint32_t steps, double present,
                     double per_step, wg_arrival_by by)
{
    wg_test_sim(sim, g, steps, 11);
    sim->arrivals = (wg_arrivals){1, present, per_step, by};
}

/* The present count, from the law as DESIGN states it, computed here. */
static uint32_t present_at(uint32_t n, double present, double per_step, uint32_t t)
{
    double x = floor((present + t * per_step) * n + 0.5);
    return x > n ? n : (uint32_t)x;
}

/* Media 1 reaches every present unaware agent in the step it is present
 * (share 0: nobody else), so the reach at step t is exactly the present
 * count, and the absent column holds the rest, in id and in random order. */
static void test_present_law(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(997, 3000, 98);
    assert_non_null(g);
    const uint32_t steps = 30;
    for (int by = 0; by < 2; by++) {
        wg_sim sim;
        open_sim(&sim, g, steps, 0.13, 0.037, (wg_arrival_by)by);
        sim.model.p.v[WG_P_SHARE_POS] = sim.model.p.v[WG_P_SHARE_NEG] = 0;
        sim.model.p.v[WG_P_MEDIA_NEG] = 1;
        uint32_t *c = wg_test_run(&sim, 4, 1);
        assert_non_null(c);
        for (uint32_t r = 0; r < 4; r++)
            for (uint32_t t = 0; t < steps; t++) {
                const uint32_t *x = wg_test_row(c, steps, r, t);
                const uint32_t m = present_at(997, 0.13, 0.037, t);
                assert_int_equal(x[WG_C_ABSENT], 997 - m);
                assert_int_equal(x[WG_C_CRITICS] + x[WG_C_REJECTERS], m);
                assert_int_equal(x[WG_C_UNAWARE], 0);
                /* the new of a step are its arrivals: exposures of the present only */
                const uint32_t before = t ? present_at(997, 0.13, 0.037, t - 1) : 0;
                assert_int_equal(x[WG_C_NEW_NEG], m - before);
                assert_int_equal(x[WG_C_EXPOSURES_NEG], m - before);
            }
        free(c);
    }
    wg_graph_free(g);
}

/* Which agents are present: by id the first ids; by random a keyed order of
 * the run (two runs differ, a run is the same each time); seeds pick among
 * the present only. */
static void test_who_is_present(void **state)
{
    (void)state;
    const uint32_t n = 200, steps = 3;
    wg_graph *g = wg_test_random_graph(n, 600, 98);
    assert_non_null(g);
    uint8_t st[2][200];
    uint32_t *counts = calloc((size_t)steps * WG_NCOUNTS, sizeof *counts);
    for (int by = 0; by < 2; by++) {
        wg_sim sim;
        open_sim(&sim, g, steps, 0.1, 0.05, (wg_arrival_by)by);
        sim.model.p.v[WG_P_SHARE_POS] = sim.model.p.v[WG_P_SHARE_NEG] = 0;
        wg_event ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = WG_EV_SEED;
        ev.valence = WG_NEG;
        ev.pick.by = WG_PICK_RANDOM;
        ev.pick.count = 20;   /* = the agents present at step 0: all of them */
        ev.segment = -1;
        sim.events = &ev;
        sim.nevents = 1;
        wg_engine *e = NULL;
        wg_diag d;
        wg_diag_init(&d);
        assert_int_equal(wg_engine_new(&sim, 1, &e, &d), WG_OK);
        for (uint32_t r = 0; r < 2; r++) {
            assert_int_equal(wg_engine_run_states(e, r, st[r], counts, &d), WG_OK);
            uint32_t absent = 0, seeded = 0, unaware = 0;
            for (uint32_t a = 0; a < n; a++) {
                absent += st[r][a] == WG_NSTATES;
                seeded += st[r][a] == WG_CRITIC || st[r][a] == WG_REJECTER;
                unaware += st[r][a] == WG_UNAWARE;
                if (by == WG_ARRIVE_ID) assert_int_equal(st[r][a] == WG_NSTATES, a >= 40);
            }
            assert_int_equal(absent, n - 40);   /* 20 + 2 × 10 by step 2 */
            assert_int_equal(seeded, 20);
            assert_int_equal(unaware, 20);
            assert_int_equal(wg_test_row(counts, steps, 0, steps - 1)[WG_C_ABSENT], n - 40);
        }
        uint8_t gone[2][200];   /* who is absent in each run */
        for (uint32_t r = 0; r < 2; r++)
            for (uint32_t a = 0; a < n; a++) gone[r][a] = st[r][a] == WG_NSTATES;
        if (by == WG_ARRIVE_RANDOM) assert_memory_not_equal(gone[0], gone[1], n);
        else assert_memory_equal(gone[0], gone[1], n);
        uint8_t again[200];
        assert_int_equal(wg_engine_run_states(e, 1, again, counts, &d), WG_OK);
        assert_memory_equal(again, st[1], n);   /* keyed: run 1 again is run 1 */
        wg_engine_free(e);
        wg_diag_free(&d);
    }
    free(counts);
    wg_graph_free(g);
}

/* A talker's contact with an absent agent is no exposure and no hit: a star
 * whose hub (id 0) alone is present at step 0 talks to its 19 leaves with
 * share 1; one leaf arrives per step (by id), each heard the step it arrives. */
static void test_no_contact_with_absent(void **state)
{
    (void)state;
    wg_graph *g = wg_test_star(19);
    const uint32_t steps = 6;
    wg_sim sim;
    open_sim(&sim, g, steps, 0.05, 0.05, WG_ARRIVE_ID);
    sim.model.p.v[WG_P_SHARE_NEG] = 1;
    sim.model.p.v[WG_P_QUIT_NEG] = 0;
    sim.model.p.v[WG_P_STIFLE] = 1;   /* an absent agent must not stifle the hub */
    uint64_t hub = 0;
    wg_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = WG_EV_SEED;
    ev.valence = WG_NEG;
    ev.pick.by = WG_PICK_ID;
    ev.pick.ids = &hub;
    ev.pick.nids = 1;
    ev.segment = -1;
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run(&sim, 1, 1);
    assert_non_null(c);
    for (uint32_t t = 0; t < steps; t++) {
        const uint32_t *x = wg_test_row(c, steps, 0, t);
        assert_int_equal(x[WG_C_ABSENT], 19 - t);
        if (t > 1) continue;
        /* step 0: 19 absent leaves, no exposure, no stifling (else leaf 1
         * would not be reached at step 1, nor the hub talk then) */
        assert_int_equal(x[WG_C_EXPOSURES_NEG], t);   /* the leaves present at step t: t */
        assert_int_equal(x[WG_C_NEW_NEG], t);
        assert_int_equal(x[WG_C_CRITICS], 1 + t);
    }
    free(c);
    wg_graph_free(g);
}

/* The same counts at 1, 2 and 8 threads, arrivals by random, for each
 * exposure; a small graph (runs in parallel) and a large one (threads inside). */
static void test_threads(void **state)
{
    (void)state;
    const uint32_t sizes[2][2] = {{3000, 12000}, {300000, 1200000}};
    for (int k = 0; k < 2; k++) {
        wg_graph *g = wg_test_random_graph(sizes[k][0], sizes[k][1], 98);
        assert_non_null(g);
        const uint32_t runs = k ? 2 : 8;
        for (int x = 0; x < WG_NEXPOSURES; x++) {
            wg_sim sim;
            open_sim(&sim, g, 25, 0.3, 0.05, WG_ARRIVE_RANDOM);
            sim.model.exposure = (wg_exposure)x;
            sim.model.threshold[0] = sim.model.threshold[1] = (wg_thr_law){WG_THR_UNIFORM, 0.05, 0.3};
            sim.model.p.v[WG_P_SHARE_POS] = 0.1;
            sim.model.p.v[WG_P_SHARE_NEG] = 0.15;
            sim.model.p.v[WG_P_MEDIA_POS] = 0.01;
            sim.model.p.v[WG_P_STIFLE] = 0.1;
            size_t len = (size_t)runs * sim.steps * WG_NCOUNTS * sizeof(uint32_t);
            uint32_t *c1 = wg_test_run(&sim, runs, 1), *c2 = wg_test_run(&sim, runs, 2);
            uint32_t *c8 = wg_test_run(&sim, runs, 8);
            assert_memory_equal(c1, c2, len);
            assert_memory_equal(c1, c8, len);
            const uint32_t *last = wg_test_row(c1, sim.steps, 0, sim.steps - 1);
            print_message("  exposure %d, n %u: unaware %u absent %u at the end\n", x, sizes[k][0],
                          last[WG_C_UNAWARE], last[WG_C_ABSENT]);
            assert_true(last[WG_C_UNAWARE] + 100 < sizes[k][0]);   /* something happened */
            free(c1), free(c2), free(c8);
        }
        wg_graph_free(g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_present_law),
        cmocka_unit_test(test_who_is_present),
        cmocka_unit_test(test_no_contact_with_absent),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
