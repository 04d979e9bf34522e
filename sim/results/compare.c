/*
 * compare.c — statistics of what-if comparisons: per-run figures, paired
 * differences with a t interval (GSL), the share of better run pairs, and
 * blow-up shares with Wilson intervals. Owns the vocabulary of compare.csv's
 * metrics, whose names and values are series.c's final figures (and its
 * sentiment metric): no name is spelled here.
 *
 * Invariant: every figure is a pure function of the counts it is given, in
 * run order, so the same runs give the same bytes in compare.csv on every
 * machine and thread count. Nothing here allocates: callers pass workspace.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "waggle/compare.h"
#include "waggle/rng.h"

/* Two-sided 95 %: the t tail probability (WG_Z95, the normal quantile, is compare.h's);
 * the bootstrap's percentiles and the tail compared. */
#define WG_T95_P 0.975
#define WG_BOOT_LO 0.025
#define WG_BOOT_HI 0.975
#define WG_TAIL_Q 0.95

/* Each metric of compare.csv is a final figure of a run (its name and value
 * are series.c's), except sentiment: the summary metric at the last step. */
static const int cmp_final[WG_NCMP] = {WG_F_REACH_POS, WG_F_REACH_NEG, WG_F_PEAK_CRITICS, -1,
                                       WG_F_BLOWUP};

/* compare's own rows (enum wg_cmp_extra): the one place these names are spelled. */
static const char *const cmp_extra_name[WG_NCMP_ROWS - WG_NCMP] = {"reach_negative_p95", "saved",
                                                                   "lost"};

const char *wg_cmp_metric_name(int metric)
{
    if (metric == WG_CMP_SENTIMENT) return wg_metric_name(WG_M_SENTIMENT);
    if (metric >= WG_NCMP && metric < WG_NCMP_ROWS) return cmp_extra_name[metric - WG_NCMP];
    return metric >= 0 && metric < WG_NCMP ? wg_final_metric_name(cmp_final[metric]) : "?";
}

int wg_cmp_direction(int metric, int blowup_valence)
{
    if (metric == WG_CMP_BLOWUP) return blowup_valence == WG_POS ? 1 : -1;
    return metric == WG_CMP_REACH_POS || metric == WG_CMP_SENTIMENT || metric == WG_CMP_SAVED
               ? 1
               : -1;
}

double wg_cmp_value(const wg_results *r, uint32_t run, int metric, const wg_blowup_rule *rule)
{
    if (metric == WG_CMP_SENTIMENT) return wg_metric_value(r, run, r->steps - 1, WG_M_SENTIMENT);
    if (metric < 0 || metric >= WG_NCMP) return NAN;
    double v[WG_NFINALS];
    wg_final_values(r, run, rule, v);
    return v[cmp_final[metric]];
}

void wg_cmp_t_interval(const double *x, size_t n, double *mean, double *lo, double *hi)
{
    if (n == 0) {
        *mean = *lo = *hi = NAN;
        return;
    }
    *mean = gsl_stats_mean(x, 1, n);
    if (n < 2) {
        *lo = *hi = NAN;
        return;
    }
    double sd = gsl_stats_sd_m(x, 1, n, *mean);
    double half = gsl_cdf_tdist_Pinv(WG_T95_P, (double)(n - 1)) * sd / sqrt((double)n);
    *lo = *mean - half;
    *hi = *mean + half;
}

/* The finite pairs of metric m into b[0..k) and v[0..k); returns k. */
static size_t pairs_of(const wg_results *base, const wg_blowup_rule *br, const wg_results *var,
                       const wg_blowup_rule *vr, int metric, double *b, double *v)
{
    uint32_t n = base->runs < var->runs ? base->runs : var->runs;
    size_t k = 0;
    for (uint32_t run = 0; run < n; run++) {
        double x = wg_cmp_value(base, run, metric, br);
        double y = wg_cmp_value(var, run, metric, vr);
        if (!isfinite(x) || !isfinite(y)) continue;
        b[k] = x;
        v[k] = y;
        k++;
    }
    return k;
}

