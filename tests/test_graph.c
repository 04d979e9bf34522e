/*
 * test_graph.c — the CSR builder and what is computed on it: sorted rows,
 * dropped self-loops and duplicates, weights, the transpose, statistics with
 * exact answers on small graphs and on Zachary's karate club, PageRank and
 * k-cores.
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

/* This cmocka has no assert_double_equal: compare within eps, show both on failure. */
#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), __FILE__, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *file, int line)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.12g != %.12g (eps %g)\n", a, b, eps);
        _fail(file, line);
    }
}

static wg_graph *build(uint32_t n, uint64_t e, const uint32_t *s, const uint32_t *t, const float *w, int directed,
                       uint64_t *loops, uint64_t *dups)
{
    wg_diag d = {0};
    wg_graph *g = NULL;
    assert_int_equal(wg_graph_from_edges(n, e, s, t, w, directed, &g, loops, dups, &d), WG_OK);
    assert_int_equal(d.count, 0);
    wg_diag_free(&d);
    return g;
}

static void check_row(const wg_graph *g, uint32_t a, const uint32_t *want, uint32_t k)
{
    assert_int_equal(wg_graph_out_degree(g, a), k);
    for (uint32_t i = 0; i < k; i++) assert_int_equal(g->out_adj[g->out_off[a] + i], want[i]);
}

static void test_from_edges_directed(void **state)
{
    (void)state;
    /* 0->3, 0->1, 0->3 (dup), 2->2 (loop), 1->0, 0->2 */
    const uint32_t s[] = {0, 0, 0, 2, 1, 0};
    const uint32_t t[] = {3, 1, 3, 2, 0, 2};
    const float w[] = {5, 2, 9, 1, 4, 3};
    uint64_t loops = 99, dups = 99;
    wg_graph *g = build(4, 6, s, t, w, 1, &loops, &dups);
    assert_int_equal(loops, 1);
    assert_int_equal(dups, 1);
    assert_int_equal(g->m, 4);
    assert_int_equal(g->out_off[4], 4);
    check_row(g, 0, (const uint32_t[]){1, 2, 3}, 3);
    check_row(g, 1, (const uint32_t[]){0}, 1);
    check_row(g, 2, NULL, 0);
    check_row(g, 3, NULL, 0);
    /* weights follow their arcs, the first of duplicates kept */
    assert_true(g->out_w[0] == 2.0f && g->out_w[1] == 3.0f && g->out_w[2] == 5.0f && g->out_w[3] == 4.0f);
    wg_graph_free(g);
}

static void test_from_edges_undirected(void **state)
{
    (void)state;
    /* 1-0, 0-1 (same pair), 2-1, 1-1 (loop), 2-1 (dup) */
    const uint32_t s[] = {1, 0, 2, 1, 2};
    const uint32_t t[] = {0, 1, 1, 1, 1};
    const float w[] = {7, 8, 6, 1, 2};
    uint64_t loops = 0, dups = 0;
    wg_graph *g = build(3, 5, s, t, w, 0, &loops, &dups);
    assert_int_equal(loops, 1);
    assert_int_equal(dups, 2);
    assert_int_equal(g->m, 4);   /* two edges, two arcs each */
    check_row(g, 0, (const uint32_t[]){1}, 1);
    check_row(g, 1, (const uint32_t[]){0, 2}, 2);
    check_row(g, 2, (const uint32_t[]){1}, 1);
    assert_true(g->out_w[0] == 7.0f && g->out_w[1] == 7.0f && g->out_w[2] == 6.0f && g->out_w[3] == 6.0f);
    /* the transpose of an undirected graph aliases its rows; freeing is safe */
    wg_diag d = {0};
    assert_int_equal(wg_graph_transpose(g, &d), WG_OK);
    assert_ptr_equal(g->in_adj, g->out_adj);
    assert_ptr_equal(g->in_off, g->out_off);
    wg_graph_free(g);
    wg_graph_free(NULL);
}

static void test_from_edges_bad_id(void **state)
{
    (void)state;
    const uint32_t s[] = {0, 5};
    const uint32_t t[] = {1, 1};
    wg_diag d = {0};
    wg_graph *g = (wg_graph *)1;
    assert_int_equal(wg_graph_from_edges(3, 2, s, t, NULL, 1, &g, NULL, NULL, &d), WG_EINPUT);
    assert_null(g);
    assert_non_null(strstr(wg_diag_first(&d), "beyond"));
    wg_diag_free(&d);
}

