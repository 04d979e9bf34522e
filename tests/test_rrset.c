/*
 * test_rrset.c — reverse-reachable sets (waggle/rrset.h): the same sets on
 * any number of threads and however the indices are split between calls, on
 * graphs without weights (geometric gaps between live arcs) and with weights
 * (a coin per arc); and the law of the sets against exact answers.
 *
 * Statistical checks compare a mean over N sets (fixed seed) with its exact
 * expectation and pass when |mean - exact| < 4 standard errors, SE being the
 * exact standard deviation / sqrt(N): a correct sampler fails one with
 * probability about 6e-5, and the seed is fixed, so the outcome is
 * deterministic.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/graph.h"
#include "waggle/rng.h"
#include "waggle/rrset.h"

#define Z_TOL 4.0

static wg_graph *graph_of(uint32_t n, uint64_t e, const uint32_t *src, const uint32_t *dst,
                          const float *w, int directed)
{
    wg_graph *g = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_graph_from_edges(n, e, src, dst, w, directed, &g, NULL, NULL, &d), WG_OK);
    wg_diag_free(&d);
    return g;
}

static void sample(const wg_graph *g, double share, uint32_t hops, uint64_t first,
                   uint64_t count, int threads, wg_rrsets *r)
{
    wg_diag d;
    wg_diag_init(&d);
    wg_rr_model m = {g, share, hops, 77, 3};
    assert_int_equal(wg_rrsets_sample(&m, first, count, threads, r, &d), WG_OK);
    assert_int_equal(d.errors, 0);
    wg_diag_free(&d);
}

static void assert_same_sets(const wg_rrsets *a, const wg_rrsets *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->off, b->off, (a->n + 1) * sizeof *a->off);
    assert_memory_equal(a->node, b->node, a->off[a->n] * sizeof *a->node);
}

/* n agents, each tied to 3 earlier ones at random, and agent 0 to everyone (a
 * hub whose in-arcs span many gap words); weighted when w is given. */
static wg_graph *hub_graph(uint32_t n, int weighted)
{
    const uint64_t e = 4 * (uint64_t)n;
    uint32_t *src = malloc(e * sizeof *src), *dst = malloc(e * sizeof *dst);
    float *w = weighted ? malloc(e * sizeof *w) : NULL;
    uint64_t k = 0;
    for (uint32_t a = 1; a < n; a++) {
        wg_rand4 r = wg_rng(5, 0, 0, WG_R_USER, a);
        for (int j = 0; j < 3; j++) src[k] = a, dst[k++] = wg_below(r.v[j], a);
        src[k] = 0, dst[k++] = a;
    }
    for (uint64_t i = 0; w && i < k; i++) w[i] = 0.25f + (float)(i % 7) * 0.25f;
    wg_graph *g = graph_of(n, k, src, dst, w, 0);
    free(src);
    free(dst);
    free(w);
    return g;
}

/* Invariants 1 and 2 of rrset.c: the sets do not depend on the thread count
 * (1, 2, 3, and OpenMP's default) nor on how the indices are split between
 * calls; the chunks of 1024 sets are taken in any order by the threads. */
static void test_threads_and_splits(void **state)
{
    (void)state;
    for (int weighted = 0; weighted <= 1; weighted++) {
        wg_graph *g = hub_graph(3000, weighted);
        wg_rrsets one = {0}, other = {0};
        sample(g, 0.15, 6, 0, 3500, 1, &one);
        assert_int_equal(one.n, 3500);
        const int threads[] = {2, 3, 0};
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            wg_rrsets_clear(&other);
            sample(g, 0.15, 6, 0, 3500, threads[t], &other);
            assert_same_sets(&one, &other);
        }
        wg_rrsets_clear(&other);
        sample(g, 0.15, 6, 0, 1500, 2, &other);
        sample(g, 0.15, 6, 1500, 7, 2, &other);
        sample(g, 0.15, 6, 1507, 1993, 2, &other);
        assert_same_sets(&one, &other);
        /* every set starts with its root and holds no agent twice */
        uint8_t *in = calloc(g->n, 1);
        uint64_t big = 0;
        for (uint64_t j = 0; j < one.n; j++) {
            for (uint64_t x = one.off[j]; x < one.off[j + 1]; x++) {
                assert_true(one.node[x] < g->n);
                assert_int_equal(in[one.node[x]], 0);
                in[one.node[x]] = 1;
            }
            for (uint64_t x = one.off[j]; x < one.off[j + 1]; x++) in[one.node[x]] = 0;
            big += one.off[j + 1] - one.off[j] > 1;
        }
        assert_true(big > 100);   /* the search goes beyond the roots */
        free(in);
        wg_rrsets_free(&one);
        wg_rrsets_free(&other);
        wg_graph_free(g);
    }
}