void wg_cmp_paired(const wg_results *base, const wg_blowup_rule *base_rule,
                   const wg_results *variant, const wg_blowup_rule *variant_rule, int metric,
                   double *work, wg_cmp_row *row)
{
    uint32_t n = base->runs < variant->runs ? base->runs : variant->runs;
    double *b = work, *v = work + n;
    size_t k = pairs_of(base, base_rule, variant, variant_rule, metric, b, v);
    const int dir = wg_cmp_direction(metric, base_rule->valence);
    double better = 0;
    memset(row, 0, sizeof *row);
    row->pairs = (uint32_t)k;
    row->base_mean = k ? gsl_stats_mean(b, 1, k) : NAN;
    row->variant_mean = k ? gsl_stats_mean(v, 1, k) : NAN;
    for (size_t i = 0; i < k; i++) {
        double dx = dir * (v[i] - b[i]);
        better += dx > 0 ? 1.0 : dx == 0 ? 0.5 : 0.0;
        v[i] -= b[i];   /* v now holds the paired differences */
    }
    row->p_better = k ? better / (double)k : NAN;
    row->p_better_lo = row->p_better_hi = NAN;
    if (k) wg_wilson_share(row->p_better, (uint32_t)k, WG_Z95, &row->p_better_lo, &row->p_better_hi);
    wg_cmp_t_interval(v, k, &row->diff_mean, &row->diff_lo, &row->diff_hi);
}

/* The 95th percentile of x[0..k) (sorted in place). */
static double tail_of(double *x, size_t k)
{
    gsl_sort(x, 1, k);
    return gsl_stats_quantile_from_sorted_data(x, 1, k, WG_TAIL_Q);
}

void wg_cmp_p95(const wg_results *base, const wg_blowup_rule *base_rule,
                const wg_results *variant, const wg_blowup_rule *variant_rule, uint64_t key,
                double *work, wg_cmp_row *row)
{
    uint32_t n = base->runs < variant->runs ? base->runs : variant->runs;
    double *b = work, *v = work + n, *rb = work + 2 * (size_t)n, *rv = work + 3 * (size_t)n;
    double *boot = work + 4 * (size_t)n;
    size_t k = pairs_of(base, base_rule, variant, variant_rule, WG_CMP_REACH_NEG, b, v);
    row->pairs = (uint32_t)k;
    row->base_mean = row->variant_mean = row->diff_mean = row->diff_lo = row->diff_hi = NAN;
    row->p_better = row->p_better_lo = row->p_better_hi = NAN;
    if (!k) return;
    memcpy(rb, b, k * sizeof *rb);
    memcpy(rv, v, k * sizeof *rv);
    row->base_mean = tail_of(rb, k);
    row->variant_mean = tail_of(rv, k);
    row->diff_mean = row->variant_mean - row->base_mean;
    if (k < 2) return;
    for (uint32_t rep = 0; rep < WG_CMP_BOOTSTRAPS; rep++) {
        wg_rand4 w = {{0}};
        for (size_t i = 0; i < k; i++) {
            if (i % 4 == 0) w = wg_rng(key, rep, 0, WG_R_BOOTSTRAP, i / 4);
            uint32_t j = wg_below(w.v[i % 4], (uint32_t)k);
            rb[i] = b[j];
            rv[i] = v[j];
        }
        boot[rep] = tail_of(rv, k) - tail_of(rb, k);
    }
    gsl_sort(boot, 1, WG_CMP_BOOTSTRAPS);
    row->diff_lo = gsl_stats_quantile_from_sorted_data(boot, 1, WG_CMP_BOOTSTRAPS, WG_BOOT_LO);
    row->diff_hi = gsl_stats_quantile_from_sorted_data(boot, 1, WG_CMP_BOOTSTRAPS, WG_BOOT_HI);
}

