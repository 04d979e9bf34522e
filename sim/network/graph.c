/*
 * graph.c — waggle's network in compressed sparse rows: allocation, the
 * builder from an edge list, the transpose, and the check of the CSR's
 * invariants. What is computed on a graph (statistics, PageRank, k-cores)
 * is netstats.c; building a graph from a scenario's spec is netspec.c.
 *
 * Invariants of a wg_graph g (waggle/graph.h), checked by wg_graph_valid,
 * which every builder asserts when it returns (WG_ASSERT, on in `make asan`):
 *   1. 0 <= g->n < WG_MAX_AGENTS; out_off[0] == 0, out_off is non-decreasing
 *      and out_off[n] == m;
 *   2. row a (out_adj[out_off[a] .. out_off[a+1]-1]) is sorted strictly
 *      ascending by target: no duplicate; every target is below n and none
 *      is a itself (no self-loop);
 *   3. an undirected graph stores both arcs of each edge: a -> b is in row a
 *      exactly when b -> a is in row b, with the same weight;
 *   4. out_w is NULL or holds one finite positive weight per arc;
 *   5. the in-arrays are NULL, or the transpose of the out-arrays (rows
 *      sorted by source), aliasing them when the graph is undirected
 *      (wg_graph_free frees them only when they differ).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "waggle/graph.h"

wg_graph *wg_graph_alloc(uint32_t n, uint64_t m, int directed, int weighted)
{
    wg_graph *g = wg_calloc(1, sizeof *g);
    if (!g) return NULL;
    g->n = n;
    g->m = m;
    g->directed = directed ? 1 : 0;
    g->out_off = wg_calloc((size_t)n + 1, sizeof *g->out_off);
    g->out_adj = wg_malloc(m ? m : 1, sizeof *g->out_adj);
    if (weighted) g->out_w = wg_malloc(m ? m : 1, sizeof *g->out_w);
    if (!g->out_off || !g->out_adj || (weighted && !g->out_w)) {
        wg_graph_free(g);
        return NULL;
    }
    return g;
}

void wg_graph_free(wg_graph *g)
{
    if (!g) return;
    if (g->in_off != g->out_off) free(g->in_off);
    if (g->in_adj != g->out_adj) free(g->in_adj);
    if (g->in_w != g->out_w) free(g->in_w);
    if (g->in_neg != g->out_neg) free(g->in_neg);
    free(g->out_neg);
    if (g->map) {   /* a .wgraph file's mapping holds the out-arrays and the ids */
        munmap(g->map, g->map_len);
    } else {
        free(g->out_off);
        free(g->out_adj);
        free(g->out_w);
        free(g->label);
    }
    free(g->name);
    free(g->name_text);
    for (size_t i = 0; i < g->nattrs; i++) {
        if (g->attr_values && g->attr_values[i]) {
            for (uint32_t a = 0; a < g->n; a++) free(g->attr_values[i][a]);
            free(g->attr_values[i]);
        }
        if (g->attr_names) free(g->attr_names[i]);
    }
    free(g->attr_values);
    free(g->attr_names);
    free(g);
}

const char *wg_graph_id(const wg_graph *g, uint32_t a, char *buf)
{
    if (g->name && g->name[a]) return g->name[a];
    snprintf(buf, WG_ID_BUF, "%" PRIu64, g->label ? g->label[a] : (uint64_t)a);
    return buf;
}

int wg_graph_find_id(const wg_graph *g, const char *text, uint32_t *agent)
{
    char buf[WG_ID_BUF];
    for (uint32_t a = 0; a < g->n; a++)
        if (strcmp(wg_graph_id(g, a, buf), text) == 0) {
            *agent = a;
            return 1;
        }
    return 0;
}

/*
 * Virtual arc j of the input: arc j itself when directed; when undirected,
 * edge j / 2 read forwards (j even) or backwards (j odd).
 */
