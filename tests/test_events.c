/*
 * test_events.c — the timeline inside the engine: each event type and each
 * kind of pick on a small graph whose outcome is known exactly, segments
 * (activity, susceptibility, parameters; the later segment wins), and the
 * checks that only the network allows, reported at the scenario's
 * file:line:col.
 *
 * The timelines are written as scenario text (the loader makes the events
 * and segments) and run on graphs built here, so every agent's place is
 * known. Exact tests use share 0 or 1 and quit 0 or 1; the two statistical
 * checks (respond's odds, a media pulse) compare a binomial count with its
 * exact expectation and pass within 4 standard errors (WG_TEST_Z_TOL), with
 * a fixed seed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/job.h"
#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/rng.h"
#include "waggle/scenario.h"
#include "wg_test.h"

/* ---- graphs ------------------------------------------------------------------------ */

/* A clique on 0..3 (degree 3, core 3) and a star with hub 4 and leaves 5..10
 * (hub degree 6, core 1): degree and k-core disagree. */
static wg_graph *clique_and_star(void)
{
    uint32_t src[12], dst[12], e = 0;
    for (uint32_t i = 0; i < 4; i++)
        for (uint32_t j = i + 1; j < 4; j++) src[e] = i, dst[e] = j, e++;
    for (uint32_t j = 5; j <= 10; j++) src[e] = 4, dst[e] = j, e++;
    return wg_test_graph(11, e, src, dst, 0);
}

/* ---- a scenario's timeline on a graph (wg_test_fx) --------------------------------- */

static wg_status fx_try(wg_test_fx *f, wg_graph *g, const char *body, wg_diag *d)
{
    return wg_test_fx_try(f, g, "ev.yaml", 11, body, 2, d);
}

static void fx_open(wg_test_fx *f, wg_graph *g, const char *body)
{
    wg_test_fx_open(f, g, "ev.yaml", 11, body, 2);
}

static void assert_row(const wg_test_fx *f, uint32_t t, uint32_t unaware, uint32_t adv,
                       uint32_t cri, uint32_t sup, uint32_t rej, uint32_t imm)
{
    const uint32_t *r = wg_test_fx_row(f, t);
    const uint32_t want[6] = {unaware, adv, cri, sup, rej, imm};
    for (int k = 0; k < 6; k++) {
        if (r[k] != want[k])
            print_error("step %u: %s is %u, expected %u\n", t, wg_state_name((wg_state)k), r[k],
                        want[k]);
        assert_int_equal(r[k], want[k]);
    }
}

#define QUIET_MODEL "model: {share: 0, quit: 0}\n"
#define LOUD_MODEL "model: {share: 1, quit: 0}\n"

/* ---- respond --------------------------------------------------------------------- */

/* A star whose hub and nine leaves are critics, nobody shares: respond with
 * win 1 turns exactly 4 critics into supporters at its step; respond by
 * degree reaches the hub first (unless it already was won). */
static void test_respond_star(void **state)
{
    (void)state;
    wg_test_fx f;
    fx_open(&f, wg_test_star(20),
            "steps: 4\n" QUIET_MODEL
            "events:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}}\n"
            "  - {step: 1, respond: {count: 4, by: random, win: 1, calm: 0}}\n"
            "  - {step: 3, respond: {count: 1, by: degree, win: 0, calm: 1}}\n");
    int hub_won = 0, hub_calmed = 0;
    for (uint32_t run = 0; run < 30; run++) {
        wg_test_fx_run(&f, run);
        assert_row(&f, 0, 11, 0, 10, 0, 0, 0);
        assert_row(&f, 1, 11, 0, 6, 4, 0, 0);
        assert_row(&f, 2, 11, 0, 6, 4, 0, 0);
        assert_row(&f, 3, 11, 0, 5, 4, 1, 0);
        assert_true(f.state[0] == WG_SUPPORTER || f.state[0] == WG_REJECTER);
        hub_won += f.state[0] == WG_SUPPORTER;
        hub_calmed += f.state[0] == WG_REJECTER;
        for (uint32_t a = 10; a <= 20; a++) assert_int_equal(f.state[a], WG_UNAWARE);
    }
    /* random picks differ between runs: the hub is among the 4 of 10 sometimes */
    print_message("  hub won at step 1 in %d of 30 runs, calmed at step 3 in %d\n", hub_won,
                  hub_calmed);
    assert_true(hub_won > 0 && hub_calmed > 0);
    wg_test_fx_close(&f);
}

