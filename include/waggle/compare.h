/*
 * waggle/compare.h — what-if comparisons and blow-up statistics: the
 * per-run figures `waggle compare` pairs, paired differences with their 95 %
 * t interval, the share of run pairs where a variant does better, and the
 * share of runs that blow up with its Wilson interval (DESIGN.md, Outputs).
 *
 * Pairs: run r of the base and run r of a variant use the same keyed random
 * numbers (common random numbers), so the difference of run r is the
 * lever's effect in that run; the spread of these differences, not of the
 * two samples, makes the interval.
 */
#ifndef WAGGLE_COMPARE_H
#define WAGGLE_COMPARE_H

#include "waggle/common.h"
#include "waggle/output.h"

/* Metrics of compare.csv, in the order they are written. */
enum wg_cmp_metric {
    WG_CMP_REACH_POS,      /* reach_positive at the last step: higher is better */
    WG_CMP_REACH_NEG,      /* reach_negative at the last step: lower is better */
    WG_CMP_PEAK_CRITICS,   /* most critics at once: lower is better */
    WG_CMP_SENTIMENT,      /* sentiment at the last step (NaN when nobody is reached): higher is better */
    WG_CMP_BLOWUP,         /* 1 when the run blows up (wg_blowup_test), else 0: lower is better,
                              higher for a take-off (blowup.valence positive) */
    WG_NCMP
};

/* "reach_positive", "reach_negative", "peak_critics", "sentiment", "blowup":
 * the names of the final figures and of the summary metric they are (output.h). */
const char *wg_cmp_metric_name(int metric);
/* +1 when more is better for the metric, -1 when less is; blowup_valence is
 * the blow-up rule's (a take-off, WG_POS, is better when more). */
int wg_cmp_direction(int metric, int blowup_valence);

/* Value of a metric in one run, blow-ups counted under rule. */
double wg_cmp_value(const wg_results *r, uint32_t run, int metric, const wg_blowup_rule *rule);

/* One row of compare.csv. Over the run pairs 0 .. min(runs) - 1 where both
 * values are finite (sentiment leaves out runs that reached nobody):
 * the two means, the mean paired difference (variant - base) with its 95 %
 * t interval (NaN bounds with fewer than 2 pairs; lo = hi when every
 * difference is equal), and p_better, the share of pairs in which the
 * variant is better (ties count half). */
typedef struct wg_cmp_row {
    double base_mean, variant_mean, diff_mean, diff_lo, diff_hi, p_better;
    uint32_t pairs;
} wg_cmp_row;

/* Compare metric m of variant against base, the blow-ups of each arm
 * counted under its own rule (a variant may change blowup.threshold; both
 * rules should have the base's valence, which sets the direction).
 * work holds 2 × min(runs) doubles. */
void wg_cmp_paired(const wg_results *base, const wg_blowup_rule *base_rule,
                   const wg_results *variant, const wg_blowup_rule *variant_rule, int metric,
                   double *work, wg_cmp_row *row);

/* The 95 % interval of the same difference of means as if the runs were
 * not paired (Welch's t interval): what common random numbers save. */
void wg_cmp_unpaired(const wg_results *base, const wg_blowup_rule *base_rule,
                     const wg_results *variant, const wg_blowup_rule *variant_rule, int metric,
                     double *work, double *lo, double *hi);

/* 95 % t interval of the mean of x[0..n): mean ± t(0.975, n-1) × sd / sqrt(n). */
void wg_cmp_t_interval(const double *x, size_t n, double *mean, double *lo, double *hi);

/* Wilson score interval of a proportion k / n at normal quantile z
 * (1.959964 for 95 %); n = 0 gives [0, 1]. */
void wg_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi);

/* Blow-ups of a set of runs: runs that blow up under the rule (negative
 * reach at the last step above threshold × agents; positive reach, the
 * take-offs, with valence WG_POS), their share and its Wilson 95 % interval. */
typedef struct wg_blowup {
    wg_blowup_rule rule;  /* the rule counted under */
    double agents_over;   /* threshold × agents: the reach to exceed */
    uint32_t runs, count;
    double share, lo, hi;
} wg_blowup;
void wg_blowup_of(const wg_results *r, const wg_blowup_rule *rule, wg_blowup *b);

/* "blow-ups: K of N runs (S %, 95 % Wilson interval LO-HI %) ..." on one line. */
void wg_blowup_print(FILE *f, const wg_blowup *b);

#endif
