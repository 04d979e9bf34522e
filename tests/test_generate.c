/*
 * test_generate.c — every generated kind of network: node and edge counts
 * where they are exact, the Erdős–Rényi mean degree within 4 standard errors,
 * configuration-model degrees and simplicity, determinism in (spec, seed),
 * and a specific message for each kind of bad argument.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <omp.h>

#include "waggle/graph.h"

static wg_netspec spec_of(wg_net_kind kind, uint64_t nodes)
{
    wg_netspec s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.nodes = nodes;
    return s;
}

/* A two-block SBM over caller-owned sizes and p (not freed). */
static wg_netspec sbm2(uint64_t *sizes, double *p, int directed)
{
    wg_netspec s = spec_of(WG_NET_SBM, 0);
    s.nblocks = 2;
    s.sizes = sizes;
    s.p = p;
    s.directed = directed;
    return s;
}

static wg_graph *gen(const wg_netspec *s, uint64_t seed)
{
    wg_diag d = {0};
    wg_graph *g = NULL;
    wg_status st = wg_generate(s, seed, &g, &d);
    if (st != WG_OK) print_error("%s\n", wg_diag_first(&d));
    assert_int_equal(st, WG_OK);
    assert_non_null(g);
    wg_diag_free(&d);
    return g;
}

/* Rows sorted strictly ascending, no self-loop: the CSR invariants. */
static void assert_simple(const wg_graph *g)
{
    assert_int_equal(g->out_off[g->n], g->m);
    for (uint32_t a = 0; a < g->n; a++)
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) {
            assert_true(g->out_adj[k] != a);
            if (k > g->out_off[a]) assert_true(g->out_adj[k] > g->out_adj[k - 1]);
        }
}

static void expect(const wg_netspec *s, uint32_t nodes, uint64_t arcs, int directed)
{
    wg_graph *g = gen(s, 7);
    assert_int_equal(g->n, nodes);
    assert_int_equal(g->m, arcs);
    assert_int_equal(g->directed, directed);
    assert_simple(g);
    wg_graph_free(g);
}

static void test_exact_kinds(void **state)
{
    (void)state;
    wg_netspec s = spec_of(WG_NET_COMPLETE, 10);
    expect(&s, 10, 90, 0);                 /* 45 edges, two arcs each */
    s.directed = 1;
    expect(&s, 10, 90, 1);
    s = spec_of(WG_NET_STAR, 10);
    expect(&s, 10, 18, 0);
    s.directed = 1;
    wg_graph *g = gen(&s, 1);
    assert_int_equal(g->m, 9);
    assert_int_equal(wg_graph_out_degree(g, 0), 9);   /* hub -> leaves */
    wg_graph_free(g);
    s = spec_of(WG_NET_RING, 12);
    expect(&s, 12, 24, 0);
    s = spec_of(WG_NET_PATH, 12);
    expect(&s, 12, 22, 0);
    s.directed = 1;
    g = gen(&s, 1);
    assert_int_equal(g->m, 11);
    for (uint32_t a = 0; a + 1 < 12; a++) assert_int_equal(g->out_adj[g->out_off[a]], a + 1);
    assert_int_equal(wg_graph_out_degree(g, 11), 0);
    wg_graph_free(g);
    s = spec_of(WG_NET_LATTICE, 0);
    s.dims[0] = 5;
    s.dims[1] = 4;
    expect(&s, 20, 2 * (4 * 4 + 5 * 3), 0);   /* open: (w-1)h + w(h-1) edges */
    s.periodic = 1;
    expect(&s, 20, 2 * (2 * 20), 0);          /* torus: 2wh edges */
    s = spec_of(WG_NET_FAMOUS, 0);
    s.famous = (char *)"karate";
    expect(&s, 34, 156, 0);
    s.famous = (char *)"Petersen";
    expect(&s, 10, 30, 0);
}

static void test_barabasi_albert(void **state)
{
    (void)state;
    for (uint32_t m = 1; m <= 5; m += 2) {
        wg_netspec s = spec_of(WG_NET_BARABASI_ALBERT, 1000);
        s.edges_per_node = m;
        /* psumtree without multi-edges: agent i > 0 joins min(m, i) earlier agents */
        uint64_t edges = 0;
        for (uint64_t i = 1; i < 1000; i++) edges += i < m ? i : m;
        wg_graph *g = gen(&s, 3);
        assert_int_equal(g->n, 1000);
        assert_int_equal(g->m, 2 * edges);
        assert_simple(g);
        wg_graph_free(g);
    }
}

