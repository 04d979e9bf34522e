/*
 * test_threshold.c — exposure threshold (DESIGN.md, "Threshold contagion")
 * against answers computed here: the deterministic front of a cascade on a
 * ring lattice, the proportional choice between two valences that both
 * pass, per-agent thresholds drawn from their laws (uniform, truncated
 * normal), and the same bytes at any thread count.
 *
 * Statistical checks pass when |mean - exact| < 4 standard errors
 * (WG_TEST_Z_TOL), SE from the exact binomial standard deviation / sqrt(R),
 * with a fixed seed: a correct engine fails one with probability about 6e-5.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/rng.h"
#include "wg_test.h"

/* A ring of n agents, each linked to the k nearest on either side. */
static wg_graph *ring_lattice(uint32_t n, uint32_t k)
{
    uint32_t *src = malloc(sizeof(uint32_t) * n * k), *dst = malloc(sizeof(uint32_t) * n * k);
    uint64_t e = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 1; j <= k; j++) src[e] = i, dst[e] = (i + j) % n, e++;
    wg_graph *g = wg_test_graph(n, e, src, dst, 0);
    assert_non_null(g);
    free(src);
    free(dst);
    return g;
}

static void threshold_sim(wg_sim *sim, const wg_graph *g, uint32_t steps, uint64_t seed,
                          wg_thr_law pos, wg_thr_law neg)
{
    wg_test_sim(sim, g, steps, seed);
    sim->model.exposure = WG_EXPOSURE_THRESHOLD;
    sim->model.threshold[WG_POS] = pos;
    sim->model.threshold[WG_NEG] = neg;
}

/* A block of b >= k seeds on a ring lattice (k each side, degree 2k): the
 * agent j places beyond the block has k - j + 1 of its 2k neighbours in the
 * reach, so each step the front moves a = min(k, floor(k + 1 - 2 k theta))
 * agents on each side, and the block stays contiguous: the reach at the end
 * of step t is b + 2 a (t + 1), exactly, whatever the draws (quit 0.5
 * makes talkers quiet: quiet agents count as in the reach), while the two
 * fronts are at least 2k apart; then they meet and everyone is reached
 * (a >= 1), or nobody beyond the seeds is (a = 0). */
static void test_ring_front(void **state)
{
    (void)state;
    const struct { uint32_t k; double theta; uint32_t b; } cases[] = {
        {2, 0.25, 2}, {2, 0.5, 2}, {2, 0.51, 3}, {3, 1.0 / 3, 3}, {3, 0.3, 4}, {3, 0.5, 3},
        {3, 0.6, 5},
    };
    const uint32_t n = 61, steps = 40;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        wg_graph *g = ring_lattice(n, cases[i].k);
        wg_sim sim;
        const wg_thr_law law = {WG_THR_FIXED, cases[i].theta, 0};
        threshold_sim(&sim, g, steps, 7 + i, law, law);
        sim.model.p.v[WG_P_QUIT_POS] = 0.5;
        uint64_t ids[8];
        for (uint32_t j = 0; j < cases[i].b; j++) ids[j] = 10 + j;
        wg_event ev = wg_test_seed_ids(WG_POS, ids, cases[i].b);
        sim.events = &ev;
        sim.nevents = 1;
        uint32_t *c = wg_test_run(&sim, 3, 1);
        assert_non_null(c);
        const double k = cases[i].k;
        double af = floor(k + 1 - 2 * k * cases[i].theta + 1e-12);
        uint32_t a = af < 0 ? 0 : af > k ? cases[i].k : (uint32_t)af;
        for (uint32_t r = 0; r < 3; r++)
            for (uint32_t t = 0; t < steps; t++) {
                const uint32_t *x = wg_test_row(c, steps, r, t);
                const uint64_t before = cases[i].b + 2ull * a * t;   /* at the start of step t */
                /* exact while the two fronts are at least 2k apart (no agent
                 * hears both); then the gap closes, and all are reached */
                if (before + 2 * cases[i].k <= n)
                    assert_int_equal(x[WG_C_ADVOCATES] + x[WG_C_SUPPORTERS], before + 2 * a);
                assert_int_equal(x[WG_C_CRITICS] + x[WG_C_REJECTERS], 0);
            }
        const uint32_t *end = wg_test_row(c, steps, 0, steps - 1);
        assert_int_equal(end[WG_C_ADVOCATES] + end[WG_C_SUPPORTERS], a ? n : cases[i].b);
        print_message("  ring k %u theta %.3f: front %u a step\n", cases[i].k, cases[i].theta, a);
        free(c);
        wg_graph_free(g);
    }
}