static void test_transpose_directed(void **state)
{
    (void)state;
    const uint32_t s[] = {0, 0, 2, 3};
    const uint32_t t[] = {1, 2, 1, 0};
    const float w[] = {1, 2, 3, 4};
    wg_graph *g = build(4, 4, s, t, w, 1, NULL, NULL);
    wg_diag d = {0};
    assert_int_equal(wg_graph_transpose(g, &d), WG_OK);
    assert_int_equal(wg_graph_transpose(g, &d), WG_OK);   /* once only */
    const uint64_t off[] = {0, 1, 3, 4, 4};
    const uint32_t adj[] = {3, 0, 2, 0};
    const float iw[] = {4, 1, 3, 2};
    for (int i = 0; i < 5; i++) assert_int_equal(g->in_off[i], off[i]);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(g->in_adj[i], adj[i]);
        assert_true(g->in_w[i] == iw[i]);
    }
    wg_graph_free(g);
}

static wg_graph_stats stats_of(const wg_graph *g, int *sampled)
{
    wg_graph_stats st;
    wg_diag d = {0};
    assert_int_equal(wg_graph_stats_compute(g, &st, sampled, &d), WG_OK);
    wg_diag_free(&d);
    return st;
}

/* wg_graph_valid accepts what the builder makes and refuses each broken
 * invariant, one at a time (each mutation undone before the next). */
static void test_valid(void **state)
{
    (void)state;
    /* undirected, weighted: 0-1 (2), 0-2 (3), 1-2 (4), 2-3 (5) */
    const uint32_t s[] = {0, 0, 1, 2}, t[] = {1, 2, 2, 3};
    const float w[] = {2, 3, 4, 5};
    wg_graph *g = build(4, 4, s, t, w, 0, NULL, NULL);
    assert_true(wg_graph_valid(g));
    assert_false(wg_graph_valid(NULL));
    /* rows: 0: 1 2 | 1: 0 2 | 2: 0 1 3 | 3: 2 */
    uint32_t keep = g->out_adj[1];
    g->out_adj[1] = 1;                     /* duplicate in row 0 */
    assert_false(wg_graph_valid(g));
    g->out_adj[1] = 0;                     /* self-loop */
    assert_false(wg_graph_valid(g));
    g->out_adj[1] = 9;                     /* beyond n */
    assert_false(wg_graph_valid(g));
    g->out_adj[0] = 2, g->out_adj[1] = 1;  /* unsorted row */
    assert_false(wg_graph_valid(g));
    g->out_adj[0] = 1, g->out_adj[1] = keep;
    assert_true(wg_graph_valid(g));
    g->out_adj[7] = 1;                     /* row 3 says 3-1, row 1 has no 1-3: not symmetric */
    assert_false(wg_graph_valid(g));
    g->out_adj[7] = 2;
    float wk = g->out_w[0];
    g->out_w[0] = 7;                       /* 0->1 and 1->0 with different weights */
    assert_false(wg_graph_valid(g));
    g->out_w[0] = 0;
    assert_false(wg_graph_valid(g));
    g->out_w[0] = wk;
    g->out_off[4] = 7;                     /* offsets do not end at m */
    assert_false(wg_graph_valid(g));
    g->out_off[4] = 8;
    assert_true(wg_graph_valid(g));
    assert_int_equal(wg_graph_transpose(g, NULL), WG_OK);
    assert_true(wg_graph_valid(g));
    wg_graph_free(g);

    /* directed: the transpose must be the transpose */
    const uint32_t ds[] = {0, 1, 2, 0}, dt[] = {1, 2, 0, 2};
    g = build(3, 4, ds, dt, NULL, 1, NULL, NULL);
    assert_true(wg_graph_valid(g));
    assert_int_equal(wg_graph_transpose(g, NULL), WG_OK);
    assert_true(wg_graph_valid(g));
    /* in-rows: 0: 2 | 1: 0 | 2: 0 1 */
    g->in_adj[0] = 1;                      /* 1 -> 0 is no arc */
    assert_false(wg_graph_valid(g));
    g->in_adj[0] = 2;
    g->directed = 0;                       /* marked undirected: neither symmetric nor aliased */
    assert_false(wg_graph_valid(g));
    g->directed = 1;
    assert_true(wg_graph_valid(g));
    wg_graph_free(g);
}

