/*
 * waggle/fit.h — calibration to an observed curve (`waggle fit`): fitting
 * scenario keys to an observed cumulative series (read by waggle/observed.h
 * with WG_OBSERVED_CUMULATIVE: x strictly increasing and >= 0, y positive
 * and never falling) by squared log error of the model's median trajectory,
 * and the Bass (1969) baseline.
 */
#ifndef WAGGLE_FIT_H
#define WAGGLE_FIT_H

#include <signal.h>
#include "waggle/common.h"

/* Bass (1969) cumulative adopters at time t:
 * m (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}). */
double wg_bass_cumulative(double p, double q, double m, double t);

typedef struct wg_bass_fit {
    double p, q, m;              /* innovation, imitation (per step), market size */
    double se_p, se_q, se_m;     /* standard errors (delta method from log scale) */
    double rms_log;              /* root mean squared log error */
    double r2_log;               /* R^2 of log y */
    size_t n;                    /* readings used */
} wg_bass_fit;

/*
 * Fit p, q, m to (t, y) by least squares on log scale (gsl_multifit_nlinear,
 * trust-region Levenberg–Marquardt, parameters as logarithms so they stay
 * positive, several starting points, the best kept). Standard errors come
 * from the Jacobian at the optimum: cov = s^2 (J'J)^-1, s^2 = SSR / (n - 3).
 * Needs n >= 4 readings with positive y (WG_EINPUT otherwise).
 */
wg_status wg_fit_bass(const double *t, const double *y, size_t n, wg_bass_fit *out, wg_diag *d);

/* The `waggle fit` command (argv[0] is "fit"); returns the exit status. */
/* What to fit (`waggle fit`). Fill with wg_fit_params_default. */
typedef struct wg_fit_params {
    const char *scenario;          /* path; NULL: the Bass model alone (needs bass, observed) */
    const char *const *sets;       /* overrides KEY=VALUE */
    size_t nsets;
    const char *out_dir;           /* NULL: out/<stem>-fit, or out/bass-fit */
    int threads;                   /* 0: OpenMP's default */
    int quiet;                     /* no progress lines on stderr */
    const char *observed;          /* the observed CSV (NULL: the scenario's observed.file) */
    const char *fit;               /* comma-separated keys */
    const char *x, *y;             /* its columns (NULL: the scenario's, or defaults) */
    int bass;                      /* fit the Bass model too */
    volatile sig_atomic_t *stop;   /* polled between iterations, or NULL */
    int argc;                      /* the command line, for the calibrated file and manifest */
    char **argv;
} wg_fit_params;
void wg_fit_params_default(wg_fit_params *p);

/* Fit, print the fitted values (standard output), and write params.csv, fit.csv,
 * the calibrated scenario and its run folder. Bad input writes nothing. */
wg_status wg_fit_run(const wg_fit_params *p, wg_diag *d);

#endif
