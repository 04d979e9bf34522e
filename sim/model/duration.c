/*
 * duration.c — the laws of talking times (DESIGN.md, "Talking times"): how
 * (mean, sd) become the parameters of GSL's distributions, and P(D <= d),
 * the one function the engine needs to draw D and the validation suite may
 * compare with.
 *
 * Invariants: D is a whole number >= 1. For gamma, lognormal and weibull,
 * D = max(1, ceil(X)), so P(D <= d) = P(X <= d) for every d >= 1. For
 * beta_quit, the talker's own quit probability q is Beta(a, b) and D is
 * geometric given q, so P(D > d) = E[(1 - q)^d] = B(a, b + d) / B(a, b)
 * (the beta-geometric law); drawing D from that law is the same as drawing q
 * and then quitting with q at every step, since q is read by nothing else.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "waggle/model.h"

/* The range of Weibull shapes searched for a given coefficient of
 * variation, and the bisection's steps (on log shape: 2^-60 of the range). */
#define WG_WEIBULL_SHAPE_LO 0.01
#define WG_WEIBULL_SHAPE_HI 1000.0
#define WG_WEIBULL_ITER 60

/* log(1 + CV^2) of a Weibull law of shape k: lgamma(1 + 2/k) - 2 lgamma(1 + 1/k),
 * decreasing in k. */
static double weibull_log_cv2(double k)
{
    return lgamma(1.0 + 2.0 / k) - 2.0 * lgamma(1.0 + 1.0 / k);
}

int wg_duration_gsl_params(const wg_duration *d, double out[2])
{
    const double m = d->a, s = d->b;
    switch (d->law) {
    case WG_DUR_GAMMA:
    case WG_DUR_LOGNORMAL:
    case WG_DUR_WEIBULL:
        if (!(m > 0) || !(s > 0) || !isfinite(m) || !isfinite(s)) return -1;
        break;
    default:
        out[0] = d->a;
        out[1] = d->b;
        return 0;
    }
    const double cv2 = (s / m) * (s / m);
    if (d->law == WG_DUR_GAMMA) {
        out[0] = 1.0 / cv2;   /* shape: mean^2 / sd^2 */
        out[1] = m * cv2;     /* scale: sd^2 / mean */
        return 0;
    }
    if (d->law == WG_DUR_LOGNORMAL) {
        double s2 = log1p(cv2);
        out[0] = log(m) - s2 / 2;
        out[1] = sqrt(s2);
        return 0;
    }
    const double target = log1p(cv2);
    double lo = log(WG_WEIBULL_SHAPE_LO), hi = log(WG_WEIBULL_SHAPE_HI);
    if (!(weibull_log_cv2(exp(lo)) >= target) || !(weibull_log_cv2(exp(hi)) <= target)) return -1;
    for (int i = 0; i < WG_WEIBULL_ITER; i++) {
        double mid = (lo + hi) / 2;
        if (weibull_log_cv2(exp(mid)) > target) lo = mid;
        else hi = mid;
    }
    const double k = exp((lo + hi) / 2);
    out[0] = m / exp(lgamma(1.0 + 1.0 / k));   /* scale λ: mean = λ Γ(1 + 1/k) */
    out[1] = k;
    return 0;
}

double wg_duration_cdf(const wg_duration *law, double quit, uint32_t d)
{
    double g[2];
    if (d == 0) return 0.0;
    switch (law->law) {
    case WG_DUR_FIXED:
        return (double)d >= law->a ? 1.0 : 0.0;
    case WG_DUR_GAMMA:
        if (wg_duration_gsl_params(law, g)) return 1.0;
        return gsl_cdf_gamma_P((double)d, g[0], g[1]);
    case WG_DUR_LOGNORMAL:
        if (wg_duration_gsl_params(law, g)) return 1.0;
        return gsl_cdf_lognormal_P((double)d, g[0], g[1]);
    case WG_DUR_WEIBULL:
        if (wg_duration_gsl_params(law, g)) return 1.0;
        return gsl_cdf_weibull_P((double)d, g[0], g[1]);
    case WG_DUR_BETA_QUIT:
        return -expm1(gsl_sf_lnbeta(law->a, law->b + d) - gsl_sf_lnbeta(law->a, law->b));
    case WG_DUR_GEOMETRIC:
    default:
        return -expm1((double)d * log1p(-quit));
    }
}
