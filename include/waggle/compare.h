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
/* Rows of compare.csv after the WG_NCMP paired metrics, in this order: figures
 * of the whole set of run pairs (the tail) or per pair that are not one run's
 * value. */
enum wg_cmp_extra {
    WG_CMP_REACH_NEG_P95 = WG_NCMP, /* 95th percentile of final negative reach over runs (GSL's
                                       linear interpolation), the difference variant - base with
                                       a keyed bootstrap interval (wg_cmp_p95): lower is better */
    WG_CMP_SAVED,          /* per run pair: agents negative at the end of the base's run and not
                              of the variant's (wg_cmp_saved_lost): higher is better */
    WG_CMP_LOST,           /* per run pair: the reverse, negative in the variant only: lower is better */
    WG_NCMP_ROWS
};

/* "reach_positive", "reach_negative", "peak_critics", "sentiment", "blowup":
 * the names of the final figures and of the summary metric they are (output.h);
 * then compare's own "reach_negative_p95", "saved", "lost"; "?" beyond. */
const char *wg_cmp_metric_name(int metric);
/* +1 when more is better for the metric, -1 when less is; blowup_valence is
 * the blow-up rule's (a take-off, WG_POS, is better when more). */
int wg_cmp_direction(int metric, int blowup_valence);

/* Value of a metric (below WG_NCMP) in one run, blow-ups counted under rule;
 * NaN for the other rows. */
double wg_cmp_value(const wg_results *r, uint32_t run, int metric, const wg_blowup_rule *rule);

/* One row of compare.csv. Over the run pairs 0 .. min(runs) - 1 where both
 * values are finite (sentiment leaves out runs that reached nobody):
 * the two means, the mean paired difference (variant - base) with its 95 %
 * t interval (NaN bounds with fewer than 2 pairs; lo = hi when every
 * difference is equal), and p_better, the share of pairs in which the
 * variant is better (ties count half), with its Wilson 95 % interval
 * (wg_wilson_share over the pairs). Rows of a figure that has no base and
 * variant value or no better pair (enum wg_cmp_extra) hold NaN there. */
typedef struct wg_cmp_row {
    double base_mean, variant_mean, diff_mean, diff_lo, diff_hi, p_better;
    double p_better_lo, p_better_hi;
    uint32_t pairs;
} wg_cmp_row;

/* Compare metric m of variant against base, the blow-ups of each arm
 * counted under its own rule (a variant may change blowup.threshold; both
 * rules should have the base's valence, which sets the direction).
 * work holds 2 × min(runs) doubles. */
void wg_cmp_paired(const wg_results *base, const wg_blowup_rule *base_rule,
                   const wg_results *variant, const wg_blowup_rule *variant_rule, int metric,
                   double *work, wg_cmp_row *row);

/* The reach_negative_p95 row: base_mean and variant_mean the 95th
 * percentiles of final negative reach of the two arms over the finite run
 * pairs, diff_mean their difference (variant - base), and its 95 % bootstrap
 * percentile interval: WG_CMP_BOOTSTRAPS resamples of the pairs (a pair is
 * drawn whole, so the resample keeps the pairing), resample b drawing pair
 * i with word i % 4 of wg_rng(key, b, 0, WG_R_BOOTSTRAP, i / 4); key is the
 * scenario's seed, so the interval is a pure function of the counts and the
 * seed (the same bytes at any thread count). NaN bounds below 2 pairs;
 * p_better columns NaN. work holds 4 × min(runs) + WG_CMP_BOOTSTRAPS doubles.
 * O(WG_CMP_BOOTSTRAPS × k log k) for k pairs. */
#define WG_CMP_BOOTSTRAPS 2000
void wg_cmp_p95(const wg_results *base, const wg_blowup_rule *base_rule,
                const wg_results *variant, const wg_blowup_rule *variant_rule, uint64_t key,
                double *work, wg_cmp_row *row);

/* Agents of run pair r lost and saved, agent by agent: *saved the agents set
 * in base (negative at the end of the base's run) and not in variant, *lost
 * the reverse, over `words` words of the bitsets of wg_job_negative. Then
 * saved - lost = reach_negative(base) - reach_negative(variant) exactly. */
void wg_cmp_saved_lost(const uint64_t *base, const uint64_t *variant, size_t words,
                       uint32_t *saved, uint32_t *lost);

/* A row of per-pair figures x[0..n) (saved or lost): diff_mean their mean with
 * its 95 % t interval, pairs = n, the other columns NaN. */
void wg_cmp_figure(const double *x, size_t n, wg_cmp_row *row);

/* One row of compare-series.csv: the paired difference (variant - base) of
 * summary metric `metric` (enum wg_metric) at step `step`, over the run pairs
 * whose values are both finite: mean and 95 % t interval. work holds
 * min(runs) doubles. */
void wg_cmp_step(const wg_results *base, const wg_results *variant, uint32_t step, int metric,
                 double *work, double *mean, double *lo, double *hi);

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
/* The same for a share p of n trials that need not be a whole count over n
 * (p_better counts a tie half): p = 0 gives lo = 0, p = 1 hi = 1. */
void wg_wilson_share(double p, uint32_t n, double z, double *lo, double *hi);
#define WG_Z95 1.959963984540054   /* the two-sided 95 % normal quantile */

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