/* Preferential attachment with appeal 1 (probability of v proportional to
 * 1 + deg v), checked two ways with fixed seeds:
 * - exactly, on n = 4, m = 1: node 2 joins 0 or 1 (1/2 each); node 3 then
 *   joins 0 with probability 1/2 × 3/7 + 1/2 × 2/7 = 5/14 (weights 3, 2, 2
 *   or 2, 3, 2). 20,000 seeds, tolerance 4 binomial standard errors;
 * - the degree distribution of n = 10^5, m = 3 against the stationary
 *   solution of the master equation, p_m (1 + c (m + 1)) = 1 and
 *   p_k (1 + c (k + 1)) = c k p_(k-1), c = m / (2m + 1), for k = 3..6:
 *   tolerance 0.006, 4 binomial standard errors at n = 10^5 (p near 0.37)
 *   plus room for the O(1/n) finite-size terms and weak dependence. */
static void test_barabasi_albert_attachment(void **state)
{
    (void)state;
    wg_netspec s = spec_of(WG_NET_BARABASI_ALBERT, 4);
    s.edges_per_node = 1;
    const uint32_t seeds = 20000;
    uint32_t hits = 0;
    for (uint64_t seed = 1; seed <= seeds; seed++) {
        wg_graph *g = gen(&s, seed);
        for (uint64_t k = g->out_off[3]; k < g->out_off[4]; k++) hits += g->out_adj[k] == 0;
        wg_graph_free(g);
    }
    double p = 5.0 / 14, f = (double)hits / seeds, se = sqrt(p * (1 - p) / seeds);
    print_message("node 3 joins node 0: %.4f, exact %.4f, se %.4f\n", f, p, se);
    assert_true(fabs(f - p) < 4 * se);

    const uint32_t n = 100000, m = 3;
    s = spec_of(WG_NET_BARABASI_ALBERT, n);
    s.edges_per_node = m;
    wg_graph *g = gen(&s, 11);
    uint32_t count[7] = {0};
    for (uint32_t v = 0; v < n; v++) {
        uint32_t k = wg_graph_out_degree(g, v);
        if (k < 7) count[k]++;
    }
    const double c = (double)m / (2 * m + 1);
    double pk = 1.0 / (1 + c * (m + 1));
    for (uint32_t k = m; k < 7; k++) {
        if (k > m) pk = pk * c * k / (1 + c * (k + 1));
        print_message("degree %u: %.4f of the nodes, stationary %.4f\n", k, (double)count[k] / n, pk);
        assert_true(fabs((double)count[k] / n - pk) < 0.006);
    }
    wg_graph_free(g);
}

static void test_erdos_renyi(void **state)
{
    (void)state;
    const uint64_t n = 3000;
    const double k = 8.0, p = k / (n - 1);
    wg_netspec s = spec_of(WG_NET_ERDOS_RENYI, n);
    s.mean_degree = k;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        wg_graph *g = gen(&s, seed);
        double pairs = (double)n * (n - 1) / 2;
        double se = 2.0 * sqrt(pairs * p * (1 - p)) / n;   /* of the mean degree 2E/n */
        double mean = (double)g->m / n;
        assert_true(fabs(mean - k) < 4 * se);
        assert_simple(g);
        wg_graph_free(g);
    }
    s.directed = 1;
    wg_graph *g = gen(&s, 1);
    assert_int_equal(g->directed, 1);
    assert_true(fabs((double)g->m / n - k) < 4 * sqrt(n * (n - 1.0) * p * (1 - p)) / n);
    wg_graph_free(g);
}

static void test_watts_strogatz_and_sbm(void **state)
{
    (void)state;
    wg_netspec s = spec_of(WG_NET_WATTS_STROGATZ, 200);
    s.neighbours = 3;
    s.rewire = 0;
    expect(&s, 200, 2 * 600, 0);
    s.rewire = 0.2;
    wg_graph *g = gen(&s, 5);
    assert_int_equal(g->n, 200);
    assert_true(g->m <= 1200 && g->m >= 1100);
    assert_simple(g);
    wg_graph_free(g);

    /* two blocks, dense inside, nothing between: no arc crosses */
    uint64_t sizes[2] = {30, 20};
    double p[4] = {1.0, 0.0, 0.0, 1.0};
    s = sbm2(sizes, p, 0);
    expect(&s, 50, 2 * (30 * 29 / 2 + 20 * 19 / 2), 0);
    p[1] = 1.0;   /* directed: block 0 -> block 1 complete, not back */
    s.directed = 1;
    expect(&s, 50, 30 * 29 + 20 * 19 + 30 * 20, 1);
}

