/*
 * thrlaw.c — the laws of adoption thresholds (DESIGN.md, "Threshold
 * contagion"): a fixed threshold, or one drawn per agent from a uniform or
 * a normal law truncated to [0, 1], by inverting the law's CDF at a uniform
 * (GSL's gsl_cdf_gaussian_P / _Pinv), so that the engine's keyed words make
 * each agent's threshold a pure function of (seed, run, agent).
 *
 * Invariants: a threshold is in [0, 1]; the quantile does not decrease in u,
 * so one uniform mapped through the laws of both valences gives an agent
 * thresholds at the same rank of each law.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "waggle/model.h"

int wg_thr_law_per_agent(const wg_thr_law *l)
{
    return l->kind != WG_THR_FIXED;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

double wg_thr_law_quantile(const wg_thr_law *l, double u)
{
    switch (l->kind) {
    case WG_THR_UNIFORM:
        return clamp01(l->a + u * (l->b - l->a));
    case WG_THR_NORMAL: {
        /* truncated to [0, 1]: X = mean + sd Phi^-1(Phi(z0) + u (Phi(z1) - Phi(z0))) */
        const double z0 = (0 - l->a) / l->b, z1 = (1 - l->a) / l->b;
        const double p0 = gsl_cdf_ugaussian_P(z0), p1 = gsl_cdf_ugaussian_P(z1);
        const double p = p0 + u * (p1 - p0);
        if (!(p > 0)) return 0;
        if (!(p < 1)) return 1;
        return clamp01(l->a + l->b * gsl_cdf_ugaussian_Pinv(p));
    }
    case WG_THR_FIXED:
    default:
        return clamp01(l->a);
    }
}
