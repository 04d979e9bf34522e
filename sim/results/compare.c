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
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "waggle/compare.h"

/* Two-sided 95 %: the normal quantile and the t tail probability. */
#define WG_Z95 1.959963984540054
#define WG_T95_P 0.975

/* Each metric of compare.csv is a final figure of a run (its name and value
 * are series.c's), except sentiment: the summary metric at the last step. */
static const int cmp_final[WG_NCMP] = {WG_F_REACH_POS, WG_F_REACH_NEG, WG_F_PEAK_CRITICS, -1,
                                       WG_F_BLOWUP};

const char *wg_cmp_metric_name(int metric)
{
    if (metric == WG_CMP_SENTIMENT) return wg_metric_name(WG_M_SENTIMENT);
    return metric >= 0 && metric < WG_NCMP ? wg_final_metric_name(cmp_final[metric]) : "?";
}

int wg_cmp_direction(int metric, int blowup_valence)
{
    if (metric == WG_CMP_BLOWUP) return blowup_valence == WG_POS ? 1 : -1;
    return metric == WG_CMP_REACH_POS || metric == WG_CMP_SENTIMENT ? 1 : -1;
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
    wg_cmp_t_interval(v, k, &row->diff_mean, &row->diff_lo, &row->diff_hi);
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

void wg_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double p = (double)k / n, z2 = z * z;
    double centre = (p + z2 / (2.0 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    *lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = k == n ? 1.0 : fmin(1.0, centre + half);
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