/* L leaves -> C centres, every leaf to every centre (directed): a set rooted at
 * a centre holds it and each leaf independently with probability p, so its
 * size - 1 is Binomial(L, p) and each leaf appears in a share p of them; a set
 * rooted at a leaf is the leaf alone. Without weights the live arcs come from
 * geometric gaps; with weight 0.5 and share 2p, from a coin per arc. */
static void check_binomial(double share, int weighted, double p)
{
    enum { L = 400, C = 50, N = 30000 };
    uint32_t *src = malloc((size_t)L * C * sizeof *src), *dst = malloc((size_t)L * C * sizeof *dst);
    float *w = weighted ? malloc((size_t)L * C * sizeof *w) : NULL;
    for (uint32_t c = 0, k = 0; c < C; c++)
        for (uint32_t l = 0; l < L; l++, k++) {
            src[k] = l;
            dst[k] = L + c;
            if (w) w[k] = 0.5f;
        }
    wg_graph *g = graph_of(L + C, (uint64_t)L * C, src, dst, w, 1);
    wg_rrsets r = {0};
    sample(g, share, 3, 0, N, 2, &r);
    uint64_t sets = 0;
    double sum = 0, sum2 = 0;
    uint64_t *hits = calloc(L, sizeof *hits);
    for (uint64_t j = 0; j < r.n; j++) {
        const uint32_t root = r.node[r.off[j]];
        const double size = (double)(r.off[j + 1] - r.off[j]);
        if (root < L) {
            assert_true(size == 1);
            continue;
        }
        sets++;
        sum += size - 1;
        sum2 += (size - 1) * (size - 1);
        for (uint64_t x = r.off[j] + 1; x < r.off[j + 1]; x++) {
            assert_true(r.node[x] < L);
            hits[r.node[x]]++;
        }
    }
    assert_true(sets > 2000);
    const double mean = sum / sets, var = sum2 / sets - mean * mean;
    const double mu = L * p, sigma2 = L * p * (1 - p);
    print_message("share %g%s: %llu sets rooted at a centre, size - 1: mean %.3f (exact %.3f), "
                  "variance %.3f (exact %.3f)\n", share, weighted ? " x weight 0.5" : "",
                  (unsigned long long)sets, mean, mu, var, sigma2);
    assert_true(fabs(mean - mu) < Z_TOL * sqrt(sigma2 / sets));
    /* the variance of a sample variance of a binomial: about 2 sigma^4 / N */
    assert_true(fabs(var - sigma2) < Z_TOL * sqrt(2.0 / sets) * sigma2 + 1e-9);
    /* each leaf's share: a chi-square over the L leaves (L - 1 degrees of freedom,
     * mean L - 1, sd sqrt(2 (L - 1))); a bias by the leaf's place in the list
     * (the first or the last arcs of a row) would inflate it */
    double chi = 0;
    const double expect = sets * p;
    for (uint32_t l = 0; l < L; l++) chi += (hits[l] - expect) * (hits[l] - expect) / (expect * (1 - p));
    print_message("  leaves' shares: chi-square %.1f on %d degrees of freedom\n", chi, L - 1);
    assert_true(fabs(chi - (L - 1)) < Z_TOL * sqrt(2.0 * (L - 1)));
    free(hits);
    free(src);
    free(dst);
    free(w);
    wg_rrsets_free(&r);
    wg_graph_free(g);
}

