/*
 * imm.c — reverse influence sampling for `waggle optimize --method imm`: IMM
 * (Tang, Shi & Xiao, SIGMOD 2015) on the RR sets of waggle/rrset.h.
 *
 * Design notes:
 *   1. The estimation phase (IMM's Algorithm 2) doubles its guess x = n / 2^i
 *      of the optimum until the greedy cover of θ_i RR sets proves
 *      n F(S_i) >= (1 + ε') x, which gives the lower bound LB = n F(S_i) /
 *      (1 + ε') of OPT; when no guess is proved LB = k (the paper's 1), as
 *      the k seeds reach themselves. ε' = √2 ε, λ' = (2 + 2ε'/3)(ln C(n,k)
 *      + ℓ ln n + ln log2 n) n / ε'^2, θ_i = λ' / x and λ* = 2n((1 - 1/e)α
 *      + β)^2 / ε^2 are the paper's equations (9), (5) and Algorithm 2.
 *   2. The selection phase draws θ = λ* / LB RR sets afresh (phase tag
 *      WG_IMM_FINAL_PHASE, independent of the estimation's sets): Chen (2018,
 *      "An issue in the martingale analysis of IMM") showed that reusing the
 *      estimation's sets, as the paper's Algorithm 1 does, breaks the proof;
 *      fresh sets restore the guarantee, spread(S) >= (1 - 1/e - ε) OPT with
 *      probability at least 1 - n^-ℓ.
 *   3. Node selection is greedy maximum coverage over an inverted index
 *      (agent -> its RR sets): pick the agent in most uncovered sets (ties:
 *      the lowest index), mark those sets covered, discount their agents.
 *      The counts only fall, so the agents wait in a max-heap whose stale
 *      entries are refreshed when they reach the top (lazy greedy): the same
 *      picks as a scan of every agent per pick, without its k × n cost.
 *   4. The cascade is waggle's `contact: once` with quality 1 and nothing
 *      else going on (wg_imm_check): an arc is tried once, by its talker's
 *      only talking step, with probability share.positive × weight; seeds
 *      placed at step t0 reach agents h hops away at the end of step
 *      t0 + h - 1, so the run counts paths of at most steps - t0 hops.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "waggle/optimize.h"
#include "waggle/rrset.h"

#define WG_IMM_FINAL_PHASE 0xFFFFu

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

wg_status wg_imm_check(const wg_scenario *s, int replace, wg_diag *d)
{
    const size_t errors = d->errors;
    const char *f = s->path;
    const wg_params *p = &s->model.p;
    if (s->model.contact != WG_CONTACT_ONCE)
        wg_diag_error(d, WG_EINPUT, "%s: --method imm needs an independent cascade (contact: "
                      "once), the scenario has contact: %s", f,
                      wg_contact_name(s->model.contact));
    if (s->model.exposure != WG_EXPOSURE_INDEPENDENT)
        wg_diag_error(d, WG_EINPUT, "%s: --method imm needs exposure: independent", f);
    if (p->v[WG_P_QUALITY] != 1)
        wg_diag_error(d, WG_EINPUT, "%s: --method imm needs quality: 1 (with critics the "
                      "cascade is IC-N, which RR sets do not sample); use --method greedy", f);
    if (p->v[WG_P_MEDIA_POS] != 0 || p->v[WG_P_MEDIA_NEG] != 0 || p->v[WG_P_FORGET] != 0)
        wg_diag_error(d, WG_EINPUT, "%s: --method imm needs media: 0 and forget: 0", f);
    if (s->nsegments)
        wg_diag_error(d, WG_EINPUT, "%s: --method imm needs a scenario without segments", f);
    for (size_t i = 0; i < s->nevents; i++)
        if ((int)i != replace) {
            wg_diag_error(d, WG_EINPUT, "%s: --method imm needs a timeline of one positive seed "
                          "event, the one it chooses; events[%zu] is a %s", f, i,
                          wg_event_kind_name(s->events[i].kind));
            break;
        }
    if (replace < 0)
        wg_diag_error(d, WG_EINPUT, "%s: --method imm chooses the agents of a positive seed "
                      "event; the scenario has none", f);
    return d->errors > errors ? WG_EINPUT : WG_OK;
}

/* The greedy cover's workspace (note 3), kept between the calls of one
 * selection and grown with the sets: set indices are below 2^32 (rrset.h). */