static void test_stats_small(void **state)
{
    (void)state;
    int sampled = -1;
    /* triangle */
    wg_graph *g = build(3, 3, (const uint32_t[]){0, 1, 2}, (const uint32_t[]){1, 2, 0}, NULL, 0, NULL, NULL);
    wg_graph_stats st = stats_of(g, &sampled);
    assert_int_equal(sampled, 0);
    assert_int_equal(st.nodes, 3);
    assert_int_equal(st.edges, 3);
    assert_near(st.degree_mean, 2.0, 1e-12);
    assert_near(st.degree_m2, 4.0, 1e-12);
    assert_near(st.clustering, 1.0, 1e-12);
    assert_near(st.clustering_local, 1.0, 1e-12);
    assert_near(st.threshold, 1.0, 1e-12);
    assert_int_equal(st.components, 1);
    assert_int_equal(st.largest, 3);
    wg_graph_free(g);

    /* star of 5: hub 0 */
    g = build(5, 4, (const uint32_t[]){0, 0, 0, 0}, (const uint32_t[]){1, 2, 3, 4}, NULL, 0, NULL, NULL);
    st = stats_of(g, NULL);
    assert_int_equal(st.edges, 4);
    assert_int_equal(st.degree_max, 4);
    assert_near(st.degree_mean, 1.6, 1e-12);
    assert_near(st.degree_m2, 4.0, 1e-12);
    assert_near(st.threshold, 1.6 / 2.4, 1e-12);
    assert_near(st.clustering, 0.0, 1e-12);
    assert_near(st.clustering_local, 0.0, 1e-12);
    wg_graph_free(g);

    /* path 0-1-2-3 and an isolated agent 4 */
    g = build(5, 3, (const uint32_t[]){0, 1, 2}, (const uint32_t[]){1, 2, 3}, NULL, 0, NULL, NULL);
    st = stats_of(g, NULL);
    assert_int_equal(st.edges, 3);
    assert_near(st.degree_mean, 6.0 / 5, 1e-12);
    assert_near(st.degree_m2, 10.0 / 5, 1e-12);
    assert_near(st.threshold, 1.2 / 0.8, 1e-12);
    assert_int_equal(st.components, 2);
    assert_int_equal(st.largest, 4);
    assert_near(st.clustering, 0.0, 1e-12);
    wg_graph_free(g);

    /* directed: a triangle 0->1->2->0 is one weak component; clustering on the undirected view */
    g = build(4, 3, (const uint32_t[]){0, 1, 2}, (const uint32_t[]){1, 2, 0}, NULL, 1, NULL, NULL);
    st = stats_of(g, NULL);
    assert_int_equal(st.edges, 3);
    assert_int_equal(st.components, 2);
    assert_near(st.clustering, 1.0, 1e-12);
    wg_graph_free(g);
}

static wg_graph *karate(void)
{
    wg_netspec s;
    wg_diag d = {0};
    wg_graph *g = NULL;
    memset(&s, 0, sizeof s);
    s.kind = WG_NET_FAMOUS;
    s.famous = (char *)"karate";
    assert_int_equal(wg_graph_build(&s, 1, &g, &d), WG_OK);
    wg_diag_free(&d);
    return g;
}

static void test_stats_karate(void **state)
{
    (void)state;
    wg_graph *g = karate();
    wg_graph_stats st = stats_of(g, NULL);
    assert_int_equal(st.nodes, 34);
    assert_int_equal(st.edges, 78);
    assert_int_equal(st.degree_max, 17);
    assert_near(st.degree_mean, 156.0 / 34, 1e-12);
    /* 45 triangles, 528 connected triples: 135 / 528 */
    assert_near(st.clustering, 135.0 / 528.0, 1e-12);
    assert_near(round(st.clustering * 1e4) / 1e4, 0.2557, 1e-9);
    assert_int_equal(st.components, 1);
    assert_int_equal(st.largest, 34);
    wg_graph_free(g);
}

/* A wheel: hub 0 joined to a ring of L leaves, past the wedge budget, so
 * clustering is sampled; the answers are known in closed form. */
static void test_stats_sampled(void **state)
{
    (void)state;
    const uint32_t L = 20100;
    uint32_t *s = malloc(2 * L * sizeof *s), *t = malloc(2 * L * sizeof *t);
    assert_non_null(s);
    assert_non_null(t);
    for (uint32_t i = 0; i < L; i++) {
        s[i] = 0;
        t[i] = i + 1;
        s[L + i] = i + 1;
        t[L + i] = (i + 1) % L + 1;
    }
    wg_graph *g = build(L + 1, 2 * (uint64_t)L, s, t, NULL, 0, NULL, NULL);
    int sampled = 0;
    wg_graph_stats st = stats_of(g, &sampled);
    assert_int_equal(sampled, 1);
    /* L triangles (hub and two ring neighbours); wedges: C(L, 2) at the hub, 3 at each leaf */
    double wedges = (double)L * (L - 1) / 2 + 3.0 * L, closed = 3.0 * L;
    assert_near(st.clustering, closed / wedges, 0.002);
    double local = (L * (2.0 / 3) + L / ((double)L * (L - 1) / 2)) / (L + 1);
    assert_near(st.clustering_local, local, 0.005);
    wg_graph_stats again = stats_of(g, NULL);   /* fixed seed: the same estimate */
    assert_true(again.clustering == st.clustering && again.clustering_local == st.clustering_local);
    wg_graph_free(g);
    free(s);
    free(t);
}