/* Respond reaches critics only, and each becomes a supporter with
 * probability win, a rejecter with probability calm. 3000 critics among
 * 4000 agents without edges. */
static void test_respond_odds(void **state)
{
    (void)state;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(4000, 0, NULL, NULL, 0),
            "steps: 3\n" QUIET_MODEL
            "events:\n"
            "  - {step: 0, seed: {valence: negative, count: 3000, by: random}}\n"
            "  - {step: 1, respond: {count: 4000, by: random, win: 0.3, calm: 0.5}}\n"
            "  - {step: 2, respond: {count: 4000, by: degree, win: 1, calm: 0}}\n");
    wg_test_fx_run(&f, 0);
    const uint32_t *r1 = wg_test_fx_row(&f, 1);
    assert_int_equal(r1[WG_C_UNAWARE], 1000);
    assert_int_equal(r1[WG_C_ADVOCATES], 0);
    assert_int_equal(r1[WG_C_CRITICS] + r1[WG_C_SUPPORTERS] + r1[WG_C_REJECTERS], 3000);
    wg_test_check_binomial("respond win 0.3: supporters of 3000 critics", r1[WG_C_SUPPORTERS],
                           3000, 0.3);
    wg_test_check_binomial("respond calm 0.5: rejecters of 3000 critics", r1[WG_C_REJECTERS],
                           3000, 0.5);
    /* step 2: every remaining critic is won; rejecters stay rejecters */
    assert_row(&f, 2, 1000, 0, 0, r1[WG_C_SUPPORTERS] + r1[WG_C_CRITICS], r1[WG_C_REJECTERS], 0);
    wg_test_fx_close(&f);
}

/* ---- block ----------------------------------------------------------------------- */

/* On 0 -> 1 -> ... -> 9 with share 1, agent t+1 hears at step t. Blocking
 * agent 3 at step 2 (still unaware) stops the word at 2; blocking agent 2
 * at step 2 (talking since step 1) silences it. */
static void test_block(void **state)
{
    (void)state;
    wg_test_fx f;
    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\n" LOUD_MODEL
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: id, ids: [0]}}\n"
            "  - {step: 2, block: {by: id, ids: [3]}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 0, 8, 2, 0, 0, 0, 0);
    assert_row(&f, 1, 7, 3, 0, 0, 0, 0);
    for (uint32_t t = 2; t < 12; t++) assert_row(&f, t, 6, 3, 0, 0, 0, 1);
    assert_int_equal(f.state[3], WG_IMMUNE);
    wg_test_fx_close(&f);

    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\n" LOUD_MODEL
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: id, ids: [0]}}\n"
            "  - {step: 2, block: {by: id, ids: [2]}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 1, 7, 3, 0, 0, 0, 0);
    for (uint32_t t = 2; t < 12; t++) assert_row(&f, t, 7, 2, 0, 0, 0, 1);
    wg_test_fx_close(&f);

    /* several events at one step apply in the file's order: a seed then a
     * block leaves an immune agent; a block then a seed cannot seed it */
    fx_open(&f, wg_test_star(5),
            "steps: 3\n" LOUD_MODEL
            "events:\n"
            "  - {step: 1, seed: {valence: negative, by: id, ids: [0]}}\n"
            "  - {step: 1, block: {by: id, ids: [0]}}\n"
            "  - {step: 2, block: {by: id, ids: [1]}}\n"
            "  - {step: 2, seed: {valence: negative, by: id, ids: [1]}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 1, 5, 0, 0, 0, 0, 1);
    assert_row(&f, 2, 4, 0, 0, 0, 0, 2);
    wg_test_fx_close(&f);
}

/* ---- set and scale ----------------------------------------------------------------- */

static const char ba_model[] =
    "steps: 25\n"
    "model: {share: {positive: 0.12, negative: 0.15}, quit: 0.25, quality: 0.9}\n";
static const char ba_events[] =
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
    "  - {step: 0, seed: {valence: positive, count: 3, by: random}}\n";

static wg_graph *ba_graph(void)
{
    static const char text[] = "name: g\nseed: 5\n"
                               "network: {generate: barabasi-albert, nodes: 600, edges_per_node: 3}\n";
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_parse(text, strlen(text), "g.yaml", NULL, NULL, 0, &s, &d), WG_OK);
    assert_int_equal(wg_graph_build(&s->net, s->seed, &g, &d), WG_OK);
    wg_scenario_free(s);
    wg_diag_free(&d);
    return g;
}

