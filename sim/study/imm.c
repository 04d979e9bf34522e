/*
 * imm.c — reverse influence sampling for `waggle optimize --method imm`: IMM
 * (Tang, Shi & Xiao, SIGMOD 2015) on the RR sets of waggle/rrset.h.
 *
 * Design notes:
 *   1. The estimation phase (IMM's Algorithm 2) doubles its guess x = n / 2^i
 *      of the optimum until the greedy cover of θ_i RR sets proves
 *      n F(S_i) >= (1 + ε') x, which gives the lower bound LB of OPT.
 *   2. The selection phase draws θ = λ* / LB RR sets afresh (phase tag
 *      WG_IMM_FINAL_PHASE, independent of the estimation's sets): Chen (2018,
 *      "An issue in the martingale analysis of IMM") showed that reusing the
 *      estimation's sets, as the paper's Algorithm 1 does, breaks the proof;
 *      fresh sets restore the guarantee, spread(S) >= (1 - 1/e - ε) OPT with
 *      probability at least 1 - n^-ℓ.
 *   3. Node selection is greedy maximum coverage over an inverted index
 *      (agent -> its RR sets): pick the agent in most uncovered sets (ties:
 *      the lowest index), mark those sets covered, discount their agents.
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

/* Greedy maximum coverage of the sets by k agents (note 3) into seeds; returns
 * the number of sets covered. work: n counts + the inverted index. */
typedef struct cover_work {
    uint64_t *count;      /* n: uncovered sets holding the agent */
    uint64_t *ioff;       /* n + 1 */
    uint64_t *iset;       /* the sets of each agent */
    uint8_t *covered;     /* sets */
    uint8_t *chosen;      /* n */
} cover_work;

static wg_status cover(const wg_rrsets *r, uint32_t n, uint32_t k, uint32_t *seeds,
                       uint64_t *covered_out, wg_diag *d)
{
    cover_work w = {0};
    const uint64_t total = r->off[r->n];
    w.count = wg_calloc(n + 1, sizeof *w.count);
    w.ioff = wg_calloc((size_t)n + 1, sizeof *w.ioff);
    w.iset = wg_malloc(total ? total : 1, sizeof *w.iset);
    w.covered = wg_calloc(r->n ? r->n : 1, 1);
    w.chosen = wg_calloc(n, 1);
    if (!w.count || !w.ioff || !w.iset || !w.covered || !w.chosen) {
        free(w.count);
        free(w.ioff);
        free(w.iset);
        free(w.covered);
        free(w.chosen);
        wg_diag_error(d, WG_ENOMEM, "out of memory: covering %llu RR sets",
                      (unsigned long long)r->n);
        return WG_ENOMEM;
    }
    for (uint64_t x = 0; x < total; x++) w.count[r->node[x]]++;
    for (uint32_t v = 0; v < n; v++) w.ioff[v + 1] = w.ioff[v] + w.count[v];
    {
        uint64_t *fill = w.count;   /* reused as a cursor, then recounted */
        for (uint32_t v = 0; v < n; v++) fill[v] = w.ioff[v];
        for (uint64_t j = 0; j < r->n; j++)
            for (uint64_t x = r->off[j]; x < r->off[j + 1]; x++) w.iset[fill[r->node[x]]++] = j;
        for (uint32_t v = 0; v < n; v++) w.count[v] = w.ioff[v + 1] - w.ioff[v];
    }
    uint64_t covered = 0;
    for (uint32_t c = 0; c < k; c++) {
        uint32_t best = 0;
        while (w.chosen[best]) best++;   /* k <= n: there is one */
        for (uint32_t v = best + 1; v < n; v++)
            if (!w.chosen[v] && w.count[v] > w.count[best]) best = v;
        seeds[c] = best;
        w.chosen[best] = 1;
        for (uint64_t x = w.ioff[best]; x < w.ioff[best + 1]; x++) {
            uint64_t j = w.iset[x];
            if (w.covered[j]) continue;
            w.covered[j] = 1;
            covered++;
            for (uint64_t y = r->off[j]; y < r->off[j + 1]; y++) w.count[r->node[y]]--;
        }
    }
    free(w.chosen);
    free(w.count);
    free(w.ioff);
    free(w.iset);
    free(w.covered);
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
    wg_rr_model m = {g, share, hops, seed, 0};
    wg_status st = WG_OK;
    uint64_t covered = 0;
    const double e1 = 1 - exp(-1);
    ell = ell * (1 + log(2) / log(n));   /* so that both phases together fail w.p. <= n^-ell */
    const double lc = log_choose(n, k);
    const double epsp = sqrt(2) * eps;
    const double lambda_p = (2 + 2.0 / 3 * epsp) * (lc + ell * log(n) + log(log2(n))) * n /
                            (epsp * epsp);
    double lb = 1;
    for (int i = 1; i < (int)log2(n); i++) {
        const double x = n / pow(2, i);
        const uint64_t theta = (uint64_t)ceil(lambda_p / x);
        if (theta > r.n && (st = wg_rrsets_sample(&m, r.n, theta - r.n, threads, &r, d)) != WG_OK)
            goto done;
        if ((st = cover(&r, g->n, k, seeds, &covered, d)) != WG_OK) goto done;
        const double est = n * (double)covered / (double)r.n;
        if (est >= (1 + epsp) * x) {
            lb = est / (1 + epsp);
            break;
        }
    }
    const double alpha = sqrt(ell * log(n) + log(2));
    const double beta = sqrt(e1 * (lc + ell * log(n) + log(2)));
    const double lambda_s = 2 * n * pow(e1 * alpha + beta, 2) / (eps * eps);
    const uint64_t theta = (uint64_t)ceil(lambda_s / lb);
    /* note 2: the selection's sets are fresh */
    wg_rrsets_clear(&r);
    m.phase = WG_IMM_FINAL_PHASE;
    if ((st = wg_rrsets_sample(&m, 0, theta, threads, &r, d)) != WG_OK) goto done;
    if ((st = cover(&r, g->n, k, seeds, &covered, d)) != WG_OK) goto done;
    res->rr_sets = r.n;
    res->spread_est = n * (double)covered / (double)r.n;
    res->lower_bound = lb;
done:
    wg_rrsets_free(&r);
    res->seconds = now_seconds() - t0;
    return st;
}