/* Both valences pass: on a complete graph of n with p positive and q
 * negative seeds and thresholds below both shares, every unaware agent
 * adopts in step 0, positive with probability p / (p + q) (the two shares),
 * then an advocate with probability quality: the positive reach at step 0 is
 * p + Binomial(n - p - q, quality p / (p + q)). */
static void test_two_valences(void **state)
{
    (void)state;
    const uint32_t n = 50, runs = 4000, steps = 2;
    const double quality[] = {1.0, 0.6};
    wg_graph *g = wg_test_complete(n);
    for (int i = 0; i < 2; i++) {
        wg_sim sim;
        const wg_thr_law law = {WG_THR_FIXED, 0.02, 0};
        threshold_sim(&sim, g, steps, 31 + (uint64_t)i, law, law);
        sim.model.p.v[WG_P_QUALITY] = quality[i];
        uint64_t pos[2] = {0, 1}, neg[3] = {2, 3, 4};
        wg_event ev[2] = {wg_test_seed_ids(WG_POS, pos, 2), wg_test_seed_ids(WG_NEG, neg, 3)};
        sim.events = ev;
        sim.nevents = 2;
        uint32_t *c = wg_test_run(&sim, runs, 2);
        assert_non_null(c);
        double sum = 0;
        for (uint32_t r = 0; r < runs; r++) {
            const uint32_t *x = wg_test_row(c, steps, r, 0);
            assert_int_equal(x[WG_C_UNAWARE], 0);
            /* one exposure per passed threshold: both pass for everyone */
            assert_int_equal(x[WG_C_EXPOSURES_POS], n - 5);
            assert_int_equal(x[WG_C_EXPOSURES_NEG], n - 5);
            sum += x[WG_C_ADVOCATES] + x[WG_C_SUPPORTERS];
        }
        const double pr = quality[i] * 2.0 / 5.0, m = n - 5;
        wg_test_check_mean(quality[i] == 1 ? "two valences: positive reach"
                                           : "two valences, quality 0.6",
                           sum / runs, 2 + m * pr, sqrt(m * pr * (1 - pr)), runs);
        free(c);
    }
    wg_graph_free(g);
}

/* P(threshold <= s) of a law, computed here (the truncated normal's CDF). */
static double law_cdf(const wg_thr_law *l, double s)
{
    if (l->kind == WG_THR_UNIFORM) return s <= l->a ? 0 : s >= l->b ? 1 : (s - l->a) / (l->b - l->a);
    const double lo = gsl_cdf_gaussian_P(-l->a, l->b), hi = gsl_cdf_gaussian_P(1 - l->a, l->b);
    return (gsl_cdf_gaussian_P(s - l->a, l->b) - lo) / (hi - lo);
}

/* Per-agent thresholds: on a complete graph of n with m seeds, an unaware
 * agent sees the share s = m / (n - 1) in step 0 and adopts when its own
 * threshold is at most s: new at step 0 ~ Binomial(n - m, F(s)). */
static void test_agent_laws(void **state)
{
    (void)state;
    const uint32_t n = 200, m = 30, runs = 1500, steps = 1;
    const wg_thr_law laws[] = {
        {WG_THR_UNIFORM, 0.1, 0.3},
        {WG_THR_NORMAL, 0.15, 0.05},
        {WG_THR_NORMAL, 0.05, 0.2},   /* much of the law below 0: truncation matters */
    };
    wg_graph *g = wg_test_complete(n);
    uint64_t ids[30];
    for (uint32_t j = 0; j < m; j++) ids[j] = 3 * j;
    for (size_t i = 0; i < sizeof laws / sizeof *laws; i++) {
        wg_sim sim;
        const wg_thr_law never = {WG_THR_FIXED, 1, 0};
        threshold_sim(&sim, g, steps, 50 + i, laws[i], never);
        wg_event ev = wg_test_seed_ids(WG_POS, ids, m);
        sim.events = &ev;
        sim.nevents = 1;
        uint32_t *c = wg_test_run(&sim, runs, 1);
        assert_non_null(c);
        double sum = 0;
        for (uint32_t r = 0; r < runs; r++) sum += wg_test_row(c, steps, r, 0)[WG_C_NEW_POS];
        const double F = law_cdf(&laws[i], (double)m / (n - 1)), k = n - m;
        char what[64];
        snprintf(what, sizeof what, "%s law: new at step 0 (F = %.4f)",
                 laws[i].kind == WG_THR_UNIFORM ? "uniform" : "normal", F);
        wg_test_check_mean(what, sum / runs, k * F, sqrt(k * F * (1 - F)), runs);
        /* thresholds are drawn per run (keyed to the run): runs differ */
        int differ = 0;
        for (uint32_t r = 1; r < runs && !differ; r++)
            differ = wg_test_row(c, steps, r, 0)[WG_C_NEW_POS] != wg_test_row(c, steps, 0, 0)[WG_C_NEW_POS];
        assert_true(differ);
        free(c);
    }
    /* the quantile is the law's inverse CDF */
    for (size_t i = 0; i < sizeof laws / sizeof *laws; i++)
        for (double u = 0.05; u < 1; u += 0.1) {
            double x = wg_thr_law_quantile(&laws[i], u);
            assert_true(x >= 0 && x <= 1);
            assert_true(fabs(law_cdf(&laws[i], x) - u) < 1e-9);
        }
    wg_graph_free(g);
}