typedef struct cover_work {
    uint32_t n;
    uint64_t cap_nodes, cap_sets;
    uint32_t *count;      /* n: uncovered sets holding the agent */
    uint64_t *ioff;       /* n + 1: agent v's sets are iset[ioff[v] .. ioff[v + 1]) */
    uint32_t *iset;       /* cap_nodes */
    uint8_t *covered;     /* cap_sets */
    uint8_t *chosen;      /* n */
    uint64_t *heap;       /* n: max-heap of count << 32 | ~agent */
} cover_work;

static void cover_free(cover_work *w)
{
    free(w->count);
    free(w->ioff);
    free(w->iset);
    free(w->covered);
    free(w->chosen);
    free(w->heap);
    memset(w, 0, sizeof *w);
}

static int cover_alloc(cover_work *w, uint32_t n)
{
    w->n = n;
    w->count = wg_malloc(n, sizeof *w->count);
    w->ioff = wg_malloc((size_t)n + 1, sizeof *w->ioff);
    w->chosen = wg_malloc(n, 1);
    w->heap = wg_malloc(n, sizeof *w->heap);
    return w->count && w->ioff && w->chosen && w->heap;
}

/* Room for the index of r. */
static int cover_reserve(cover_work *w, const wg_rrsets *r)
{
    const uint64_t total = r->off[r->n];
    if (total > w->cap_nodes || !w->iset) {
        free(w->iset);
        w->cap_nodes = total + total / 2 + 1;
        if (!(w->iset = wg_malloc(w->cap_nodes, sizeof *w->iset))) return 0;
    }
    if (r->n > w->cap_sets || !w->covered) {
        free(w->covered);
        w->cap_sets = r->n + r->n / 2 + 1;
        if (!(w->covered = wg_malloc(w->cap_sets, 1))) return 0;
    }
    return 1;
}

/* The heap's order: more uncovered sets first, then the lower agent. */
static inline uint64_t heap_key(uint32_t count, uint32_t v)
{
    return (uint64_t)count << 32 | (uint32_t)~v;
}

static void sift_down(uint64_t *h, uint32_t len, uint32_t i)
{
    const uint64_t x = h[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= len) break;
        if (c + 1 < len && h[c + 1] > h[c]) c++;
        if (h[c] <= x) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* Greedy maximum coverage of r's sets by k agents into seeds (note 3); the
 * number of sets covered into *covered_out. The counts only fall, so a heap
 * entry whose count is stale is refreshed and sifted down rather than every
 * agent rescanned per pick (lazy greedy): the agent picked is still the one
 * in most uncovered sets, ties to the lowest index; when no agent is in an
 * uncovered set, the lowest agents not chosen. O(total + n + k + refreshes ×
 * log n). */
static wg_status cover(const wg_rrsets *r, cover_work *w, uint32_t k, uint32_t *seeds,
                       uint64_t *covered_out, wg_diag *d)
{
    const uint32_t n = w->n;
    const uint64_t total = r->off[r->n];
    if (!cover_reserve(w, r)) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: covering %llu RR sets",
                      (unsigned long long)r->n);
        return WG_ENOMEM;
    }
    memset(w->count, 0, (size_t)n * sizeof *w->count);
    memset(w->chosen, 0, n);
    memset(w->covered, 0, r->n);
    for (uint64_t x = 0; x < total; x++) w->count[r->node[x]]++;
    w->ioff[0] = 0;
    for (uint32_t v = 0; v < n; v++) w->ioff[v + 1] = w->ioff[v] + w->count[v];
    {
        uint64_t *fill = w->heap;   /* a cursor per agent until the heap is built */
        for (uint32_t v = 0; v < n; v++) fill[v] = w->ioff[v];
        for (uint64_t j = 0; j < r->n; j++)
            for (uint64_t x = r->off[j]; x < r->off[j + 1]; x++)
                w->iset[fill[r->node[x]]++] = (uint32_t)j;
    }
    uint32_t len = 0;
    for (uint32_t v = 0; v < n; v++)
        if (w->count[v]) w->heap[len++] = heap_key(w->count[v], v);
    for (uint32_t i = len / 2; i-- > 0;) sift_down(w->heap, len, i);
    uint64_t covered = 0;
    uint32_t lowest = 0;   /* below it every agent is chosen */
    for (uint32_t c = 0; c < k; c++) {
        uint32_t best = UINT32_MAX;
        while (len) {
            const uint32_t v = ~(uint32_t)w->heap[0];
            const uint32_t stored = (uint32_t)(w->heap[0] >> 32);
            if (w->count[v] == stored) {
                best = v;
                w->heap[0] = w->heap[--len];
                break;
            }
            if (w->count[v]) w->heap[0] = heap_key(w->count[v], v);
            else w->heap[0] = w->heap[--len];
            sift_down(w->heap, len, 0);
        }
        if (len && best != UINT32_MAX) sift_down(w->heap, len, 0);
        if (best == UINT32_MAX) {   /* every agent left covers nothing new */
            while (w->chosen[lowest]) lowest++;   /* k <= n: there is one */
            best = lowest;
        }
        seeds[c] = best;
        w->chosen[best] = 1;
        for (uint64_t x = w->ioff[best]; x < w->ioff[best + 1]; x++) {
            const uint32_t j = w->iset[x];
            if (w->covered[j]) continue;
            w->covered[j] = 1;
            covered++;
            for (uint64_t y = r->off[j]; y < r->off[j + 1]; y++) w->count[r->node[y]]--;
        }
    }
    *covered_out = covered;
    return WG_OK;
}

