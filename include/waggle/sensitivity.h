/*
 * waggle/sensitivity.h — what matters: variance-based (Sobol) sensitivity
 * indices of a sweep's metrics (DESIGN.md, "Choosing the levers").
 *
 * A sweep with `sobol: {points: N, ranges: {...}, indices: true}` samples
 * Saltelli's design (Saltelli 2002; Saltelli et al. 2010): two matrices A and
 * B of N rows from one Sobol sequence in 2d dimensions (A the first d, B the
 * last d), and for each key i the matrix AB_i, A with column i taken from B.
 * Point p = j (d + 2) + q of the design is row j of A (q = 0), of AB_q
 * (q = 1 .. d) or of B (q = d + 1): N (d + 2) points.
 *
 * From the outputs f at those points, with V the variance of f(A) and f(B)
 * together, Jansen's estimators (Jansen 1999; Saltelli et al. 2010, table 2):
 *     first order  S_i  = (V - 1/(2N) Σ_j (f(B_j) - f(AB_i,j))²) / V
 *     total        ST_i = 1/(2N) Σ_j (f(A_j) - f(AB_i,j))² / V
 * and percentile bootstrap intervals (95 %): the N rows j resampled with
 * replacement, each resample's rows drawn from keys (seed, resample, j), so
 * the intervals are the same bytes on every machine.
 */
#ifndef WAGGLE_SENSITIVITY_H
#define WAGGLE_SENSITIVITY_H

#include "waggle/common.h"

/* Bootstrap resamples of the intervals. */
#define WG_SENS_BOOTSTRAP 1000u
/* The most keys: Saltelli's design needs 2d of GSL's 40 Sobol dimensions. */
#define WG_SENS_MAX_KEYS 20u

/* Saltelli's design in the unit cube: x[p × nkeys + i] for the N (nkeys + 2)
 * points p in the order above (x holds that many × nkeys doubles). The Sobol
 * sequence's first point (the origin) is skipped: it would make A_0 = B_0.
 * WG_EINPUT when nkeys is 0 or above WG_SENS_MAX_KEYS, WG_ENOMEM. */
wg_status wg_sens_design(size_t nkeys, uint64_t n, double *x, wg_diag *d);

/* The indices of one key. */
typedef struct wg_sens_index {
    double first, first_lo, first_hi;   /* S_i and its 95 % bootstrap interval */
    double total, total_lo, total_hi;   /* ST_i and its interval */
} wg_sens_index;

/* The indices of every key from y[p], the output at design point p (N (nkeys +
 * 2) values in design order), with `boot` bootstrap resamples keyed by seed
 * (0: no intervals, NaN bounds). out receives nkeys entries. When the outputs
 * do not vary (V = 0) every index is NaN. O(boot × N × nkeys) time. */
wg_status wg_sens_indices(const double *y, size_t nkeys, uint64_t n, unsigned boot,
                          uint64_t seed, wg_sens_index *out, wg_diag *d);

/* The sensitivity of a finished sweep folder dir: when its manifest's scenario
 * has sweep.sobol.indices true, read sweep.csv, write sensitivity.csv
 * (metric,key,first_order,first_lo,first_hi,total,total_lo,total_hi: one row
 * per metric of sweep.csv and key, the metric's mean over runs at each point)
 * and draw sensitivity.png; otherwise do nothing. *written (may be NULL)
 * says which. WG_EINPUT when the files do not hold a whole design. */
wg_status wg_sens_folder(const char *dir, int *written, wg_diag *d);

#endif