/* A threshold passed is one exposure, as is a media hit; media reaches
 * agents nobody around has reached: on a ring of isolated pairs... here a
 * ring lattice with thresholds of 1 (all neighbours needed), no seed and
 * media m: step 0's new are Binomial(n, m) exactly (nobody has a neighbour in
 * the reach at the start of step 0). */
static void test_media(void **state)
{
    (void)state;
    const uint32_t n = 300, runs = 2000, steps = 1;
    const double m = 0.07;
    wg_graph *g = ring_lattice(n, 2);
    wg_sim sim;
    const wg_thr_law law = {WG_THR_FIXED, 1, 0};
    threshold_sim(&sim, g, steps, 77, law, law);
    sim.model.p.v[WG_P_MEDIA_NEG] = m;
    uint32_t *c = wg_test_run(&sim, runs, 1);
    assert_non_null(c);
    double sum = 0;
    for (uint32_t r = 0; r < runs; r++) {
        const uint32_t *x = wg_test_row(c, steps, r, 0);
        assert_int_equal(x[WG_C_EXPOSURES_NEG], x[WG_C_NEW_NEG]);
        assert_int_equal(x[WG_C_FROM_OF(WG_SRC_MEDIA, WG_NEG)], x[WG_C_NEW_NEG]);
        sum += x[WG_C_NEW_NEG];
    }
    wg_test_check_mean("media only: new negative at step 0", sum / runs, n * m,
                       sqrt(n * m * (1 - m)), runs);
    free(c);
    wg_graph_free(g);
}

/* The same counts at 1, 2 and 8 threads: runs in parallel (small graph)
 * and threads inside a run (large graph), with per-agent thresholds, both
 * valences, media and quality < 1. */
static void same_at_any_thread_count(uint32_t n, uint64_t edges, uint32_t runs)
{
    wg_graph *g = wg_test_random_graph(n, edges, 99);
    assert_non_null(g);
    wg_sim sim;
    const wg_thr_law pos = {WG_THR_UNIFORM, 0.05, 0.4}, neg = {WG_THR_NORMAL, 0.2, 0.1};
    threshold_sim(&sim, g, 25, 2024, pos, neg);
    sim.model.p.v[WG_P_QUALITY] = 0.9;
    sim.model.p.v[WG_P_MEDIA_POS] = 0.0005;
    sim.model.p.v[WG_P_FORGET] = 0.05;
    uint64_t ids[4] = {1, 2, 3, 4};
    wg_event ev[2] = {wg_test_seed_ids(WG_POS, ids, 2), wg_test_seed_ids(WG_NEG, ids + 2, 2)};
    sim.events = ev;
    sim.nevents = 2;
    size_t len = (size_t)runs * sim.steps * WG_NCOUNTS * sizeof(uint32_t);
    uint32_t *c1 = wg_test_run(&sim, runs, 1), *c2 = wg_test_run(&sim, runs, 2), *c8 = wg_test_run(&sim, runs, 8);
    assert_memory_equal(c1, c2, len);
    assert_memory_equal(c1, c8, len);
    const uint32_t *last = wg_test_row(c1, sim.steps, 0, sim.steps - 1);
    assert_true(last[WG_C_UNAWARE] < n - 50);   /* something happened */
    free(c1), free(c2), free(c8);
    wg_graph_free(g);
}

static void test_threads(void **state)
{
    (void)state;
    same_at_any_thread_count(3000, 9000, 12);
    same_at_any_thread_count(300000, 900000, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_front),
        cmocka_unit_test(test_two_valences),
        cmocka_unit_test(test_agent_laws),
        cmocka_unit_test(test_media),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