static void varc(uint64_t j, int directed, const uint32_t *src, const uint32_t *dst,
                 uint32_t *a, uint32_t *b)
{
    if (directed) {
        *a = src[j];
        *b = dst[j];
    } else if (j & 1) {
        *a = dst[j >> 1];
        *b = src[j >> 1];
    } else {
        *a = src[j >> 1];
        *b = dst[j >> 1];
    }
}

/*
 * Two stable counting sorts (by target, then by source) put every row in
 * ascending order with ties in input order, so the first of duplicate arcs is
 * the one kept, weight included. O(n + e) time, 8 bytes of scratch per arc.
 */
wg_status wg_graph_from_edges(uint32_t n, uint64_t e, const uint32_t *src, const uint32_t *dst,
                              const float *w, int directed, wg_graph **out,
                              uint64_t *self_loops, uint64_t *dups, wg_diag *d)
{
    wg_graph *g = NULL;
    uint64_t *cnt = NULL, *order = NULL;
    uint64_t loops = 0, removed = 0;
    wg_status st = WG_ENOMEM;
    *out = NULL;
    if (n == WG_MAX_AGENTS) {
        wg_diag_error(d, WG_EINPUT, "network: too many agents (%u)", n);
        return WG_EINPUT;
    }
    for (uint64_t i = 0; i < e; i++) {
        if (src[i] >= n || dst[i] >= n) {
            wg_diag_error(d, WG_EINPUT, "network: arc %llu (%u -> %u) names an agent beyond %u",
                          (unsigned long long)i, src[i], dst[i], n ? n - 1 : 0);
            return WG_EINPUT;
        }
        if (src[i] == dst[i]) loops++;
    }
    uint64_t nv = directed ? e : 2 * e;        /* virtual arcs */
    uint64_t m = directed ? e - loops : 2 * (e - loops);
    g = wg_graph_alloc(n, m, directed, w != NULL);
    cnt = wg_calloc((size_t)n + 1, sizeof *cnt);
    order = wg_malloc(m ? m : 1, sizeof *order);
    if (!g || !cnt || !order) goto fail;

    /* Pass 1: stable sort of the virtual arcs by target. */
    for (uint64_t j = 0; j < nv; j++) {
        uint32_t a, b;
        varc(j, directed, src, dst, &a, &b);
        if (a != b) cnt[b + 1]++;
    }
    for (uint32_t v = 0; v < n; v++) cnt[v + 1] += cnt[v];
    for (uint64_t j = 0; j < nv; j++) {
        uint32_t a, b;
        varc(j, directed, src, dst, &a, &b);
        if (a != b) order[cnt[b]++] = j;
    }
    /* Pass 2: stable placement by source into the rows. */
    uint64_t *off = g->out_off;
    for (uint64_t k = 0; k < m; k++) {
        uint32_t a, b;
        varc(order[k], directed, src, dst, &a, &b);
        off[a + 1]++;
    }
    for (uint32_t v = 0; v < n; v++) off[v + 1] += off[v];
    memcpy(cnt, off, ((size_t)n + 1) * sizeof *cnt);
    for (uint64_t k = 0; k < m; k++) {
        uint32_t a, b;
        uint64_t j = order[k];
        varc(j, directed, src, dst, &a, &b);
        uint64_t pos = cnt[a]++;
        g->out_adj[pos] = b;
        if (w) g->out_w[pos] = w[directed ? j : j >> 1];
    }
    /* Drop duplicates in place, row by row (rows are sorted). */
    uint64_t wpos = 0;
    for (uint32_t v = 0; v < n; v++) {
        uint64_t lo = off[v], hi = off[v + 1];
        off[v] = wpos;
        for (uint64_t k = lo; k < hi; k++) {
            if (k > lo && g->out_adj[k] == g->out_adj[k - 1]) {
                removed++;
                continue;
            }
            g->out_adj[wpos] = g->out_adj[k];
            if (w) g->out_w[wpos] = g->out_w[k];
            wpos++;
        }
    }
    off[n] = wpos;
    g->m = wpos;
    if (wpos < m) {   /* shrinking cannot lose data; keep the old block if realloc refuses */
        uint32_t *adj = realloc(g->out_adj, (wpos ? wpos : 1) * sizeof *adj);
        if (adj) g->out_adj = adj;
        if (w) {
            float *ww = realloc(g->out_w, (wpos ? wpos : 1) * sizeof *ww);
            if (ww) g->out_w = ww;
        }
    }
    if (self_loops) *self_loops = loops;
    if (dups) *dups = directed ? removed : removed / 2;
    free(cnt);
    free(order);
    WG_ASSERT(wg_graph_valid(g));
    *out = g;
    return WG_OK;
fail:
    if (st == WG_ENOMEM) wg_diag_error(d, WG_ENOMEM, "network: out of memory building a graph of %u agents", n);
    free(cnt);
    free(order);
    wg_graph_free(g);
    return st;
}

