/*
 * netstats.c — what is computed on a network once it is built: the
 * statistics `waggle net` prints and the manifest records (degrees,
 * clustering, components, the percolation threshold), and the rankings
 * picks use (PageRank, k-cores). Plain C on the CSR of graph.c; the
 * clustering of very large graphs is sampled with waggle's keyed generator
 * and a fixed seed, so it is the same on every run and thread count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/graph.h"
#include "../base/philox.h"

/* Wedges (connected triples) above which clustering is estimated by sampling. */
#define WG_WEDGE_BUDGET 2e8
/* Sampled wedges for each clustering estimate, and the fixed seed of the sample. */
#define WG_CLUSTER_SAMPLES 1048576u
#define WG_CLUSTER_SEED UINT64_C(0x77616767)
#define WG_PR_DAMPING 0.85
#define WG_PR_TOL 1e-10
#define WG_PR_MAX_ITER 1000

/* The undirected view of g: g itself when undirected, else a new graph
 * (*owned set to it, to be freed by the caller). */
static wg_status undirected_view(const wg_graph *g, const wg_graph **u, wg_graph **owned, wg_diag *d)
{
    *owned = NULL;
    *u = g;
    if (!g->directed) return WG_OK;
    uint32_t *s = wg_malloc(g->m ? g->m : 1, sizeof *s);
    if (!s) {
        wg_diag_error(d, WG_ENOMEM, "network: out of memory building the undirected view");
        return WG_ENOMEM;
    }
    for (uint32_t a = 0; a < g->n; a++)
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) s[k] = a;
    wg_status st = wg_graph_from_edges(g->n, g->m, s, g->out_adj, NULL, 0, owned, NULL, NULL, d);
    free(s);
    if (st == WG_OK) *u = *owned;
    return st;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static int has_arc(const wg_graph *g, uint32_t a, uint32_t b)
{
    return wg_graph_arc(g, a, b) < g->out_off[a + 1];
}

/* Rank for orienting edges in triangle counting: by degree, then id. */
static int rank_less(const wg_graph *u, uint32_t a, uint32_t b)
{
    uint32_t da = wg_graph_out_degree(u, a), db = wg_graph_out_degree(u, b);
    return da < db || (da == db && a < b);
}

/*
 * Exact triangles at every agent with the forward algorithm: each edge is
 * oriented from lower to higher rank, and a triangle is found once from its
 * lowest vertex. O(m^1.5) time, one mark array and one oriented CSR.
 */
static wg_status clustering_exact(const wg_graph *u, double *global, double *local)
{
    uint32_t n = u->n;
    uint64_t *tri = wg_calloc((size_t)n ? n : 1, sizeof *tri);
    uint64_t *foff = wg_malloc((size_t)n + 1, sizeof *foff);
    uint32_t *fadj = wg_malloc(u->m / 2 ? u->m / 2 : 1, sizeof *fadj);
    uint32_t *mark = wg_malloc((size_t)n ? n : 1, sizeof *mark);
    if (!tri || !foff || !fadj || !mark) {
        free(tri);
        free(foff);
        free(fadj);
        free(mark);
        return WG_ENOMEM;
    }
    uint64_t k2 = 0;
    for (uint32_t a = 0; a < n; a++) {
        foff[a] = k2;
        mark[a] = WG_NO_AGENT;
        for (uint64_t k = u->out_off[a]; k < u->out_off[a + 1]; k++)
            if (rank_less(u, a, u->out_adj[k])) fadj[k2++] = u->out_adj[k];
    }
    foff[n] = k2;
    for (uint32_t a = 0; a < n; a++) {
        for (uint64_t k = foff[a]; k < foff[a + 1]; k++) mark[fadj[k]] = a;
        for (uint64_t k = foff[a]; k < foff[a + 1]; k++) {
            uint32_t b = fadj[k];
            for (uint64_t l = foff[b]; l < foff[b + 1]; l++)
                if (mark[fadj[l]] == a) {
                    tri[a]++;
                    tri[b]++;
                    tri[fadj[l]]++;
                }
        }
    }
    double closed = 0, wedges = 0, sum_local = 0;
    uint64_t counted = 0;
    for (uint32_t a = 0; a < n; a++) {
        double dg = wg_graph_out_degree(u, a);
        if (dg < 2) continue;
        double wv = dg * (dg - 1) / 2;
        closed += (double)tri[a];
        wedges += wv;
        sum_local += (double)tri[a] / wv;
        counted++;
    }
    *global = wedges > 0 ? closed / wedges : 0.0;
    *local = counted ? sum_local / (double)counted : 0.0;
    free(tri);
    free(foff);
    free(fadj);
    free(mark);
    return WG_OK;
}

/* Is a random wedge at agent a (two distinct neighbours picked by draw r) closed? */
static int wedge_closed(const wg_graph *u, uint32_t a, wg_rand4 r)
{
    uint32_t dg = wg_graph_out_degree(u, a);
    uint32_t i = wg_below(r.v[1], dg), j = wg_below(r.v[2], dg - 1);
    if (j >= i) j++;
    return has_arc(u, u->out_adj[u->out_off[a] + i], u->out_adj[u->out_off[a] + j]);
}

