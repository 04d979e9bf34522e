/*
 * sensitivity.c — Sobol sensitivity indices: Saltelli's design, Jansen's
 * estimators with keyed bootstrap intervals, and sensitivity.csv of a sweep
 * folder (waggle/sensitivity.h).
 *
 * Invariants:
 *   1. the design is a pure function of (nkeys, N): GSL's Sobol sequence in
 *      2 nkeys dimensions, its origin skipped;
 *   2. resample b of the bootstrap takes row j of its N from the draw
 *      wg_rng(seed, b, 0, WG_R_SENS, j), so the intervals do not depend on
 *      the machine, the thread count or the order rows were computed in;
 *   3. sensitivity.csv is computed from sweep.csv as written (the same
 *      numbers `waggle merge` joins), so a merged sweep's indices are the
 *      unsharded sweep's, byte for byte.
 */
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "waggle/output.h"
#include "waggle/render.h"
#include "waggle/rng.h"
#include "waggle/scenario.h"
#include "waggle/sensitivity.h"

/* The bootstrap's draws (rng.h leaves purposes from WG_R_USER to modules). */
#define WG_R_SENS (WG_R_USER + 16)
/* Lower and upper percentile of a 95 % interval. */
#define LO_QUANTILE 0.025
#define HI_QUANTILE 0.975

/* ---- the design ----------------------------------------------------------------------- */

wg_status wg_sens_design(size_t nkeys, uint64_t n, double *x, wg_diag *d)
{
    if (nkeys == 0 || nkeys > WG_SENS_MAX_KEYS) {
        wg_diag_error(d, WG_EINPUT, "Sobol indices: %zu keys; expected 1 to %u", nkeys,
                      WG_SENS_MAX_KEYS);
        return WG_EINPUT;
    }
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * nkeys));
    if (!q) {
        wg_diag_error(d, WG_ENOMEM, "out of memory: a Sobol sequence");
        return WG_ENOMEM;
    }
    double u[2 * WG_SENS_MAX_KEYS];
    gsl_qrng_get(q, u);   /* the origin */
    const size_t per = nkeys + 2;
    for (uint64_t j = 0; j < n; j++) {
        gsl_qrng_get(q, u);
        const double *a = u, *b = u + nkeys;
        double *row = x + j * per * nkeys;
        memcpy(row, a, nkeys * sizeof *row);                              /* A */
        for (size_t i = 0; i < nkeys; i++) {                              /* AB_i */
            double *ab = row + (1 + i) * nkeys;
            memcpy(ab, a, nkeys * sizeof *ab);
            ab[i] = b[i];
        }
        memcpy(row + (nkeys + 1) * nkeys, b, nkeys * sizeof *row);        /* B */
    }
    gsl_qrng_free(q);
    return WG_OK;
}

/* ---- the estimators -------------------------------------------------------------------- */

/* Jansen's indices of every key over the rows idx[0..n) (NULL: 0 .. n-1). */
static void jansen(const double *y, size_t nkeys, uint64_t n, const uint64_t *idx, double *first,
                   double *total)
{
    const size_t per = nkeys + 2;
    /* V: the variance of f(A) and f(B) together (Welford, for accuracy) */
    double mean = 0, m2 = 0, cnt = 0;
    for (uint64_t k = 0; k < n; k++) {
        const uint64_t j = idx ? idx[k] : k;
        const double v2[2] = {y[j * per], y[j * per + nkeys + 1]};
        for (int t = 0; t < 2; t++) {
            cnt += 1;
            double dlt = v2[t] - mean;
            mean += dlt / cnt;
            m2 += dlt * (v2[t] - mean);
        }
    }
    const double V = cnt > 1 ? m2 / (cnt - 1) : 0;
    for (size_t i = 0; i < nkeys; i++) {
        double sb = 0, sa = 0;
        for (uint64_t k = 0; k < n; k++) {
            const uint64_t j = idx ? idx[k] : k;
            const double fa = y[j * per], fab = y[j * per + 1 + i], fb = y[j * per + nkeys + 1];
            sb += (fb - fab) * (fb - fab);
            sa += (fa - fab) * (fa - fab);
        }
        if (!(V > 0)) {
            first[i] = total[i] = NAN;
            continue;
        }
        first[i] = (V - sb / (2.0 * n)) / V;
        total[i] = sa / (2.0 * n) / V;
    }
}