static uint32_t *run_all(const char *body, uint32_t runs, uint32_t *steps)
{
    wg_test_fx f;
    fx_open(&f, ba_graph(), body);
    *steps = f.s->steps;
    uint32_t *c = calloc((size_t)runs * f.s->steps * WG_NCOUNTS, sizeof *c);
    uint32_t *sr = calloc(runs, sizeof *sr);
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_engine_run(f.e, 0, runs, c, sr, NULL, NULL, NULL, &d), WG_OK);
    wg_diag_free(&d);
    free(sr);
    wg_test_fx_close(&f);
    return c;
}

/* A change at step t leaves steps 0 .. t-1 byte for byte as they were, in
 * every run; from t on, set share.positive 0 stops every new advocate. */
static void test_set_scale_from_their_step(void **state)
{
    (void)state;
    const uint32_t runs = 40, t0 = 8;
    char body[2048];
    uint32_t steps;
    snprintf(body, sizeof body, "%s%s", ba_model, ba_events);
    uint32_t *base = run_all(body, runs, &steps);
    const char *changes[] = {
        "  - {step: 8, scale: {key: share.negative, factor: 0.5}}\n",
        "  - {step: 8, set: {share.positive: 0}}\n",
    };
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body, "%s%s%s", ba_model, ba_events, changes[k]);
        uint32_t *c = run_all(body, runs, &steps);
        const size_t per_run = (size_t)steps * WG_NCOUNTS, before = (size_t)t0 * WG_NCOUNTS;
        int differs = 0;
        for (uint32_t r = 0; r < runs; r++) {
            assert_memory_equal(base + r * per_run, c + r * per_run, before * sizeof *c);
            differs |= memcmp(base + r * per_run + before, c + r * per_run + before,
                              (per_run - before) * sizeof *c) != 0;
            if (k == 1)
                for (uint32_t t = t0; t < steps; t++)
                    assert_int_equal(c[r * per_run + (size_t)t * WG_NCOUNTS + WG_C_NEW_POS], 0);
        }
        print_message("  %s: steps 0-7 identical in %u runs; later steps differ: %s\n",
                      k ? "set share.positive 0 at step 8" : "scale share.negative 0.5 at step 8",
                      runs, differs ? "yes" : "no");
        assert_true(differs);
        free(c);
    }
    free(base);
}

/* set/scale on a segment only, and a global change against a segment's own
 * value, on 0 -> 1 -> ... -> 9 with share 1. */
static void test_set_segment(void **state)
{
    (void)state;
    wg_test_fx f;
    /* muting agent 2's segment stops the word after 2 */
    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\n" LOUD_MODEL
            "segments: [{name: mute, pick: {by: id, ids: [2]}}]\n"
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: id, ids: [0]}}\n"
            "  - {step: 0, set: {key: share.positive, value: 0, segment: mute}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 11, 7, 3, 0, 0, 0, 0);
    wg_test_fx_close(&f);

    /* a global set does not reach a segment that sets the parameter itself */
    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\n" LOUD_MODEL
            "segments: [{name: loud, pick: {by: id, ids: [0, 1, 2, 3]}, share: {positive: 1}}]\n"
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: id, ids: [0]}}\n"
            "  - {step: 0, set: {share.positive: 0}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 11, 5, 5, 0, 0, 0, 0);
    wg_test_fx_close(&f);

    /* a global scale scales every segment's own value too */
    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\n" LOUD_MODEL
            "segments: [{name: loud, pick: {by: id, ids: [0, 1, 2, 3]}, share: {positive: 1}}]\n"
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: id, ids: [0]}}\n"
            "  - {step: 0, scale: {share.positive: 0}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 11, 9, 1, 0, 0, 0, 0);
    wg_test_fx_close(&f);

    /* scale on a segment leaves the others alone */
    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\n" LOUD_MODEL
            "segments: [{name: late, pick: {by: id, ids: [6]}}]\n"
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: id, ids: [0]}}\n"
            "  - {step: 0, scale: {key: share.positive, factor: 0, segment: late}}\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 11, 3, 7, 0, 0, 0, 0);
    wg_test_fx_close(&f);
}