/*
 * Sampled clustering with a fixed seed: the global value from wedges drawn
 * uniformly (agent with probability ∝ its wedges, found by binary search on
 * the cumulative counts), the mean local value from one wedge at each of
 * uniformly drawn agents of degree >= 2.
 */
static wg_status clustering_sampled(const wg_graph *u, double *global, double *local)
{
    uint32_t n = u->n;
    double *cum = wg_malloc((size_t)n ? n : 1, sizeof *cum);
    uint32_t *deg2 = wg_malloc((size_t)n ? n : 1, sizeof *deg2);
    if (!cum || !deg2) {
        free(cum);
        free(deg2);
        return WG_ENOMEM;
    }
    double acc = 0;
    uint32_t nd2 = 0;
    for (uint32_t a = 0; a < n; a++) {
        double dg = wg_graph_out_degree(u, a);
        acc += dg * (dg - 1) / 2;
        cum[a] = acc;
        if (dg >= 2) deg2[nd2++] = a;
    }
    uint64_t closed_g = 0, closed_l = 0;
    for (uint32_t s = 0; s < WG_CLUSTER_SAMPLES && nd2; s++) {
        wg_rand4 r = wg_philox(WG_CLUSTER_SEED, 0, 0, WG_R_USER, s);
        double x = (r.v[0] + 0.5) / 4294967296.0 * acc;
        uint32_t lo = 0, hi = n - 1;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (cum[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        closed_g += (uint64_t)wedge_closed(u, lo, r);
        wg_rand4 q = wg_philox(WG_CLUSTER_SEED, 1, 0, WG_R_USER, s);
        closed_l += (uint64_t)wedge_closed(u, deg2[wg_below(q.v[0], nd2)], q);
    }
    *global = nd2 ? (double)closed_g / WG_CLUSTER_SAMPLES : 0.0;
    *local = nd2 ? (double)closed_l / WG_CLUSTER_SAMPLES : 0.0;
    free(cum);
    free(deg2);
    return WG_OK;
}

void wg_graph_stats_degrees(const wg_graph *g, wg_graph_stats *st)
{
    memset(st, 0, sizeof *st);
    st->build_seconds = -1;   /* the builder sets it (wg_job_build) */
    st->degrees_only = 1;
    st->nodes = g->n;
    st->directed = g->directed;
    st->edges = g->directed ? g->m : g->m / 2;
    double s1 = 0, s2 = 0;
    for (uint32_t a = 0; a < g->n; a++) {
        uint32_t dg = wg_graph_out_degree(g, a);
        s1 += dg;
        s2 += (double)dg * dg;
        if (dg > st->degree_max) st->degree_max = dg;
    }
    st->degree_mean = g->n ? s1 / g->n : 0.0;
    st->degree_m2 = g->n ? s2 / g->n : 0.0;
    double den = st->degree_m2 - st->degree_mean;
    st->threshold = den > 0 ? st->degree_mean / den : INFINITY;
}

wg_status wg_graph_stats_compute(const wg_graph *g, wg_graph_stats *st, int *sampled, wg_diag *d)
{
    const wg_graph *u = NULL;
    wg_graph *owned = NULL;
    uint32_t *parent = NULL, *size = NULL;
    wg_status rc;
    if (sampled) *sampled = 0;
    wg_graph_stats_degrees(g, st);
    st->degrees_only = 0;
    if ((rc = undirected_view(g, &u, &owned, d)) != WG_OK) return rc;
    double wedges = 0;
    for (uint32_t a = 0; a < u->n; a++) {
        double dg = wg_graph_out_degree(u, a);
        wedges += dg * (dg - 1) / 2;
    }
    if (wedges > WG_WEDGE_BUDGET) {
        if (sampled) *sampled = 1;
        rc = clustering_sampled(u, &st->clustering, &st->clustering_local);
    } else {
        rc = clustering_exact(u, &st->clustering, &st->clustering_local);
    }
    if (rc != WG_OK) goto fail;

    rc = WG_ENOMEM;
    parent = wg_malloc((size_t)g->n ? g->n : 1, sizeof *parent);
    size = wg_calloc((size_t)g->n ? g->n : 1, sizeof *size);
    if (!parent || !size) goto fail;
    for (uint32_t a = 0; a < g->n; a++) parent[a] = a;
    for (uint32_t a = 0; a < g->n; a++)
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) {
            uint32_t x = uf_find(parent, a), y = uf_find(parent, g->out_adj[k]);
            if (x != y) parent[x > y ? x : y] = x < y ? x : y;
        }
    for (uint32_t a = 0; a < g->n; a++) {
        uint32_t r = uf_find(parent, a);
        if (size[r]++ == 0) st->components++;
        if (size[r] > st->largest) st->largest = size[r];
    }
    free(parent);
    free(size);
    wg_graph_free(owned);
    return WG_OK;
fail:
    free(parent);
    free(size);
    wg_graph_free(owned);
    wg_diag_error(d, WG_ENOMEM, "network: out of memory computing statistics");
    return WG_ENOMEM;
}

/*
 * Power iteration, pushing each agent's rank along its out-arcs in proportion
 * to their weights; the rank of agents without out-arcs is spread uniformly.
 * Stops when the L1 change is below WG_PR_TOL or after WG_PR_MAX_ITER rounds.
 */
wg_status wg_graph_pagerank(const wg_graph *g, double *pr, wg_diag *d)
{
    uint32_t n = g->n;
    if (n == 0) return WG_OK;
    double *next = wg_malloc(n, sizeof *next);
    double *strength = g->out_w ? wg_malloc(n, sizeof *strength) : NULL;
    if (!next || (g->out_w && !strength)) {
        free(next);
        free(strength);
        wg_diag_error(d, WG_ENOMEM, "network: out of memory computing PageRank");
        return WG_ENOMEM;
    }
    if (strength)
        for (uint32_t a = 0; a < n; a++) {
            double s = 0;
            for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) s += g->out_w[k];
            strength[a] = s;
        }
    for (uint32_t a = 0; a < n; a++) pr[a] = 1.0 / n;
    for (int it = 0; it < WG_PR_MAX_ITER; it++) {
        double dangling = 0;
        for (uint32_t a = 0; a < n; a++) next[a] = 0;
        for (uint32_t a = 0; a < n; a++) {
            uint64_t lo = g->out_off[a], hi = g->out_off[a + 1];
            if (lo == hi || (strength && !(strength[a] > 0))) {
                dangling += pr[a];
                continue;
            }
            double share = pr[a] / (strength ? strength[a] : (double)(hi - lo));
            for (uint64_t k = lo; k < hi; k++) next[g->out_adj[k]] += share * (strength ? g->out_w[k] : 1.0);
        }
        double base = (1.0 - WG_PR_DAMPING) / n + WG_PR_DAMPING * dangling / n, sum = 0, diff = 0;
        for (uint32_t a = 0; a < n; a++) {
            next[a] = base + WG_PR_DAMPING * next[a];
            sum += next[a];
        }
        for (uint32_t a = 0; a < n; a++) {
            next[a] /= sum;
            diff += fabs(next[a] - pr[a]);
            pr[a] = next[a];
        }
        if (diff < WG_PR_TOL) break;
    }
    free(next);
    free(strength);
    return WG_OK;
}