/* Bytes copied out of a mapped graph at a time before their pages are released. */
#define WG_BLOCK_PIECE ((size_t)1 << 20)

/* A mapped graph (g->map): the whole pages of [p, p + len) leave this
 * process (the page cache keeps them; a later read maps them again). A
 * graph of the heap: nothing. */
static void release_mapped(const wg_graph *g, const void *p, size_t len)
{
    if (!g->map || !len) return;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1),
                    b = ((uintptr_t)p + len) & ~(page - 1);
    if (b > a) (void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
}

/* memcpy of len bytes out of g's arrays; from a mapped graph in pieces whose
 * pages are released once copied, so that the copy and its source are never
 * resident together. */
static void copy_out(const wg_graph *g, void *dst, const void *src, size_t len)
{
    for (size_t at = 0; at < len; at += WG_BLOCK_PIECE) {
        const size_t k = len - at < WG_BLOCK_PIECE ? len - at : WG_BLOCK_PIECE;
        memcpy((char *)dst + at, (const char *)src + at, k);
        release_mapped(g, (const char *)src + at, k);
    }
}

/* Agent a's stripe, and whether it is one of stripes first, first + stride, ... */
static inline int stripe_owned(uint32_t a, uint32_t stripe, uint32_t stride, uint32_t first)
{
    return a / stripe % stride == first;
}

/* The rows of stripes first, first + stride, ... (of `stripe` agents each)
 * of g's (off, adj, w, neg) over n agents, the others empty, into fresh
 * arrays. Returns 0, or -1 when memory runs out (nothing kept). */
static int stripe_rows(const wg_graph *g, uint32_t n, const uint64_t *off, const uint32_t *adj,
                       const float *w, const uint8_t *neg, uint32_t stripe, uint32_t stride,
                       uint32_t first, uint64_t **boff, uint32_t **badj, float **bw,
                       uint8_t **bneg)
{
    uint64_t m = 0;
    for (uint64_t lo = (uint64_t)first * stripe; lo < n; lo += (uint64_t)stride * stripe) {
        const uint64_t hi = lo + stripe < n ? lo + stripe : n;
        m += off[hi] - off[lo];
    }
    *boff = wg_malloc((size_t)n + 1, sizeof **boff);
    *badj = wg_malloc(m ? m : 1, sizeof **badj);
    *bw = w ? wg_malloc(m ? m : 1, sizeof **bw) : NULL;
    *bneg = neg ? wg_malloc(m ? m : 1, 1) : NULL;
    if (!*boff || !*badj || (w && !*bw) || (neg && !*bneg)) {
        free(*boff);
        free(*badj);
        free(*bw);
        free(*bneg);
        *boff = NULL;
        *badj = NULL;
        *bw = NULL;
        *bneg = NULL;
        return -1;
    }
    uint64_t at = 0;   /* the block's arcs so far */
    (*boff)[0] = 0;
    for (uint32_t a = 0; a < n; a++) {
        if (stripe_owned(a, stripe, stride, first)) at += off[a + 1] - off[a];
        (*boff)[a + 1] = at;
    }
    release_mapped(g, off, ((size_t)n + 1) * sizeof *off);
    /* a mapped file's pages come in folios that may reach into the other
     * ranks' stripes: everything up to the end of each stripe is released */
    uint64_t done = 0;
    for (uint64_t lo = (uint64_t)first * stripe; lo < n; lo += (uint64_t)stride * stripe) {
        const uint64_t hi = lo + stripe < n ? lo + stripe : n;
        const uint64_t from = off[lo], k = off[hi] - from, to = (*boff)[lo];
        if (!k) continue;
        copy_out(g, *badj + to, adj + from, k * sizeof *adj);
        if (w) copy_out(g, *bw + to, w + from, k * sizeof *w);
        if (neg) memcpy(*bneg + to, neg + from, k);
        release_mapped(g, adj + done, (from + k - done) * sizeof *adj);
        if (w) release_mapped(g, w + done, (from + k - done) * sizeof *w);
        done = from + k;
    }
    release_mapped(g, adj + done, (off[n] - done) * sizeof *adj);
    if (w) release_mapped(g, w + done, (off[n] - done) * sizeof *w);
    release_mapped(g, off, ((size_t)n + 1) * sizeof *off);
    return 0;
}

