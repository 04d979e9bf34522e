/*
 * output.c — the files of a run: series.csv, summary.csv, finals.csv, and the
 * atomic-file helpers every writer of waggle uses.
 *
 * Invariant: a file appears under its real name only when it is complete.
 * It is written to ".NAME.tmp.PID" in the same folder, flushed, fsync'ed,
 * closed and renamed; any failure removes the temporary file.
 * Numbers are printed with fixed formats, so the same counts give the same
 * bytes on every machine and thread count.
 */
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "waggle/output.h"

/* ---- atomic files ------------------------------------------------------------ */

wg_status wg_mkdir_p(const char *dir, wg_diag *d)
{
    char *p = wg_strdup(dir);
    if (!p) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory creating the folder", dir);
        return WG_ENOMEM;
    }
    for (char *s = p + 1;; s++) {
        int end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            struct stat sb;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                wg_diag_error(d, WG_EIO, "%s: cannot create the folder: %s", p, strerror(errno));
                free(p);
                return WG_EIO;
            }
            if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                wg_diag_error(d, WG_EIO, "%s: exists and is not a folder", p);
                free(p);
                return WG_EIO;
            }
            if (end) break;
            *s = '/';
        }
    }
    free(p);
    return WG_OK;
}

wg_status wg_out_open(wg_out *o, const char *dir, const char *name, wg_diag *d)
{
    memset(o, 0, sizeof *o);
    size_t len = strlen(dir) + strlen(name) + 48;
    o->tmp = wg_malloc(len, 1);
    o->path = wg_malloc(len, 1);
    if (!o->tmp || !o->path) {
        wg_out_abort(o);
        wg_diag_error(d, WG_ENOMEM, "%s/%s: out of memory opening the file", dir, name);
        return WG_ENOMEM;
    }
    snprintf(o->path, len, "%s/%s", dir, name);
    snprintf(o->tmp, len, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
    o->f = fopen(o->tmp, "w");
    if (!o->f) {
        wg_diag_error(d, WG_EIO, "%s: cannot write: %s", o->path, strerror(errno));
        wg_out_abort(o);
        return WG_EIO;
    }
    return WG_OK;
}

wg_status wg_out_commit(wg_out *o, wg_diag *d)
{
    int err = ferror(o->f) || fflush(o->f) != 0;
    if (!err) err = fsync(fileno(o->f)) != 0 && errno != EINVAL;
    int saved = errno;
    err |= fclose(o->f) != 0;
    o->f = NULL;
    if (!err && rename(o->tmp, o->path) != 0) err = 1, saved = errno;
    if (err) {
        wg_diag_error(d, WG_EIO, "%s: writing failed: %s", o->path,
                      saved ? strerror(saved) : "I/O error");
        wg_out_abort(o);
        return WG_EIO;
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return WG_OK;
}

void wg_out_abort(wg_out *o)
{
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}

/* ---- results ----------------------------------------------------------------- */

wg_status wg_results_alloc(wg_results *r, uint32_t runs, uint32_t steps, uint32_t agents,
                           wg_diag *d)
{
    memset(r, 0, sizeof *r);
    r->runs = runs;
    r->steps = steps;
    r->agents = agents;
    r->counts = wg_calloc((size_t)runs * steps, WG_NCOUNTS * sizeof *r->counts);
    r->steps_run = wg_calloc(runs, sizeof *r->steps_run);
    if (!r->counts || !r->steps_run) {
        wg_results_free(r);
        wg_diag_error(d, WG_ENOMEM, "out of memory: counts of %u runs × %u steps", runs, steps);
        return WG_ENOMEM;
    }
    return WG_OK;
}

void wg_results_free(wg_results *r)
{
    free(r->counts);
    free(r->steps_run);
    r->counts = r->steps_run = NULL;
}

static const char *const metric_names[WG_NMETRICS] = {
    "unaware", "advocates", "critics", "supporters", "rejecters", "immune",
    "reach_positive", "reach_negative", "new_positive", "new_negative", "sentiment",
};

const char *wg_metric_name(int metric)
{
    return metric >= 0 && metric < WG_NMETRICS ? metric_names[metric] : "?";
}

int wg_metric_from_name(const char *name)
{
    for (int i = 0; i < WG_NMETRICS; i++)
        if (strcmp(name, metric_names[i]) == 0) return i;
    return -1;
}

static inline const uint32_t *row_of(const wg_results *r, uint32_t run, uint32_t step)
{
    return r->counts + ((size_t)run * r->steps + step) * WG_NCOUNTS;
}

double wg_metric_value(const wg_results *r, uint32_t run, uint32_t step, int metric)
{
    const uint32_t *c = row_of(r, run, step);
    double pos = (double)c[WG_C_ADVOCATES] + c[WG_C_SUPPORTERS];
    double neg = (double)c[WG_C_CRITICS] + c[WG_C_REJECTERS];
    switch (metric) {
    case WG_M_REACH_POS: return pos;
    case WG_M_REACH_NEG: return neg;
    case WG_M_NEW_POS: return c[WG_C_NEW_POS];
    case WG_M_NEW_NEG: return c[WG_C_NEW_NEG];
    case WG_M_SENTIMENT: return pos + neg > 0 ? (pos - neg) / (pos + neg) : NAN;
    default: return c[metric]; /* the six states share their index with the counts */
    }
}

void wg_final_of(const wg_results *r, uint32_t run, wg_final *f)
{
    const uint32_t *last = row_of(r, run, r->steps - 1);
    f->reach_pos = last[WG_C_ADVOCATES] + last[WG_C_SUPPORTERS];
    f->reach_neg = last[WG_C_CRITICS] + last[WG_C_REJECTERS];
    f->peak_critics = 0;
    f->peak_step = 0;
    for (uint32_t t = 0; t < r->steps; t++) {
        uint32_t c = row_of(r, run, t)[WG_C_CRITICS];
        if (c > f->peak_critics) {
            f->peak_critics = c;
            f->peak_step = t;
        }
    }
    f->steps = r->steps_run[run];
}

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

void wg_csv_double(FILE *f, double x)
{
    if (isnan(x)) fputs("NaN", f);
    else if (isinf(x)) fputs(x > 0 ? "Inf" : "-Inf", f);
    else if (x == floor(x) && fabs(x) < 1e15) fprintf(f, "%.0f", x);
    else fprintf(f, "%.10g", x);
}

/* ---- writers ------------------------------------------------------------------- */

wg_status wg_write_series(const char *dir, const wg_results *r, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "series.csv", d);
    if (st != WG_OK) return st;
    fputs("run,step,unaware,advocates,critics,supporters,rejecters,immune,new_positive,"
          "new_negative\n", o.f);
    for (uint32_t run = 0; run < r->runs; run++)
        for (uint32_t t = 0; t < r->steps; t++) {
            const uint32_t *c = row_of(r, run, t);
            fprintf(o.f, "%u,%u,%u,%u,%u,%u,%u,%u,%u,%u\n", run, t, c[0], c[1], c[2], c[3], c[4],
                    c[5], c[6], c[7]);
        }
    return wg_out_commit(&o, d);
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
    if (!x || !work) {
        free(x);
        free(work);
        wg_diag_error(d, WG_ENOMEM, "out of memory: summary of %u runs", r->runs);
        return WG_ENOMEM;
    }
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "summary.csv", d);
    if (st == WG_OK) {
        fputs("step,metric,mean,sd,p05,p25,p50,p75,p95\n", o.f);
        for (uint32_t t = 0; t < r->steps; t++)
            for (int m = 0; m < WG_NMETRICS; m++) {
                for (uint32_t run = 0; run < r->runs; run++) x[run] = wg_metric_value(r, run, t, m);
                wg_stats s;
                wg_stats_of(x, r->runs, work, &s);
                fprintf(o.f, "%u,%s", t, metric_names[m]);
                write_stats(o.f, &s);
            }
        st = wg_out_commit(&o, d);
    }
    free(x);
    free(work);
    return st;
}

wg_status wg_write_finals(const char *dir, const wg_results *r, double blowup_fraction,
                          wg_diag *d)
{
    return wg_write_finals_v(dir, r, blowup_fraction, WG_NEG, d);
}

wg_status wg_write_finals_v(const char *dir, const wg_results *r, double blowup_fraction,
                            int blowup_valence, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "finals.csv", d);
    if (st != WG_OK) return st;
    double threshold = blowup_fraction * r->agents;
    fputs("run,reach_positive,reach_negative,peak_critics,peak_step,steps,blowup\n", o.f);
    for (uint32_t run = 0; run < r->runs; run++) {
        wg_final f;
        wg_final_of(r, run, &f);
        fprintf(o.f, "%u,%u,%u,%u,%u,%u,%d\n", run, f.reach_pos, f.reach_neg, f.peak_critics,
                f.peak_step, f.steps,
                (blowup_valence == WG_POS ? f.reach_pos : f.reach_neg) > threshold);
    }
    return wg_out_commit(&o, d);
}