/*
 * Batagelj–Zaversnik: agents bucket-sorted by degree, processed in increasing
 * order, each removal lowering the degree of later neighbours. O(n + m).
 */
wg_status wg_graph_kcore(const wg_graph *g, uint32_t *core, wg_diag *d)
{
    const wg_graph *u = NULL;
    wg_graph *owned = NULL;
    wg_status rc = undirected_view(g, &u, &owned, d);
    if (rc != WG_OK) return rc;
    uint32_t n = u->n, maxd = 0;
    for (uint32_t a = 0; a < n; a++)
        if (wg_graph_out_degree(u, a) > maxd) maxd = wg_graph_out_degree(u, a);
    uint32_t *bin = wg_calloc((size_t)maxd + 1, sizeof *bin);
    uint32_t *pos = wg_malloc((size_t)n ? n : 1, sizeof *pos);
    uint32_t *vert = wg_malloc((size_t)n ? n : 1, sizeof *vert);
    if (!bin || !pos || !vert) {
        free(bin);
        free(pos);
        free(vert);
        wg_graph_free(owned);
        wg_diag_error(d, WG_ENOMEM, "network: out of memory computing k-cores");
        return WG_ENOMEM;
    }
    for (uint32_t a = 0; a < n; a++) {
        core[a] = wg_graph_out_degree(u, a);
        bin[core[a]]++;
    }
    uint32_t start = 0;
    for (uint32_t k = 0; k <= maxd; k++) {
        uint32_t c = bin[k];
        bin[k] = start;
        start += c;
    }
    for (uint32_t a = 0; a < n; a++) {
        pos[a] = bin[core[a]]++;
        vert[pos[a]] = a;
    }
    for (uint32_t k = maxd; k > 0; k--) bin[k] = bin[k - 1];
    bin[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t v = vert[i];
        for (uint64_t k = u->out_off[v]; k < u->out_off[v + 1]; k++) {
            uint32_t x = u->out_adj[k];
            if (core[x] > core[v]) {
                uint32_t dx = core[x], px = pos[x], pw = bin[dx], w = vert[pw];
                if (x != w) {
                    pos[x] = pw;
                    vert[px] = w;
                    pos[w] = px;
                    vert[pw] = x;
                }
                bin[dx]++;
                core[x]--;
            }
        }
    }
    free(bin);
    free(pos);
    free(vert);
    wg_graph_free(owned);
    return WG_OK;
}