wg_status wg_sens_indices(const double *y, size_t nkeys, uint64_t n, unsigned boot,
                          uint64_t seed, wg_sens_index *out, wg_diag *d)
{
    if (nkeys == 0 || nkeys > WG_SENS_MAX_KEYS || n < 2 || n > UINT32_MAX) {
        wg_diag_error(d, WG_EINPUT, "Sobol indices: %zu keys and %llu base samples; expected 1 "
                      "to %u keys and 2 to 2^32 - 1 samples", nkeys, (unsigned long long)n,
                      WG_SENS_MAX_KEYS);
        return WG_EINPUT;
    }
    double first[WG_SENS_MAX_KEYS], total[WG_SENS_MAX_KEYS];
    jansen(y, nkeys, n, NULL, first, total);
    for (size_t i = 0; i < nkeys; i++) {
        out[i].first = first[i];
        out[i].total = total[i];
        out[i].first_lo = out[i].first_hi = out[i].total_lo = out[i].total_hi = NAN;
    }
    if (boot == 0) return WG_OK;
    uint64_t *idx = wg_malloc(n, sizeof *idx);
    double *bs = wg_malloc((size_t)boot * 2 * nkeys, sizeof *bs);
    double *col = wg_malloc(boot, sizeof *col);
    if (!idx || !bs || !col) {
        free(idx);
        free(bs);
        free(col);
        wg_diag_error(d, WG_ENOMEM, "out of memory: %u bootstrap resamples", boot);
        return WG_ENOMEM;
    }
    for (unsigned b = 0; b < boot; b++) {
        for (uint64_t k = 0; k < n; k++) {
            wg_rand4 r = wg_rng(seed, b, 0, WG_R_SENS, k);
            idx[k] = wg_below(r.v[0], (uint32_t)n);
        }
        jansen(y, nkeys, n, idx, bs + (size_t)b * 2 * nkeys, bs + (size_t)b * 2 * nkeys + nkeys);
    }
    for (size_t i = 0; i < nkeys; i++)
        for (int t = 0; t < 2; t++) {
            size_t m = 0;
            for (unsigned b = 0; b < boot; b++) {
                double v = bs[(size_t)b * 2 * nkeys + (size_t)t * nkeys + i];
                if (isfinite(v)) col[m++] = v;
            }
            double lo = NAN, hi = NAN;
            if (m) {
                gsl_sort(col, 1, m);
                lo = gsl_stats_quantile_from_sorted_data(col, 1, m, LO_QUANTILE);
                hi = gsl_stats_quantile_from_sorted_data(col, 1, m, HI_QUANTILE);
            }
            if (t == 0) {
                out[i].first_lo = lo;
                out[i].first_hi = hi;
            } else {
                out[i].total_lo = lo;
                out[i].total_hi = hi;
            }
        }
    free(idx);
    free(bs);
    free(col);
    return WG_OK;
}

/* ---- a sweep folder -------------------------------------------------------------------- */

#define MAX_METRICS 32
#define MAX_FIELDS (WG_SENS_MAX_KEYS + 8)

