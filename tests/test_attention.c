/*
 * test_attention.c — recommendation and rekindling inside the engine
 * (sim/engine/attention.c and the hits engine.c draws for them, DESIGN.md
 * "Attention: slow decay and recommendation"), on graphs whose every count
 * has a known law.
 *
 * The statistical checks compare a binomial count (or a sum of independent
 * Bernoulli draws) with its exact expectation given the counts of the step
 * before, and pass within 4 standard errors (WG_TEST_Z_TOL), with a fixed
 * seed: a correct engine fails one such check with probability about 6e-5.
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
#include "waggle/job.h"
#include "waggle/scenario.h"
#include "wg_test.h"

/* A scenario (body after the name, seed and network lines) run on graph g. */
static void fx_open(wg_test_fx *f, wg_graph *g, const char *body, int threads)
{
    wg_test_fx_open(f, g, "at.yaml", 5, body, threads);
}

/* ---- recommendation -------------------------------------------------------------- */

/* No edges, 400 of 20000 agents seeded positive at step 0, recommend.positive
 * 0.5 with memory (1 + u)^-1 (power 1, scale 1): at step t the unaware are hit
 * with p(t) = 0.5 A(t) / 20000, A(t) = sum_{s<t} new(s) / (t - s), new(0) = 400
 * (the seeds). Given the counts of the steps before, new(t) is binomial. Every
 * reach after the seeds is the recommendation's, and each hit one exposure. */
static void test_recommend_power_memory(void **state)
{
    (void)state;
    const uint32_t n = 20000, seeds = 400, steps = 12;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(n, 0, NULL, NULL, 0),
            "steps: 12\nmodel: {share: 0, quit: 0, recommend: {positive: 0.5, memory: {power: 1, "
            "scale: 1}}}\nevents: [{step: 0, seed: {valence: positive, count: 400}}]\n",
            2);
    wg_test_fx_run(&f, 0);
    double fresh[12];
    fresh[0] = seeds;
    assert_int_equal(wg_test_fx_row(&f, 0)[WG_C_ADVOCATES], seeds);
    for (uint32_t t = 1; t < steps; t++) {
        const uint32_t *r = wg_test_fx_row(&f, t), *prev = wg_test_fx_row(&f, t - 1);
        double a = 0;
        for (uint32_t s = 0; s < t; s++) a += fresh[s] / (double)(t - s);
        char what[80];
        snprintf(what, sizeof what, "recommendation (1+u)^-1: new at step %u", t);
        wg_test_check_binomial(what, r[WG_C_NEW_POS], prev[WG_C_UNAWARE], 0.5 * a / n);
        fresh[t] = r[WG_C_NEW_POS];
        assert_int_equal(r[WG_C_EXPOSURES_POS], r[WG_C_NEW_POS]);
        assert_int_equal(r[WG_C_FROM_OF(WG_SRC_RECOMMEND, WG_POS)], r[WG_C_ADVOCATES] - seeds);
        assert_int_equal(r[WG_C_FROM_OF(WG_SRC_WORD_OF_MOUTH, WG_POS)], 0);
        assert_int_equal(r[WG_C_CRITICS] + r[WG_C_NEW_NEG], 0);
    }
    wg_test_fx_close(&f);
}

/* Media and recommendation together (exponential memory, decay 1: only the
 * last step's new agents count, here the seeds and step 0's media reach): an
 * unaware agent is hit at step 1 with probability 1 - (1 - m)(1 - p), p = r
 * new(0) / n; the reach of the step splits by source as the hits do (both:
 * one of the two at random), and every hit is an exposure. Summed over 40
 * runs of 20000 agents (sums of independent Bernoulli draws given step 0). */