static void test_binomial_law(void **state)
{
    (void)state;
    check_binomial(0.05, 0, 0.05);
    check_binomial(0.3, 0, 0.3);
    check_binomial(0.1, 1, 0.05);
}

/* p = 1: every arc is live (the set is everything within `hops`); p = 0: the
 * root alone; no draw decides either. */
static void test_certain_arcs(void **state)
{
    (void)state;
    uint32_t src[9], dst[9];
    for (uint32_t i = 0; i < 9; i++) src[i] = i, dst[i] = i + 1;   /* a directed path 0 -> 9 */
    wg_graph *g = graph_of(10, 9, src, dst, NULL, 1);
    wg_rrsets r = {0};
    sample(g, 1.0, 4, 0, 200, 2, &r);
    for (uint64_t j = 0; j < r.n; j++) {
        const uint32_t root = r.node[r.off[j]];
        const uint64_t want = root < 4 ? root + 1 : 5;
        assert_int_equal(r.off[j + 1] - r.off[j], want);
        for (uint64_t x = 0; x < want; x++) assert_int_equal(r.node[r.off[j] + x], root - x);
    }
    wg_rrsets_clear(&r);
    sample(g, 0.0, 4, 0, 200, 2, &r);
    for (uint64_t j = 0; j < r.n; j++) assert_int_equal(r.off[j + 1] - r.off[j], 1);
    wg_rrsets_free(&r);
    wg_graph_free(g);
}

/* A directed path: agent r's set holds r - d when the d arcs below it are all
 * live (p^d) and d <= hops. With p = 0.5 and 3 hops, a set rooted at r >= 3
 * has 4 agents with probability 1/8, and never more. */
static void test_path_hops(void **state)
{
    (void)state;
    enum { NODES = 60, N = 20000 };
    uint32_t src[NODES], dst[NODES];
    for (uint32_t i = 0; i + 1 < NODES; i++) src[i] = i, dst[i] = i + 1;
    wg_graph *g = graph_of(NODES, NODES - 1, src, dst, NULL, 1);
    wg_rrsets r = {0};
    sample(g, 0.5, 3, 0, N, 2, &r);
    uint64_t sets = 0, full = 0, two = 0;
    for (uint64_t j = 0; j < r.n; j++) {
        const uint32_t root = r.node[r.off[j]];
        const uint64_t size = r.off[j + 1] - r.off[j];
        assert_true(size <= 4 && size <= root + 1);
        for (uint64_t x = 0; x < size; x++) assert_int_equal(r.node[r.off[j] + x], root - x);
        if (root < 3) continue;
        sets++;
        full += size == 4;
        two += size >= 2;
    }
    const double f = (double)full / sets, t = (double)two / sets;
    print_message("path, 3 hops, p 0.5: P(4 agents) %.4f (exact 0.125), P(2 or more) %.4f "
                  "(exact 0.5), %llu sets\n", f, t, (unsigned long long)sets);
    assert_true(fabs(f - 0.125) < Z_TOL * sqrt(0.125 * 0.875 / sets));
    assert_true(fabs(t - 0.5) < Z_TOL * sqrt(0.25 / sets));
    wg_rrsets_free(&r);
    wg_graph_free(g);
}

/* More set indices than a stamp of 32 bits can key: refused before any work. */
static void test_too_many(void **state)
{
    (void)state;
    wg_graph *g = hub_graph(10, 0);
    wg_rrsets r = {0};
    wg_diag d;
    wg_diag_init(&d);
    wg_rr_model m = {g, 0.1, 3, 1, 0};
    assert_int_equal(wg_rrsets_sample(&m, 1, UINT32_MAX, 1, &r, &d), WG_EINPUT);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(d.items[0].text, "more than"));
    assert_int_equal(r.n, 0);
    wg_diag_free(&d);
    wg_rrsets_free(&r);
    wg_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_and_splits),
        cmocka_unit_test(test_binomial_law),
        cmocka_unit_test(test_certain_arcs),
        cmocka_unit_test(test_path_hops),
        cmocka_unit_test(test_too_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