wg_status wg_sens_folder(const char *dir, int *written, wg_diag *d)
{
    char *mpath = wg_path_join(dir, "manifest.yaml"), *cpath = wg_path_join(dir, "sweep.csv");
    char *mtext = NULL, *csv = NULL, *vals[2] = {NULL, NULL};
    char *names[MAX_METRICS] = {0}, *keys[WG_SENS_MAX_KEYS] = {0};
    double *y = NULL;
    uint8_t *seen = NULL;
    size_t nmet = 0, nkeys = 0, mlen;
    wg_sens_index *ix = NULL;
    wg_status st = WG_ENOMEM;
    if (written) *written = 0;
    if (!mpath || !cpath) goto oom;
    if ((st = wg_file_read(mpath, &mtext, &mlen, d)) != WG_OK) goto done;
    static const char *const want[2] = {"scenario.sweep.sobol.indices", "seed"};
    if ((st = wg_scenario_yaml_scalars(mtext, mlen, mpath, 2, want, vals, d)) != WG_OK) goto done;
    if (!vals[0] || strcmp(vals[0], "true") != 0) {
        st = WG_OK;   /* not a design with indices */
        goto done;
    }
    const uint64_t seed = vals[1] ? strtoull(vals[1], NULL, 10) : 0;
    if ((st = wg_file_read(cpath, &csv, NULL, d)) != WG_OK) goto done;
    /* the header: point,<keys>,metric,mean,sd,p05,p50,p95 */
    char *line = csv, *next = strchr(line, '\n'), *f[MAX_FIELDS + 1];
    if (!next) goto bad;
    *next = 0;
    size_t nf = wg_csv_split(line, f, MAX_FIELDS + 1);
    if (nf < 8 || nf > MAX_FIELDS || strcmp(f[0], "point") != 0 || strcmp(f[nf - 6], "metric") ||
        strcmp(f[nf - 5], "mean"))
        goto bad;
    nkeys = nf - 7;
    for (size_t i = 0; i < nkeys; i++)
        if (!(keys[i] = wg_strdup(f[1 + i]))) goto oom;
    /* first pass: the metrics and the number of points */
    uint64_t npoints = 0, rows = 0;
    for (char *l = next + 1; *l;) {
        char *e = strchr(l, '\n');
        if (!e) goto bad;
        rows++;
        char *end;
        uint64_t p = strtoull(l, &end, 10);
        if (end == l || *end != ',') goto bad;
        if (p + 1 > npoints) npoints = p + 1;
        l = e + 1;
    }
    const size_t per = nkeys + 2;
    if (npoints == 0 || npoints % per) goto bad;
    const uint64_t n = npoints / per;
    /* second pass: the means, metric by metric (in the order of the first point's rows) */
    if (!(y = wg_calloc((size_t)MAX_METRICS * npoints, sizeof *y)) ||
        !(seen = wg_calloc((size_t)MAX_METRICS * npoints, 1)))
        goto oom;
    for (char *l = next + 1; *l;) {
        char *e = strchr(l, '\n');
        *e = 0;
        size_t k = wg_csv_split(l, f, MAX_FIELDS + 1);
        if (k != nf) goto bad;
        uint64_t p = strtoull(f[0], NULL, 10);
        size_t m = 0;
        while (m < nmet && strcmp(names[m], f[nf - 6]) != 0) m++;
        if (m == nmet) {
            if (nmet == MAX_METRICS || !(names[nmet] = wg_strdup(f[nf - 6]))) goto bad;
            nmet++;
        }
        char *end;
        double v = strtod(f[nf - 5], &end);
        if (end == f[nf - 5] || seen[m * npoints + p]) goto bad;
        y[m * npoints + p] = v;
        seen[m * npoints + p] = 1;
        l = e + 1;
    }
    for (size_t m = 0; m < nmet; m++)
        for (uint64_t p = 0; p < npoints; p++)
            if (!seen[m * npoints + p]) goto bad;
    if (!(ix = wg_calloc(nkeys, sizeof *ix))) goto oom;
    wg_out o;
    if ((st = wg_out_open(&o, dir, "sensitivity.csv", d)) != WG_OK) goto done;
    fputs("metric,key,first_order,first_lo,first_hi,total,total_lo,total_hi\n", o.f);
    for (size_t m = 0; m < nmet; m++) {
        if ((st = wg_sens_indices(y + m * npoints, nkeys, n, WG_SENS_BOOTSTRAP, seed, ix, d)) !=
            WG_OK) {
            wg_out_abort(&o);
            goto done;
        }
        for (size_t i = 0; i < nkeys; i++) {
            fprintf(o.f, "%s,%s", names[m], keys[i]);
            const double v[6] = {ix[i].first, ix[i].first_lo, ix[i].first_hi,
                                 ix[i].total, ix[i].total_lo, ix[i].total_hi};
            for (int t = 0; t < 6; t++) {
                fputc(',', o.f);
                wg_csv_double(o.f, v[t]);
            }
            fputc('\n', o.f);
        }
    }
    if ((st = wg_out_commit(&o, d)) != WG_OK) goto done;
    if (written) *written = 1;
    st = wg_render_sensitivity(dir, NULL, NULL, d);
    goto done;
bad:
    wg_diag_error(d, st = WG_EINPUT, "%s: not the sweep.csv of a whole Saltelli design "
                  "(point,<keys>,metric,mean,...; N × (keys + 2) points, each metric once)",
                  cpath);
    goto done;
oom:
    wg_diag_error(d, st = WG_ENOMEM, "out of memory: the sensitivity of %s", dir);
done:
    free(mpath);
    free(cpath);
    free(mtext);
    free(csv);
    free(vals[0]);
    free(vals[1]);
    for (size_t m = 0; m < MAX_METRICS; m++) free(names[m]);
    for (size_t i = 0; i < WG_SENS_MAX_KEYS; i++) free(keys[i]);
    free(y);
    free(seen);
    free(ix);
    return st;
}