static void test_recommend_with_media(void **state)
{
    (void)state;
    const uint32_t n = 20000, seeds = 1000, runs = 40;
    const double m = 0.02, r = 0.8;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(n, 0, NULL, NULL, 0),
            "steps: 3\nmodel: {share: 0, quit: 0, media: {negative: 0.02}, "
            "recommend: {negative: 0.8, memory: {decay: 1}}}\n"
            "events: [{step: 0, seed: {valence: negative, count: 1000}}]\n",
            1);
    double e[4] = {0}, v[4] = {0}, x[4] = {0}, e2 = 0, v2 = 0, x2 = 0;
    for (uint32_t run = 0; run < runs; run++) {
        wg_test_fx_run(&f, run);
        const uint32_t *r0 = wg_test_fx_row(&f, 0), *r1 = wg_test_fx_row(&f, 1),
                       *r2 = wg_test_fx_row(&f, 2);
        /* step 0: media only (nobody is new before it) */
        assert_int_equal(r0[WG_C_FROM_OF(WG_SRC_RECOMMEND, WG_NEG)], 0);
        assert_int_equal(r0[WG_C_EXPOSURES_NEG], r0[WG_C_NEW_NEG]);
        const double u = r0[WG_C_UNAWARE], p = r * (seeds + r0[WG_C_NEW_NEG]) / n;
        const double q[3] = {1 - (1 - m) * (1 - p), p * (1 - m) + p * m / 2,
                             m * (1 - p) + p * m / 2};
        for (int k = 0; k < 3; k++) {
            e[k] += u * q[k];
            v[k] += u * q[k] * (1 - q[k]);
        }
        e[3] += u * (m + p);
        v[3] += u * (m * (1 - m) + p * (1 - p));
        x[0] += r1[WG_C_NEW_NEG];
        x[1] += r1[WG_C_FROM_OF(WG_SRC_RECOMMEND, WG_NEG)];
        x[2] += r1[WG_C_FROM_OF(WG_SRC_MEDIA, WG_NEG)] - r0[WG_C_FROM_OF(WG_SRC_MEDIA, WG_NEG)];
        x[3] += r1[WG_C_EXPOSURES_NEG];
        /* step 2: decay 1, so p is r new(1) / n, nothing of step 0 */
        const double p2 = r * r1[WG_C_NEW_NEG] / n, h2 = 1 - (1 - m) * (1 - p2);
        e2 += r1[WG_C_UNAWARE] * h2;
        v2 += r1[WG_C_UNAWARE] * h2 * (1 - h2);
        x2 += r2[WG_C_NEW_NEG];
    }
    wg_test_check_count("media + recommendation: new at step 1", x[0], e[0], v[0]);
    wg_test_check_count("  of them by recommendation", x[1], e[1], v[1]);
    wg_test_check_count("  of them by media", x[2], e[2], v[2]);
    wg_test_check_count("  exposures at step 1", x[3], e[3], v[3]);
    wg_test_check_count("decay 1: new at step 2", x2, e2, v2);
    wg_test_fx_close(&f);
}

/* The counts do not depend on the number of threads (keyed draws), with
 * exposure independent and fractional; word of mouth and recommendation
 * both reach agents. */
static void test_recommend_threads(void **state)
{
    (void)state;
    for (int fr = 0; fr < 2; fr++) {
        char body[512];
        snprintf(body, sizeof body,
                 "steps: 30\nmodel: {share: 0.05, quit: 0.3, media: {positive: 0.001}, exposure: %s, "
                 "recommend: {positive: 0.3, negative: 0.6, memory: {power: 0.8, scale: 3}}}\n"
                 "events: [{step: 0, seed: {valence: negative, count: 200}}]\n",
                 fr ? "fractional" : "independent");
        /* above the engine's small-graph size (200000 agents): a lone run
         * then has both threads inside it */
        const uint32_t n = 210000, m = 2 * n;
        uint32_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
        assert_non_null(src);
        assert_non_null(dst);
        for (uint32_t i = 0; i < m; i++) src[i] = i % n, dst[i] = (uint32_t)((i * 7919ull + 13) % n);
        wg_test_fx a, b;
        fx_open(&a, wg_test_graph(n, m, src, dst, 1), body, 1);
        fx_open(&b, wg_test_graph(n, m, src, dst, 1), body, 2);
        free(src);
        free(dst);
        for (uint32_t run = 0; run < 3; run++) {
            wg_test_fx_run(&a, run);
            wg_test_fx_run(&b, run);
            assert_memory_equal(a.counts, b.counts, (size_t)30 * WG_NCOUNTS * sizeof *a.counts);
        }
        const uint32_t *last = wg_test_fx_row(&a, 29);
        assert_true(last[WG_C_FROM_OF(WG_SRC_RECOMMEND, WG_NEG)] > 0);
        assert_true(last[WG_C_FROM_OF(WG_SRC_WORD_OF_MOUTH, WG_NEG)] > 0);
        wg_test_fx_close(&a);
        wg_test_fx_close(&b);
    }
}

/* ---- rekindling ------------------------------------------------------------------ */

/* A star whose hub talks forever to its 2000 leaves (share 1, the hub's
 * segment quits 0); the leaves, seeded with the hub, talk at step 0 and go
 * quiet (quit 1). From step 1 each quiet leaf is contacted by the hub every
 * step and talks again with probability 0.3 (the next step only, quit 1):
 * given the step before, the leaves rekindled at step t are Binomial(quiet
 * leaves, 0.3), and the exposures of a step are the hub's 2000 contacts plus
 * one per talking leaf. No reach is counted again. */