wg_status wg_graph_stripes(const wg_graph *g, uint32_t stripe, uint32_t stride, uint32_t first,
                           int with_in, wg_graph **out, wg_diag *d)
{
    *out = NULL;
    WG_ASSERT(stripe > 0 && stride > 0 && first < stride);
    wg_graph *b = wg_calloc(1, sizeof *b);
    if (!b) goto nomem;
    b->n = g->n;
    b->directed = g->directed;
    if (stripe_rows(g, g->n, g->out_off, g->out_adj, g->out_w, g->out_neg, stripe, stride, first,
                    &b->out_off, &b->out_adj, &b->out_w, &b->out_neg))
        goto nomem;
    b->m = b->out_off[g->n];
    if (with_in && g->directed && g->in_off) {
        if (stripe_rows(g, g->n, g->in_off, g->in_adj, g->in_w, g->in_neg, stripe, stride, first,
                        &b->in_off, &b->in_adj, &b->in_w, &b->in_neg))
            goto nomem;
    } else if (!g->directed && g->in_off) {
        b->in_off = b->out_off;
        b->in_adj = b->out_adj;
        b->in_w = b->out_w;
        b->in_neg = b->out_neg;
    }
    if (g->label) {
        if (!(b->label = wg_malloc(g->n ? g->n : 1, sizeof *b->label))) goto nomem;
        copy_out(g, b->label, g->label, (size_t)g->n * sizeof *b->label);
    }
    *out = b;
    return WG_OK;
nomem:
    wg_graph_free(b);
    wg_diag_error(d, WG_ENOMEM, "out of memory: stripe %u of every %u of the network", first,
                  stride);
    return WG_ENOMEM;
}

wg_status wg_graph_transpose(wg_graph *g, wg_diag *d)
{
    if (g->in_off) return WG_OK;
    if (!g->directed) {
        g->in_off = g->out_off;
        g->in_adj = g->out_adj;
        g->in_w = g->out_w;
        g->in_neg = g->out_neg;
        return WG_OK;
    }
    uint64_t *off = wg_calloc((size_t)g->n + 1, sizeof *off);
    uint64_t *pos = wg_malloc((size_t)g->n + 1, sizeof *pos);
    uint32_t *adj = wg_malloc(g->m ? g->m : 1, sizeof *adj);
    float *w = g->out_w ? wg_malloc(g->m ? g->m : 1, sizeof *w) : NULL;
    uint8_t *neg = g->out_neg ? wg_malloc(g->m ? g->m : 1, 1) : NULL;
    if (!off || !pos || !adj || (g->out_w && !w) || (g->out_neg && !neg)) goto fail;
    for (uint64_t k = 0; k < g->m; k++) off[g->out_adj[k] + 1]++;
    for (uint32_t v = 0; v < g->n; v++) off[v + 1] += off[v];
    memcpy(pos, off, ((size_t)g->n + 1) * sizeof *pos);
    /* Sources visited in ascending order keep every in-row sorted. */
    for (uint32_t a = 0; a < g->n; a++)
        for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++) {
            uint64_t p = pos[g->out_adj[k]]++;
            adj[p] = a;
            if (w) w[p] = g->out_w[k];
            if (neg) neg[p] = g->out_neg[k];
        }
    free(pos);
    g->in_off = off;
    g->in_adj = adj;
    g->in_w = w;
    g->in_neg = neg;
    WG_ASSERT(wg_graph_valid(g));
    return WG_OK;