void wg_cmp_saved_lost(const uint64_t *base, const uint64_t *variant, size_t words,
                       uint32_t *saved, uint32_t *lost)
{
    uint64_t s = 0, l = 0;
    for (size_t i = 0; i < words; i++) {
        s += (uint64_t)__builtin_popcountll(base[i] & ~variant[i]);
        l += (uint64_t)__builtin_popcountll(variant[i] & ~base[i]);
    }
    *saved = (uint32_t)s;
    *lost = (uint32_t)l;
}

void wg_cmp_figure(const double *x, size_t n, wg_cmp_row *row)
{
    row->pairs = (uint32_t)n;
    row->base_mean = row->variant_mean = NAN;
    row->p_better = row->p_better_lo = row->p_better_hi = NAN;
    wg_cmp_t_interval(x, n, &row->diff_mean, &row->diff_lo, &row->diff_hi);
}

void wg_cmp_step(const wg_results *base, const wg_results *variant, uint32_t step, int metric,
                 double *work, double *mean, double *lo, double *hi)
{
    uint32_t n = base->runs < variant->runs ? base->runs : variant->runs;
    size_t k = 0;
    for (uint32_t run = 0; run < n; run++) {
        double x = wg_metric_value(base, run, step, metric);
        double y = wg_metric_value(variant, run, step, metric);
        if (isfinite(x) && isfinite(y)) work[k++] = y - x;
    }
    wg_cmp_t_interval(work, k, mean, lo, hi);
}

void wg_cmp_unpaired(const wg_results *base, const wg_blowup_rule *base_rule,
                     const wg_results *variant, const wg_blowup_rule *variant_rule, int metric,
                     double *work, double *lo, double *hi)
{
    uint32_t n = base->runs < variant->runs ? base->runs : variant->runs;
    double *b = work, *v = work + n;
    size_t k = pairs_of(base, base_rule, variant, variant_rule, metric, b, v);
    *lo = *hi = NAN;
    if (k < 2) return;
    double mb = gsl_stats_mean(b, 1, k), mv = gsl_stats_mean(v, 1, k);
    double sb2 = gsl_stats_variance_m(b, 1, k, mb) / k, sv2 = gsl_stats_variance_m(v, 1, k, mv) / k;
    double se = sqrt(sb2 + sv2);
    /* Welch–Satterthwaite degrees of freedom (k - 1 when both variances vanish) */
    double df = se > 0 ? (sb2 + sv2) * (sb2 + sv2) / ((sb2 * sb2 + sv2 * sv2) / (k - 1.0)) : k - 1.0;
    double half = gsl_cdf_tdist_Pinv(WG_T95_P, df) * se;
    *lo = mv - mb - half;
    *hi = mv - mb + half;
}

void wg_wilson_share(double p, uint32_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double z2 = z * z;
    double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    *lo = p <= 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = p >= 1 ? 1.0 : fmin(1.0, centre + half);
}

void wg_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi)
{
    wg_wilson_share(n ? (double)k / n : 0, n, z, lo, hi);
}

void wg_blowup_of(const wg_results *r, const wg_blowup_rule *rule, wg_blowup *b)
{
    memset(b, 0, sizeof *b);
    b->rule = *rule;
    b->agents_over = rule->threshold * r->agents;
    b->runs = r->runs;
    for (uint32_t run = 0; run < r->runs; run++) {
        b->count += wg_blowup_run(rule, r, run);
    }
    b->share = r->runs ? (double)b->count / r->runs : NAN;
    wg_wilson(b->count, b->runs, WG_Z95, &b->lo, &b->hi);
}

void wg_blowup_print(FILE *f, const wg_blowup *b)
{
    fprintf(f, "blow-ups: %u of %u runs (%.1f %%, 95 %% Wilson interval %.1f-%.1f %%) ended with "
            "%s reach above %g %% of agents (%g)\n", b->count, b->runs, 100 * b->share,
            100 * b->lo, 100 * b->hi, b->rule.valence == WG_POS ? "positive" : "negative",
            100 * b->rule.threshold, b->agents_over);
}