/* ---- media ------------------------------------------------------------------------- */

/* A pulse of amplitude 0.1 and decay 0.5 at step 2 on 20000 agents without
 * edges: nothing before step 2; by the end of step t the reached share is
 * 1 - prod_{s=2..t} (1 - 0.1 × 0.5^(s-2)). */
static void test_media_pulse(void **state)
{
    (void)state;
    const uint32_t n = 20000;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(n, 0, NULL, NULL, 0),
            "steps: 8\n" QUIET_MODEL
            "events: [{step: 2, media: {valence: positive, amplitude: 0.1, decay: 0.5}}]\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 0, n, 0, 0, 0, 0, 0);
    assert_row(&f, 1, n, 0, 0, 0, 0, 0);
    double unreached = 1.0;
    for (uint32_t t = 2; t < 8; t++) {
        unreached *= 1.0 - 0.1 * pow(0.5, t - 2);
        const uint32_t *r = wg_test_fx_row(&f, t);
        char what[64];
        snprintf(what, sizeof what, "media pulse: reached by the end of step %u", t);
        assert_int_equal(r[WG_C_CRITICS], 0);
        wg_test_check_binomial(what, r[WG_C_ADVOCATES], n, 1.0 - unreached);
    }
    wg_test_fx_close(&f);
}

/* A power-law pulse (amplitude 0.2, power 1.5, scale 2) at step 1 on 20000
 * agents without edges: by the end of step t the reached share is 1 -
 * prod_{s=1..t} (1 - 0.2 (1 + (s - 1) / 2)^-1.5); every reach is a media hit,
 * so the step's exposures equal its new agents; the pulse never ends, so the
 * run goes on to its last step (the expected new agents of step 39 are about
 * 20000 × 0.2 × 20^-1.5 × 0.4 > 10). */
static void test_media_power_pulse(void **state)
{
    (void)state;
    const uint32_t n = 20000, steps = 40;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(n, 0, NULL, NULL, 0),
            "steps: 40\n" QUIET_MODEL
            "events: [{step: 1, media: {valence: negative, amplitude: 0.2, power: 1.5, scale: 2}}]\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 0, n, 0, 0, 0, 0, 0);
    double unreached = 1.0;
    for (uint32_t t = 1; t < steps; t++) {
        unreached *= 1.0 - 0.2 * pow(1.0 + (t - 1) / 2.0, -1.5);
        const uint32_t *r = wg_test_fx_row(&f, t);
        char what[64];
        snprintf(what, sizeof what, "power-law pulse: reached by the end of step %u", t);
        assert_int_equal(r[WG_C_ADVOCATES], 0);
        assert_int_equal(r[WG_C_EXPOSURES_NEG], r[WG_C_NEW_NEG]);
        assert_int_equal(r[WG_C_FROM_OF(WG_SRC_MEDIA, WG_NEG)], r[WG_C_CRITICS]);
        if (t % 6 == 1 || t == steps - 1)
            wg_test_check_binomial(what, r[WG_C_CRITICS], n, 1.0 - unreached);
    }
    assert_true(wg_test_fx_row(&f, steps - 1)[WG_C_NEW_NEG] > 0);
    wg_test_fx_close(&f);
}

/* ---- seeds: every kind of pick ------------------------------------------------------ */

static int count_state(const wg_test_fx *f, uint8_t s)
{
    int k = 0;
    for (uint32_t a = 0; a < f->g->n; a++) k += f->state[a] == s;
    return k;
}