static double log_choose(double n, double k)
{
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

wg_status wg_imm_select(const wg_graph *g, double share, uint32_t hops, uint64_t seed,
                        uint32_t k, double eps, double ell, int threads, uint32_t *seeds,
                        wg_imm_result *res, wg_diag *d)
{
    const double t0 = now_seconds();
    const double n = g->n;
    memset(res, 0, sizeof *res);
    if (k < 1 || k > g->n || !(eps > 0 && eps < 1) || !(ell > 0) || g->n < 2) {
        wg_diag_error(d, WG_EINPUT, "IMM: k = %u of %u agents, epsilon %g, ell %g: expected 1 "
                      "<= k <= agents, 0 < epsilon < 1, ell > 0", k, g->n, eps, ell);
        return WG_EINPUT;
    }
    wg_rrsets r = {0};
    cover_work w = {0};
    wg_rr_model m = {g, share, hops, seed, 0};
    wg_status st = WG_OK;
    uint64_t covered = 0;
    double t;
    if (!cover_alloc(&w, g->n)) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: IMM on %u agents", g->n);
        st = WG_ENOMEM;
        goto done;
    }
    const double e1 = 1 - exp(-1);
    ell = ell * (1 + log(2) / log(n));   /* so that both phases together fail w.p. <= n^-ell */
    const double lc = log_choose(n, k);
    const double epsp = sqrt(2) * eps;
    const double lambda_p = (2 + 2.0 / 3 * epsp) * (lc + ell * log(n) + log(log2(n))) * n /
                            (epsp * epsp);
    /* k seeds reach themselves: OPT >= k, the bound when no guess is proved (note 1) */
    double lb = k;
    for (int i = 1; i < (int)log2(n); i++) {
        const double x = n / pow(2, i);
        const uint64_t theta = (uint64_t)ceil(lambda_p / x);
        t = now_seconds();
        if (theta > r.n && (st = wg_rrsets_sample(&m, r.n, theta - r.n, threads, &r, d)) != WG_OK)
            goto done;
        res->seconds_sampling += now_seconds() - t;
        t = now_seconds();
        if ((st = cover(&r, &w, k, seeds, &covered, d)) != WG_OK) goto done;
        res->seconds_cover += now_seconds() - t;
        const double est = n * (double)covered / (double)r.n;
        if (est >= (1 + epsp) * x) {
            lb = fmax(lb, est / (1 + epsp));
            break;
        }
    }
    res->rr_sets_estimation = r.n;
    const double alpha = sqrt(ell * log(n) + log(2));
    const double beta = sqrt(e1 * (lc + ell * log(n) + log(2)));
    const double lambda_s = 2 * n * pow(e1 * alpha + beta, 2) / (eps * eps);
    const uint64_t theta = (uint64_t)ceil(lambda_s / lb);
    /* note 2: the selection's sets are fresh */
    wg_rrsets_clear(&r);
    m.phase = WG_IMM_FINAL_PHASE;
    t = now_seconds();
    if ((st = wg_rrsets_sample(&m, 0, theta, threads, &r, d)) != WG_OK) goto done;
    res->seconds_sampling += now_seconds() - t;
    t = now_seconds();
    if ((st = cover(&r, &w, k, seeds, &covered, d)) != WG_OK) goto done;
    res->seconds_cover += now_seconds() - t;
    res->rr_sets = r.n;
    res->spread_est = n * (double)covered / (double)r.n;
    res->lower_bound = lb;
done:
    wg_rrsets_free(&r);
    cover_free(&w);
    res->seconds = now_seconds() - t0;
    return st;
}
