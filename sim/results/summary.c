/*
 * summary.c — statistics of a sample of runs (mean, sd and quantiles, with
 * GSL) and summary.csv, the statistics of every metric at every step.
 *
 * Invariant: a statistic depends only on the values given, never on their
 * order (they are sorted first), and NaNs are left out, so summary.csv has
 * the same bytes on every machine and thread count.
 */
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "waggle/output.h"

void wg_stats_of(const double *x, size_t n, double *work, wg_stats *s)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) work[m++] = x[i];
    s->n = m;
    if (m == 0) {
        s->mean = s->sd = s->p05 = s->p25 = s->p50 = s->p75 = s->p95 = NAN;
        return;
    }
    gsl_sort(work, 1, m);
    s->mean = gsl_stats_mean(work, 1, m);
    s->sd = m > 1 ? gsl_stats_sd_m(work, 1, m, s->mean) : 0.0;
    s->p05 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.05);
    s->p25 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.25);
    s->p50 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.50);
    s->p75 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.75);
    s->p95 = gsl_stats_quantile_from_sorted_data(work, 1, m, 0.95);
}

static void write_stats(FILE *f, const wg_stats *s)
{
    const double v[7] = {s->mean, s->sd, s->p05, s->p25, s->p50, s->p75, s->p95};
    for (int i = 0; i < 7; i++) {
        fputc(',', f);
        wg_csv_double(f, v[i]);
    }
    fputc('\n', f);
}

wg_status wg_write_summary(const char *dir, const wg_results *r, wg_diag *d)
{
    double *x = wg_malloc(r->runs, sizeof *x), *work = wg_malloc(r->runs, sizeof *work);
    /* the cumulative exposures as running sums, per run (wg_metric_value's
     * sum from step 0 would make the file quadratic in steps) */
    double *cum = wg_calloc(2 * (size_t)r->runs, sizeof *cum);
    if (!x || !work || !cum) {
        free(x);
        free(work);
        free(cum);
        wg_diag_error(d, WG_ENOMEM, "out of memory: summary of %u runs", r->runs);
        return WG_ENOMEM;
    }
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "summary.csv", d);
    if (st == WG_OK) {
        fputs("step,metric,mean,sd,p05,p25,p50,p75,p95\n", o.f);
        for (uint32_t t = 0; t < r->steps && !wg_stopped(); t++)   /* commit says why */
            for (int m = 0; m < WG_NMETRICS; m++) {
                for (uint32_t run = 0; run < r->runs; run++) {
                    if (m == WG_M_CUM_EXPOSURES_POS || m == WG_M_CUM_EXPOSURES_NEG) {
                        double *c = &cum[2 * (size_t)run + (m == WG_M_CUM_EXPOSURES_NEG)];
                        *c += wg_metric_value(r, run, t, m == WG_M_CUM_EXPOSURES_POS
                                                             ? WG_M_EXPOSURES_POS
                                                             : WG_M_EXPOSURES_NEG);
                        x[run] = *c;
                    } else {
                        x[run] = wg_metric_value(r, run, t, m);
                    }
                }
                wg_stats s;
                wg_stats_of(x, r->runs, work, &s);
                fprintf(o.f, "%u,%s", t, wg_metric_name(m));
                write_stats(o.f, &s);
            }
        st = wg_out_commit(&o, d);
    }
    free(x);
    free(work);
    free(cum);
    return st;
}