static void test_seed_ranked(void **state)
{
    (void)state;
    wg_test_fx f;
    /* by degree: the star's hub; by k-core: the clique; top 0.1 of 11 agents: one */
    fx_open(&f, clique_and_star(),
            "steps: 1\n" QUIET_MODEL
            "events:\n"
            "  - {step: 0, seed: {valence: positive, count: 1, by: degree}}\n"
            "  - {step: 0, seed: {valence: negative, count: 4, by: kcore}}\n");
    wg_test_fx_run(&f, 0);
    assert_int_equal(f.state[4], WG_ADVOCATE);
    for (uint32_t a = 0; a < 4; a++) assert_int_equal(f.state[a], WG_CRITIC);
    assert_int_equal(count_state(&f, WG_ADVOCATE) + count_state(&f, WG_CRITIC), 5);
    wg_test_fx_close(&f);

    fx_open(&f, clique_and_star(),
            "steps: 1\n" QUIET_MODEL
            "events: [{step: 0, seed: {valence: positive, top: 0.1, by: degree}}]\n");
    wg_test_fx_run(&f, 0);
    assert_int_equal(f.state[4], WG_ADVOCATE);
    assert_int_equal(count_state(&f, WG_ADVOCATE), 1);
    wg_test_fx_close(&f);

    /* PageRank against out-degree: 9 -> 1..8 -> 0. Agent 0 collects every
     * path (highest PageRank, out-degree 0); agent 9 has out-degree 8. */
    uint32_t src[16], dst[16];
    for (uint32_t i = 0; i < 8; i++) {
        src[i] = 9, dst[i] = i + 1;
        src[8 + i] = i + 1, dst[8 + i] = 0;
    }
    fx_open(&f, wg_test_graph(10, 16, src, dst, 1),
            "steps: 1\n" QUIET_MODEL
            "events:\n"
            "  - {step: 0, seed: {valence: positive, count: 1, by: pagerank}}\n"
            "  - {step: 0, seed: {valence: negative, count: 1, by: degree}}\n");
    wg_test_fx_run(&f, 0);
    assert_int_equal(f.state[0], WG_ADVOCATE);
    assert_int_equal(f.state[9], WG_CRITIC);
    assert_int_equal(count_state(&f, WG_UNAWARE), 8);
    wg_test_fx_close(&f);
}

/* Ties among equal scores are broken by a draw keyed to the seed and the
 * agent, the same in every run: on a star, by degree, count 3 takes the hub
 * and the two leaves with the smallest tie keys. */
static void test_seed_ties(void **state)
{
    (void)state;
    for (uint64_t seed = 11; seed <= 12; seed++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "name: ties\nseed: %llu\nnetwork: {generate: ring, nodes: 3}\nsteps: 1\n"
                 QUIET_MODEL "events: [{step: 0, seed: {valence: positive, count: 3, by: degree}}]\n",
                 (unsigned long long)seed);
        wg_diag d;
        wg_diag_init(&d);
        wg_scenario *s = NULL;
        assert_int_equal(wg_scenario_parse(text, strlen(text), "ties.yaml", NULL, NULL, 0, &s, &d),
                         WG_OK);
        wg_graph *g = wg_test_star(12);
        wg_sim sim;
        wg_job_sim_of(s, g, &sim);
        uint32_t first = 0, second = 0, k1 = UINT32_MAX, k2 = UINT32_MAX;
        for (uint32_t a = 1; a <= 12; a++) {
            uint32_t key = wg_rng(seed, UINT32_MAX, 0, WG_R_TIE, a).v[0];
            if (key < k1) k2 = k1, second = first, k1 = key, first = a;
            else if (key < k2) k2 = key, second = a;
        }
        uint8_t st[13];
        uint32_t counts[WG_NCOUNTS];
        for (int threads = 1; threads <= 2; threads++) {
            wg_engine *e = NULL;
            assert_int_equal(wg_engine_new(&sim, threads, &e, &d), WG_OK);
            for (uint32_t run = 0; run < 5; run++) {
                assert_int_equal(wg_engine_run_states(e, run, st, counts, &d), WG_OK);
                assert_int_equal(st[0], WG_ADVOCATE);
                for (uint32_t a = 1; a <= 12; a++)
                    assert_int_equal(st[a], a == first || a == second ? WG_ADVOCATE : WG_UNAWARE);
            }
            wg_engine_free(e);
        }
        print_message("  seed %llu: ties among 12 leaves go to leaves %u and %u\n",
                      (unsigned long long)seed, first, second);
        wg_graph_free(g);
        wg_scenario_free(s);
        wg_diag_free(&d);
    }
}