static void test_pagerank(void **state)
{
    (void)state;
    wg_diag d = {0};
    double pr[6];
    /* directed ring: uniform */
    wg_graph *g = build(6, 6, (const uint32_t[]){0, 1, 2, 3, 4, 5}, (const uint32_t[]){1, 2, 3, 4, 5, 0}, NULL, 1,
                        NULL, NULL);
    assert_int_equal(wg_graph_pagerank(g, pr, &d), WG_OK);
    for (int i = 0; i < 6; i++) assert_near(pr[i], 1.0 / 6, 1e-12);
    wg_graph_free(g);
    /* directed star with dangling leaves: sums to 1, leaves equal, hub known:
     * hub = 0.15/5 + 0.85 * (leaf mass) / 5, leaf = hub's share + the same */
    g = build(5, 4, (const uint32_t[]){0, 0, 0, 0}, (const uint32_t[]){1, 2, 3, 4}, NULL, 1, NULL, NULL);
    assert_int_equal(wg_graph_pagerank(g, pr, &d), WG_OK);
    double sum = 0;
    for (int i = 0; i < 5; i++) sum += pr[i];
    assert_near(sum, 1.0, 1e-12);
    for (int i = 2; i < 5; i++) assert_near(pr[i], pr[1], 1e-12);
    /* stationary: h = 0.03 + 0.17 * 4l, l = 0.03 + 0.17 * 4l + 0.85 h / 4 */
    assert_near(pr[0], 0.03 + 0.17 * 4 * pr[1], 1e-9);
    assert_true(pr[1] > pr[0]);
    wg_graph_free(g);
    /* karate sums to 1, the two leaders rank first */
    g = karate();
    double kp[34];
    assert_int_equal(wg_graph_pagerank(g, kp, &d), WG_OK);
    sum = 0;
    int top = 0;
    for (int i = 0; i < 34; i++) {
        sum += kp[i];
        if (kp[i] > kp[top]) top = i;
    }
    assert_near(sum, 1.0, 1e-12);
    assert_int_equal(top, 33);
    assert_near(kp[33], 0.1009191823, 1e-8);   /* igraph_pagerank (PRPACK) gives 0.1009191823 */
    wg_graph_free(g);
    wg_diag_free(&d);
}

static void test_kcore(void **state)
{
    (void)state;
    /* K4 on 0..3, tail 3-4-5, isolated 6 */
    const uint32_t s[] = {0, 0, 0, 1, 1, 2, 3, 4};
    const uint32_t t[] = {1, 2, 3, 2, 3, 3, 4, 5};
    const uint32_t want[] = {3, 3, 3, 3, 1, 1, 0};
    uint32_t core[7];
    wg_diag d = {0};
    wg_graph *g = build(7, 8, s, t, NULL, 0, NULL, NULL);
    assert_int_equal(wg_graph_kcore(g, core, &d), WG_OK);
    for (int i = 0; i < 7; i++) assert_int_equal(core[i], want[i]);
    wg_graph_free(g);
    /* the same arcs directed: cores on the undirected view */
    g = build(7, 8, s, t, NULL, 1, NULL, NULL);
    assert_int_equal(wg_graph_kcore(g, core, &d), WG_OK);
    for (int i = 0; i < 7; i++) assert_int_equal(core[i], want[i]);
    wg_graph_free(g);
    wg_diag_free(&d);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    const uint32_t s[] = {0, 1};
    const uint32_t t[] = {1, 2};
    for (long k = 1; k <= 4; k++) {
        wg_diag d = {0};
        wg_graph *g = NULL;
        wg_malloc_fail_after(k);
        wg_status st = wg_graph_from_edges(3, 2, s, t, NULL, 0, &g, NULL, NULL, &d);
        wg_malloc_fail_after(0);
        if (st == WG_OK) {
            wg_graph_free(g);
        } else {
            assert_int_equal(st, WG_ENOMEM);
            assert_null(g);
        }
        wg_diag_free(&d);
    }
    wg_diag d = {0};
    wg_graph *g = build(3, 2, s, t, NULL, 0, NULL, NULL);
    wg_graph_stats st;
    wg_malloc_fail_after(1);
    assert_int_equal(wg_graph_stats_compute(g, &st, NULL, &d), WG_ENOMEM);
    wg_malloc_fail_after(0);
    wg_graph_free(g);
    wg_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_edges_directed),
        cmocka_unit_test(test_from_edges_undirected),
        cmocka_unit_test(test_from_edges_bad_id),
        cmocka_unit_test(test_transpose_directed),
        cmocka_unit_test(test_stats_small),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_stats_karate),
        cmocka_unit_test(test_stats_sampled),
        cmocka_unit_test(test_pagerank),
        cmocka_unit_test(test_kcore),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
