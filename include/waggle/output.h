/*
 * waggle/output.h — the files a run writes (DESIGN.md, "Outputs"):
 * series.csv, summary.csv, finals.csv, manifest.yaml.
 *
 * Every file is written to a hidden temporary name in the output folder,
 * flushed, synced and renamed when complete, so a killed run never leaves a
 * half-written file under a real name.
 */
#ifndef WAGGLE_OUTPUT_H
#define WAGGLE_OUTPUT_H

#include "waggle/common.h"
#include "waggle/engine.h"

/* A file being written: wg_out_open, write to ->f, then wg_out_commit or wg_out_abort. */
typedef struct wg_out {
    FILE *f;
    char *tmp;     /* ".NAME.tmp.PID" in the folder */
    char *path;    /* the real name */
} wg_out;

/* Create dir and its parents when missing (mode 0777 & ~umask). */
wg_status wg_mkdir_p(const char *dir, wg_diag *d);
wg_status wg_out_open(wg_out *o, const char *dir, const char *name, wg_diag *d);
/* Flush, fsync, close and rename; on any failure the temporary file is removed. */
wg_status wg_out_commit(wg_out *o, wg_diag *d);
/* Close and remove the temporary file (after an error). Harmless on a closed wg_out. */
void wg_out_abort(wg_out *o);

/* The counts of many runs (see wg_engine_run). */
typedef struct wg_results {
    uint32_t runs, steps;
    uint32_t agents;
    uint32_t *counts;      /* runs × steps × WG_NCOUNTS */
    uint32_t *steps_run;   /* runs */
} wg_results;

wg_status wg_results_alloc(wg_results *r, uint32_t runs, uint32_t steps, uint32_t agents,
                           wg_diag *d);
void wg_results_free(wg_results *r);

/* Metrics of summary.csv, in the order they are written. */
enum wg_metric {
    WG_M_UNAWARE, WG_M_ADVOCATES, WG_M_CRITICS, WG_M_SUPPORTERS, WG_M_REJECTERS, WG_M_IMMUNE,
    WG_M_REACH_POS, WG_M_REACH_NEG, WG_M_NEW_POS, WG_M_NEW_NEG, WG_M_SENTIMENT,
    WG_NMETRICS
};
const char *wg_metric_name(int metric);
int wg_metric_from_name(const char *name);   /* -1 if unknown */
/* Value of a metric in one run at one step (NaN for sentiment when nobody is reached). */
double wg_metric_value(const wg_results *r, uint32_t run, uint32_t step, int metric);

/* One run's final figures (finals.csv). */
typedef struct wg_final {
    uint32_t reach_pos, reach_neg, peak_critics, peak_step, steps;
} wg_final;
void wg_final_of(const wg_results *r, uint32_t run, wg_final *f);

/* Summary statistics of a sample (NaNs are left out): mean, sd (n - 1), and
 * quantiles p05 p25 p50 p75 p95 (GSL, linear interpolation). `work` holds n
 * doubles and is overwritten. n_used receives how many values were finite. */
typedef struct wg_stats {
    double mean, sd, p05, p25, p50, p75, p95;
    size_t n;
} wg_stats;
void wg_stats_of(const double *x, size_t n, double *work, wg_stats *s);

/* Write the CSV files into dir. */
wg_status wg_write_series(const char *dir, const wg_results *r, wg_diag *d);
wg_status wg_write_summary(const char *dir, const wg_results *r, wg_diag *d);
wg_status wg_write_finals(const char *dir, const wg_results *r, double blowup_fraction, wg_diag *d);
/* The same, the blowup column on the reach of blowup_valence (WG_POS: a take-off). */
wg_status wg_write_finals_v(const char *dir, const wg_results *r, double blowup_fraction,
                            int blowup_valence, wg_diag *d);

/* Print a double for CSV: shortest of %.10g; NaN as "NaN" (pandas and R read it). */
void wg_csv_double(FILE *f, double x);

#endif