static void test_seed_random_id_segment_attribute(void **state)
{
    (void)state;
    wg_test_fx f;
    /* random: exactly k, the same in a run whenever it is run, different across runs */
    fx_open(&f, wg_test_graph(50, 0, NULL, NULL, 0),
            "steps: 1\n" QUIET_MODEL
            "segments: [{name: fans, pick: {by: id, ids: [5, 6, 7]}}]\n"
            "events:\n"
            "  - {step: 0, seed: {valence: positive, count: 3, by: random}}\n"
            "  - {step: 0, seed: {valence: negative, count: 2, by: segment, segment: fans}}\n");
    uint8_t first[50];
    int differ = 0, pairs[8] = {0};
    for (uint32_t run = 0; run < 30; run++) {
        wg_test_fx_run(&f, run);
        /* the segment's seed comes second and may turn a random advocate */
        int adv = count_state(&f, WG_ADVOCATE);
        assert_true(adv >= 1 && adv <= 3);
        int mask = 0, critics = 0;
        for (uint32_t a = 0; a < 50; a++) {
            if (f.state[a] != WG_CRITIC) continue;
            critics++;
            /* a seed from the segment picks its members only */
            assert_true(a >= 5 && a <= 7);
            mask |= 1 << (a - 5);
        }
        assert_int_equal(critics, 2);
        pairs[mask]++;
        if (run == 0) memcpy(first, f.state, 50);
        else differ |= memcmp(first, f.state, 50) != 0;
    }
    wg_test_fx_run(&f, 0);
    assert_memory_equal(first, f.state, 50);
    assert_true(differ);
    print_message("  pairs of the 3 fans picked in 30 runs: {5,6} %d, {5,7} %d, {6,7} %d\n",
                  pairs[3], pairs[5], pairs[6]);
    assert_true(pairs[3] && pairs[5] && pairs[6]);
    wg_test_fx_close(&f);

    /* id: the ids of the network file (labels), not the agents' indices */
    wg_graph *g = wg_test_graph(6, 0, NULL, NULL, 0);
    g->label = malloc(6 * sizeof *g->label);
    for (uint32_t a = 0; a < 6; a++) g->label[a] = 100 + 10 * a;
    fx_open(&f, g,
            "steps: 1\n" QUIET_MODEL
            "events: [{step: 0, seed: {valence: negative, by: id, ids: [130, 100]}}]\n");
    wg_test_fx_run(&f, 0);
    for (uint32_t a = 0; a < 6; a++)
        assert_int_equal(f.state[a], a == 0 || a == 3 ? WG_CRITIC : WG_UNAWARE);
    wg_test_fx_close(&f);

    /* attribute: every agent whose node attribute has the value */
    g = wg_test_graph(5, 0, NULL, NULL, 0);
    static const char *const city[5] = {"Lyon", "Paris", "Lyon", NULL, "Nice"};
    g->nattrs = 1;
    g->attr_names = malloc(sizeof *g->attr_names);
    g->attr_names[0] = strdup("city");
    g->attr_values = malloc(sizeof *g->attr_values);
    g->attr_values[0] = calloc(5, sizeof(char *));
    for (uint32_t a = 0; a < 5; a++) g->attr_values[0][a] = city[a] ? strdup(city[a]) : NULL;
    fx_open(&f, g,
            "steps: 1\n" QUIET_MODEL
            "segments: [{name: lyon, pick: {by: attribute, attribute: city, value: Lyon}}]\n"
            "events:\n"
            "  - {step: 0, seed: {valence: positive, by: attribute, attribute: city, value: Nice}}\n"
            "  - {step: 0, seed: {valence: negative, count: 2, by: segment, segment: lyon}}\n");
    wg_test_fx_run(&f, 0);
    static const uint8_t want[5] = {WG_CRITIC, WG_UNAWARE, WG_CRITIC, WG_UNAWARE, WG_ADVOCATE};
    assert_memory_equal(f.state, want, 5);
    wg_test_fx_close(&f);
}

/* ---- segments ---------------------------------------------------------------------- */

