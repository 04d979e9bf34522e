/*
 * compare.c — statistics of what-if comparisons: per-run figures, paired
 * differences with a t interval (GSL), the share of better run pairs, and
 * blow-up shares with Wilson intervals.
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

static const char *const cmp_names[WG_NCMP] = {"reach_positive", "reach_negative",
                                               "peak_critics", "sentiment", "blowup"};

const char *wg_cmp_metric_name(int metric)
{
    return metric >= 0 && metric < WG_NCMP ? cmp_names[metric] : "?";
}

int wg_cmp_direction(int metric)
{
    return metric == WG_CMP_REACH_POS || metric == WG_CMP_SENTIMENT ? 1 : -1;
}

double wg_cmp_value(const wg_results *r, uint32_t run, int metric, double blowup_fraction)
{
    return wg_cmp_value_v(r, run, metric, blowup_fraction, WG_NEG);
}

int wg_cmp_direction_v(int metric, int blowup_valence)
{
    return metric == WG_CMP_BLOWUP && blowup_valence == WG_POS ? 1 : wg_cmp_direction(metric);
}

double wg_cmp_value_v(const wg_results *r, uint32_t run, int metric, double blowup_fraction,
                      int blowup_valence)
{
    wg_final f;
    wg_final_of(r, run, &f);
    switch (metric) {
    case WG_CMP_REACH_POS: return f.reach_pos;
    case WG_CMP_REACH_NEG: return f.reach_neg;
    case WG_CMP_PEAK_CRITICS: return f.peak_critics;
    case WG_CMP_SENTIMENT: return wg_metric_value(r, run, r->steps - 1, WG_M_SENTIMENT);
    case WG_CMP_BLOWUP:
        return (blowup_valence == WG_POS ? f.reach_pos : f.reach_neg) > blowup_fraction * r->agents
                   ? 1.0
                   : 0.0;
    default: return NAN;
    }
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
static size_t pairs_of(const wg_results *base, double bb, const wg_results *var, double vb,
                       int val, int metric, double *b, double *v)
{
    uint32_t n = base->runs < var->runs ? base->runs : var->runs;
    size_t k = 0;
    for (uint32_t run = 0; run < n; run++) {
        double x = wg_cmp_value_v(base, run, metric, bb, val);
        double y = wg_cmp_value_v(var, run, metric, vb, val);
        if (!isfinite(x) || !isfinite(y)) continue;
        b[k] = x;
        v[k] = y;
        k++;
    }
    return k;
}

void wg_cmp_paired(const wg_results *base, double base_blowup, const wg_results *variant,
                   double variant_blowup, int metric, double *work, wg_cmp_row *row)
{
    wg_cmp_paired_v(base, base_blowup, variant, variant_blowup, WG_NEG, metric, work, row);
}

void wg_cmp_paired_v(const wg_results *base, double base_blowup, const wg_results *variant,
                     double variant_blowup, int blowup_valence, int metric, double *work,
                     wg_cmp_row *row)
{
    uint32_t n = base->runs < variant->runs ? base->runs : variant->runs;
    double *b = work, *v = work + n;
    size_t k = pairs_of(base, base_blowup, variant, variant_blowup, blowup_valence, metric, b, v);
    const int dir = wg_cmp_direction_v(metric, blowup_valence);
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

void wg_cmp_unpaired(const wg_results *base, double base_blowup, const wg_results *variant,
                     double variant_blowup, int metric, double *work, double *lo, double *hi)
{
    uint32_t n = base->runs < variant->runs ? base->runs : variant->runs;
    double *b = work, *v = work + n;
    size_t k = pairs_of(base, base_blowup, variant, variant_blowup, WG_NEG, metric, b, v);
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

void wg_blowup_of(const wg_results *r, double threshold, wg_blowup *b)
{
    wg_blowup_of_v(r, threshold, WG_NEG, b);
}

void wg_blowup_of_v(const wg_results *r, double threshold, int valence, wg_blowup *b)
{
    memset(b, 0, sizeof *b);
    b->valence = valence;
    b->threshold = threshold;
    b->agents_over = threshold * r->agents;
    b->runs = r->runs;
    for (uint32_t run = 0; run < r->runs; run++)
        b->count += wg_cmp_value_v(r, run, WG_CMP_BLOWUP, threshold, valence) > 0;
    b->share = r->runs ? (double)b->count / r->runs : NAN;
    wg_wilson(b->count, b->runs, WG_Z95, &b->lo, &b->hi);
}

void wg_blowup_print(FILE *f, const wg_blowup *b)
{
    fprintf(f, "blow-ups: %u of %u runs (%.1f %%, 95 %% Wilson interval %.1f-%.1f %%) ended with "
            "%s reach above %g %% of agents (%g)\n", b->count, b->runs, 100 * b->share,
            100 * b->lo, 100 * b->hi, b->valence == WG_POS ? "positive" : "negative",
            100 * b->threshold, b->agents_over);
}