static void test_configuration(void **state)
{
    (void)state;
    wg_netspec s = spec_of(WG_NET_CONFIGURATION, 2000);
    s.deg_kind = WG_DEG_POWER_LAW;
    s.deg_exponent = 2.5;
    s.deg_min = 2;
    s.deg_cutoff = 60;
    wg_graph *g = gen(&s, 11);
    assert_int_equal(g->n, 2000);
    assert_simple(g);
    /* erased configuration model: drawn degrees are >= min; erasing loops and
     * multi-edges may lower a few, never to zero when min is 2 and hubs are capped */
    uint32_t maxd = 0, below = 0;
    for (uint32_t a = 0; a < g->n; a++) {
        assert_true(wg_graph_out_degree(g, a) >= 1);
        below += wg_graph_out_degree(g, a) < 2;
        if (wg_graph_out_degree(g, a) > maxd) maxd = wg_graph_out_degree(g, a);
    }
    assert_true(below <= g->n / 100);
    assert_true(maxd > 10);   /* a heavy tail */
    wg_graph_free(g);

    s.deg_kind = WG_DEG_POISSON;
    s.deg_mean = 6;
    g = gen(&s, 11);
    double mean = (double)g->m / g->n;
    assert_true(fabs(mean - 6) < 4 * sqrt(6.0 / 2000) + 1e-3);
    assert_simple(g);
    wg_graph_free(g);

    /* degrees from a file: erasure can only lower them */
    char path[] = "/tmp/waggle-degXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# degrees\n3\n3\n2\n2\n2\n\n2\n", f);
    fclose(f);
    s = spec_of(WG_NET_CONFIGURATION, 0);
    s.deg_kind = WG_DEG_FILE;
    s.deg_file = path;
    g = gen(&s, 1);
    const uint32_t want[] = {3, 3, 2, 2, 2, 2};
    assert_int_equal(g->n, 6);
    for (uint32_t a = 0; a < 6; a++) assert_true(wg_graph_out_degree(g, a) <= want[a]);
    assert_simple(g);
    wg_graph_free(g);
    /* an odd sum is refused */
    f = fopen(path, "w");
    fputs("2\n2\n1\n", f);
    fclose(f);
    wg_diag d = {0};
    assert_int_equal(wg_generate(&s, 1, &g, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "odd"));
    wg_diag_free(&d);
    remove(path);
}

static int same_graph(const wg_graph *a, const wg_graph *b)
{
    return a->n == b->n && a->m == b->m && !memcmp(a->out_off, b->out_off, (a->n + 1) * sizeof *a->out_off) &&
           !memcmp(a->out_adj, b->out_adj, a->m * sizeof *a->out_adj);
}

/* 64-bit FNV-1a of the CSR, offsets then targets (tools/bench_generate prints the same). */
static uint64_t csr_fnv(const wg_graph *g)
{
    uint64_t h = 0xcbf29ce484222325ull;
    const unsigned char *c = (const unsigned char *)g->out_off;
    for (size_t i = 0; i < ((size_t)g->n + 1) * sizeof *g->out_off; i++) h = (h ^ c[i]) * 0x100000001b3ull;
    c = (const unsigned char *)g->out_adj;
    for (size_t i = 0; i < (size_t)g->m * sizeof *g->out_adj; i++) h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

/* Barabási–Albert large enough for the threaded draw and count and a fill
 * of several chunks: the same CSR at 1, 2 and 3 threads, and the very CSR
 * (checksum) of the generator before the fill went through chunks and
 * buckets (the one-sweep scatter, tools/bench_generate NODES M 7), for each
 * way of rejecting a repeated choice (m <= 32 scans, m > 32 stamps) and of
 * sorting the own targets (m <= 64 ranks, m > 64 inserts). */
static void test_barabasi_albert_threads(void **state)
{
    (void)state;
    static const struct {
        uint64_t nodes;
        uint32_t m;
        uint64_t fnv;
    } cases[] = {
        {200000, 3, 0x0a0062236c48a185ull},
        {20000, 40, 0x8f881d570fdcc260ull},
        {5000, 70, 0xff8f1f72e680b7f9ull},
    };
    int saved = omp_get_max_threads();
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        wg_netspec s = spec_of(WG_NET_BARABASI_ALBERT, cases[c].nodes);
        s.edges_per_node = cases[c].m;
        omp_set_num_threads(1);
        wg_graph *one = gen(&s, 7);
        assert_simple(one);
        if (csr_fnv(one) != cases[c].fnv) print_error("n %llu m %u: fnv %016llx\n",
                                                     (unsigned long long)cases[c].nodes, cases[c].m,
                                                     (unsigned long long)csr_fnv(one));
        assert_true(csr_fnv(one) == cases[c].fnv);
        for (int t = 2; t <= 3; t++) {
            omp_set_num_threads(t);
            wg_graph *g = gen(&s, 7);
            assert_true(same_graph(one, g));
            wg_graph_free(g);
        }
        wg_graph_free(one);
    }
    omp_set_num_threads(saved);
}