static void test_segments(void **state)
{
    (void)state;
    wg_test_fx f;
    /* susceptibility: the hub tells every leaf but those of `deaf`; agent 3
     * is in both segments and takes the later one's value */
    fx_open(&f, wg_test_star(6),
            "steps: 2\n" LOUD_MODEL
            "segments:\n"
            "  - {name: deaf, pick: {by: id, ids: [1, 2, 3]}, susceptibility: 0}\n"
            "  - {name: heard, pick: {by: id, ids: [3, 4]}, susceptibility: 1}\n"
            "events: [{step: 0, seed: {valence: positive, by: id, ids: [0]}}]\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 0, 2, 5, 0, 0, 0, 0);
    assert_int_equal(f.state[1], WG_UNAWARE);
    assert_int_equal(f.state[2], WG_UNAWARE);
    assert_int_equal(f.state[3], WG_ADVOCATE);
    wg_test_fx_close(&f);

    /* activity: share 0.5 × activity 2 makes every contact certain */
    fx_open(&f, wg_test_path(10, 1),
            "steps: 12\nmodel: {share: 0.5, quit: 0}\n"
            "segments: [{name: eager, pick: {by: random, fraction: 1}, activity: 2}]\n"
            "events: [{step: 0, seed: {valence: positive, by: id, ids: [0]}}]\n");
    for (uint32_t run = 0; run < 5; run++) {
        wg_test_fx_run(&f, run);
        for (uint32_t t = 0; t < 12; t++)
            assert_int_equal(wg_test_fx_row(&f, t)[WG_C_ADVOCATES], t < 9 ? t + 2 : 10);
    }
    wg_test_fx_close(&f);

    /* a model parameter per segment: `brief` talks one step; the later
     * segment wins for agent 5, which keeps talking */
    fx_open(&f, wg_test_star(6),
            "steps: 2\n" LOUD_MODEL
            "segments:\n"
            "  - {name: brief, pick: {by: id, ids: [0, 5]}, quit: {positive: 1}}\n"
            "  - {name: keen, pick: {by: id, ids: [5]}, quit: {positive: 0}}\n"
            "events: [{step: 0, seed: {valence: positive, by: id, ids: [0]}}]\n");
    wg_test_fx_run(&f, 0);
    assert_row(&f, 0, 0, 6, 0, 1, 0, 0);
    assert_int_equal(f.state[0], WG_SUPPORTER);
    assert_int_equal(f.state[5], WG_ADVOCATE);
    wg_test_fx_close(&f);
}

/* ---- errors that need the network ---------------------------------------------------- */

static void expect_error(wg_graph *g, const char *body, const char *needle)
{
    wg_test_fx f;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(fx_try(&f, g, body, &d), WG_EINPUT);
    const char *msg = wg_diag_first(&d);
    print_message("  %s\n", msg);
    if (!strstr(msg, needle)) print_error("expected \"%s\" in the message\n", needle);
    assert_non_null(strstr(msg, needle));
    wg_test_fx_close(&f);
    wg_diag_free(&d);
}

static void test_network_errors(void **state)
{
    (void)state;
    /* the header of fx_try is 3 lines: the body starts at line 4 */
    expect_error(wg_test_star(4),
                 "steps: 2\nevents:\n  - {step: 0, seed: {valence: positive, count: 9, by: random}}\n",
                 "ev.yaml:6:48: events.0.seed.count: count 9 is larger than the 5 agents");
    expect_error(wg_test_star(4),
                 "steps: 2\nevents:\n  - {step: 1, respond: {count: 6, by: degree, win: 1, calm: 0}}\n",
                 "ev.yaml:6:32: events.0.respond.count: count 6 is larger than the 5 agents");
    expect_error(wg_test_star(4),
                 "steps: 2\nsegments: [{name: a, pick: {by: degree, count: 50}}]\n",
                 "ev.yaml:5:48: segments.0.pick.count: count 50 is larger than the 5 agents");
    expect_error(wg_test_star(4),
                 "steps: 2\nevents:\n  - {step: 0, block: {by: id, ids: [1, 17]}}\n",
                 "ev.yaml:6:36: events.0.block.ids: id 17 is not in the network");
    expect_error(wg_test_star(4),
                 "steps: 2\nsegments:\n  - {name: a, pick: {by: attribute, attribute: city, value: x}}\n",
                 "ev.yaml:6:48: segments.0.pick.attribute: the network has no node attribute 'city'");
    expect_error(wg_test_star(4),
                 "steps: 2\nsegments: [{name: a, pick: {by: id, ids: [1, 2]}}]\n"
                 "events:\n  - {step: 0, seed: {valence: positive, count: 3, by: segment, segment: a}}\n",
                 "ev.yaml:7:48: events.0.seed.count: count 3 is larger than the 2 agents of segment 'a'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_respond_star),
        cmocka_unit_test(test_respond_odds),
        cmocka_unit_test(test_block),
        cmocka_unit_test(test_set_scale_from_their_step),
        cmocka_unit_test(test_set_segment),
        cmocka_unit_test(test_media_pulse),
        cmocka_unit_test(test_media_power_pulse),
        cmocka_unit_test(test_seed_ranked),
        cmocka_unit_test(test_seed_ties),
        cmocka_unit_test(test_seed_random_id_segment_attribute),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_network_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