static void test_rekindle_by_contact(void **state)
{
    (void)state;
    const uint32_t leaves = 2000, steps = 8;
    uint32_t *src = malloc(leaves * sizeof *src), *dst = malloc(leaves * sizeof *dst);
    assert_non_null(src);
    assert_non_null(dst);
    for (uint32_t i = 0; i < leaves; i++) src[i] = 0, dst[i] = i + 1;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(leaves + 1, leaves, src, dst, 0),
            "steps: 8\nmodel: {share: 1, quit: 1, rekindle: {positive: 0.3}}\n"
            "segments: [{name: hub, pick: {by: id, ids: [0]}, quit: 0}]\n"
            "events: [{step: 0, seed: {valence: positive, fraction: 1}}]\n",
            2);
    free(src);
    free(dst);
    wg_test_fx_run(&f, 0);
    const uint32_t *r0 = wg_test_fx_row(&f, 0);
    assert_int_equal(r0[WG_C_ADVOCATES], 1);
    assert_int_equal(r0[WG_C_SUPPORTERS], leaves);
    assert_int_equal(r0[WG_C_EXPOSURES_POS], 2 * leaves);   /* hub to leaves, leaves to hub */
    for (uint32_t t = 1; t < steps; t++) {
        const uint32_t *r = wg_test_fx_row(&f, t), *prev = wg_test_fx_row(&f, t - 1);
        char what[80];
        snprintf(what, sizeof what, "rekindled by the hub's contacts at step %u", t);
        wg_test_check_binomial(what, r[WG_C_ADVOCATES] - 1, prev[WG_C_SUPPORTERS], 0.3);
        assert_int_equal(r[WG_C_ADVOCATES] + r[WG_C_SUPPORTERS], leaves + 1);
        assert_int_equal(r[WG_C_EXPOSURES_POS], leaves + prev[WG_C_ADVOCATES] - 1);
        assert_int_equal(r[WG_C_NEW_POS], 0);
        assert_int_equal(r[WG_C_FROM_OF(WG_SRC_SEED, WG_POS)], leaves + 1);
    }
    wg_test_fx_close(&f);
}

/* Rekindling by media with a fixed talking time: every agent of an edgeless
 * graph is seeded at step 0 with D = 2 steps; a quiet agent is hit by media
 * (0.1) and then talks again (0.5) for another 2 steps. Agents are
 * independent, so the talkers of a step are Binomial(n, P(talking)), P from
 * the exact chain over (steps left, quiet); the exposures of a step are the
 * media hits of the quiet agents (no talk without edges): Binomial(quiet at
 * its start, 0.1). */
static void test_rekindle_by_media(void **state)
{
    (void)state;
    const uint32_t n = 20000, steps = 20, d = 2;
    const double m = 0.1, p = 0.5;
    wg_test_fx f;
    fx_open(&f, wg_test_graph(n, 0, NULL, NULL, 0),
            "steps: 20\nmodel: {share: 0, media: {negative: 0.1}, rekindle: {negative: 0.5}, "
            "duration: {negative: {fixed: 2}}}\n"
            "events: [{step: 0, seed: {valence: negative, fraction: 1}}]\n",
            2);
    wg_test_fx_run(&f, 0);
    double a[3] = {0, 0, 1}, q = 0;   /* a[j]: talking with j steps left at the start of a step */
    for (uint32_t t = 0; t < steps; t++) {
        const uint32_t *r = wg_test_fx_row(&f, t);
        const double na1 = a[2], na2 = q * m * p;
        q = a[1] + q * (1 - m * p);
        a[1] = na1;
        a[2] = na2;
        char what[80];
        snprintf(what, sizeof what, "talking (rekindled by media, D = %u) at the end of step %u",
                 d, t);
        wg_test_check_binomial(what, r[WG_C_CRITICS], n, a[1] + a[2]);
        if (t > 0) {
            const uint32_t *prev = wg_test_fx_row(&f, t - 1);
            wg_test_check_binomial("  media hits of the quiet (exposures)", r[WG_C_EXPOSURES_NEG],
                           prev[WG_C_REJECTERS], m);
        }
        assert_int_equal(r[WG_C_CRITICS] + r[WG_C_REJECTERS], n);
        assert_int_equal(r[WG_C_NEW_NEG], 0);
    }
    wg_test_fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recommend_power_memory),
        cmocka_unit_test(test_recommend_with_media),
        cmocka_unit_test(test_recommend_threads),
        cmocka_unit_test(test_rekindle_by_contact),
        cmocka_unit_test(test_rekindle_by_media),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