static void test_determinism(void **state)
{
    (void)state;
    wg_netspec specs[4];
    specs[0] = spec_of(WG_NET_BARABASI_ALBERT, 500);
    specs[0].edges_per_node = 3;
    specs[1] = spec_of(WG_NET_ERDOS_RENYI, 500);
    specs[1].mean_degree = 5;
    specs[2] = spec_of(WG_NET_WATTS_STROGATZ, 500);
    specs[2].neighbours = 2;
    specs[2].rewire = 0.3;
    specs[3] = spec_of(WG_NET_CONFIGURATION, 500);
    specs[3].deg_kind = WG_DEG_POWER_LAW;
    specs[3].deg_exponent = 2.2;
    specs[3].deg_min = 1;
    for (int i = 0; i < 4; i++) {
        wg_graph *a = gen(&specs[i], 42), *b = gen(&specs[i], 42), *c = gen(&specs[i], 43);
        assert_true(same_graph(a, b));
        assert_false(same_graph(a, c));
        wg_graph_free(a);
        wg_graph_free(b);
        wg_graph_free(c);
    }
}

static void expect_error(const wg_netspec *s, const char *words)
{
    wg_diag d = {0};
    wg_graph *g = (wg_graph *)1;
    assert_int_equal(wg_generate(s, 1, &g, &d), WG_EINPUT);
    assert_null(g);
    if (!strstr(wg_diag_first(&d), words)) print_error("message: %s\n", wg_diag_first(&d));
    assert_non_null(strstr(wg_diag_first(&d), words));
    wg_diag_free(&d);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    wg_netspec s = spec_of(WG_NET_BARABASI_ALBERT, 10);
    expect_error(&s, "barabasi-albert needs edges_per_node >= 1 and < nodes");
    s.edges_per_node = 10;
    expect_error(&s, "edges_per_node");
    s = spec_of(WG_NET_ERDOS_RENYI, 0);
    expect_error(&s, "erdos-renyi needs nodes");
    s = spec_of(WG_NET_ERDOS_RENYI, 10);
    s.mean_degree = 12;
    expect_error(&s, "mean_degree");
    s.mean_degree = NAN;
    expect_error(&s, "mean_degree");
    s = spec_of(WG_NET_WATTS_STROGATZ, 10);
    s.neighbours = 2;
    s.rewire = 1.5;
    expect_error(&s, "rewire");
    s.rewire = 0.1;
    s.neighbours = 5;
    expect_error(&s, "neighbours");
    s.neighbours = 2;
    s.directed = 1;
    expect_error(&s, "undirected only");
    s = spec_of(WG_NET_CONFIGURATION, 100);
    s.deg_kind = WG_DEG_POWER_LAW;
    s.deg_exponent = 2;
    s.deg_min = 0;
    expect_error(&s, "min >= 1");
    s.deg_min = 1;
    s.deg_exponent = -1;
    expect_error(&s, "exponent");
    s = spec_of(WG_NET_CONFIGURATION, 0);
    s.deg_kind = WG_DEG_FILE;
    s.deg_file = (char *)"no-such-degree-file.txt";
    expect_error(&s, "no-such-degree-file.txt: cannot read");
    uint64_t sizes[2] = {5, 5};
    double p[4] = {0.5, 0.1, 0.2, 0.5};
    s = sbm2(sizes, p, 0);
    expect_error(&s, "symmetric");
    p[2] = 1.5;
    s.directed = 1;
    expect_error(&s, "p[2][1] = 1.5 is not a probability");
    s = spec_of(WG_NET_LATTICE, 0);
    expect_error(&s, "lattice needs dims");
    s = spec_of(WG_NET_FAMOUS, 0);
    s.famous = (char *)"no-such-graph";
    expect_error(&s, "famous graph \"no-such-graph\" is unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_kinds),
        cmocka_unit_test(test_barabasi_albert),
        cmocka_unit_test(test_barabasi_albert_attachment),
        cmocka_unit_test(test_barabasi_albert_threads),
        cmocka_unit_test(test_erdos_renyi),
        cmocka_unit_test(test_watts_strogatz_and_sbm),
        cmocka_unit_test(test_configuration),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