fail:
    free(off);
    free(pos);
    free(adj);
    free(w);
    free(neg);
    wg_diag_error(d, WG_ENOMEM, "network: out of memory building the transpose");
    return WG_ENOMEM;
}


/* Invariants 1 and 2 for one side (out or in) of g. */
static int rows_valid(uint32_t n, uint64_t m, const uint64_t *off, const uint32_t *adj)
{
    if (!off || !adj || off[0] != 0 || off[n] != m) return 0;
    for (uint32_t a = 0; a < n; a++) {
        if (off[a + 1] < off[a]) return 0;
        for (uint64_t k = off[a]; k < off[a + 1]; k++)
            if (adj[k] >= n || adj[k] == a || (k > off[a] && adj[k] <= adj[k - 1])) return 0;
    }
    return 1;
}

/* Every arc a -> b of the rows (off, adj, w, neg) is arc b -> a of (off2,
 * adj2, w2, neg2), same weight and sign. */
static int rows_mirror(uint32_t n, const uint64_t *off, const uint32_t *adj, const float *w,
                       const uint8_t *neg, const uint64_t *off2, const uint32_t *adj2,
                       const float *w2, const uint8_t *neg2)
{
    for (uint32_t a = 0; a < n; a++)
        for (uint64_t k = off[a]; k < off[a + 1]; k++) {
            uint32_t b = adj[k];
            uint64_t j = wg_graph_row_find(adj2, off2[b], off2[b + 1], a);
            if (j == off2[b + 1] || (w && w[k] != w2[j]) || (neg && neg[k] != neg2[j])) return 0;
        }
    return 1;
}

/*
 * O(n + m log(max degree)): one pass over the rows, then a binary search per
 * arc for its mirror (undirected) or its place in the transpose (directed).
 */
int wg_graph_valid(const wg_graph *g)
{
    if (!g || g->n == WG_MAX_AGENTS) return 0;
    if (!rows_valid(g->n, g->m, g->out_off, g->out_adj)) return 0;
    if (g->out_w)
        for (uint64_t k = 0; k < g->m; k++)
            if (!(g->out_w[k] > 0) || !isfinite(g->out_w[k])) return 0;
    if (g->out_neg)
        for (uint64_t k = 0; k < g->m; k++)
            if (g->out_neg[k] > 1) return 0;
    if (!g->directed && !rows_mirror(g->n, g->out_off, g->out_adj, g->out_w, g->out_neg, g->out_off,
                                     g->out_adj, g->out_w, g->out_neg))
        return 0;
    if (!g->in_off && !g->in_adj && !g->in_w && !g->in_neg) return 1;
    if (!g->directed)
        return g->in_off == g->out_off && g->in_adj == g->out_adj && g->in_w == g->out_w &&
               g->in_neg == g->out_neg;
    if (!rows_valid(g->n, g->m, g->in_off, g->in_adj) || !g->in_w != !g->out_w || !g->in_neg != !g->out_neg)
        return 0;
    /* m arcs each way and every out-arc found in the transpose: they are the same set */
    return rows_mirror(g->n, g->out_off, g->out_adj, g->out_w, g->out_neg, g->in_off, g->in_adj, g->in_w,
                       g->in_neg);
}
