/*
 * fit.c — `waggle fit`: calibrate scenario keys to an observed cumulative
 * series, and the Bass (1969) baseline fitted to the same readings.
 *
 * The objective is the squared log error between the observed readings y_i
 * (at steps x_i) and scale × the median over runs of the observed metric at
 * x_i (linear interpolation between rows when x_i is not a whole step). Each
 * candidate is a scenario derived from the loaded one with wg_scenario_with
 * and run with the same seed and runs (common random numbers), so two
 * candidates differ only by their parameters and the objective moves
 * smoothly enough for a Nelder–Mead simplex (gsl_multimin nmsimplex2). The
 * simplex works on transformed values: logit for probabilities, log for
 * positive quantities, so no candidate leaves the valid range. The
 * observation scale (observed units per agent) is not searched: for a given
 * trajectory its best value is the geometric mean of y_i / model_i (closed
 * form under squared log error). Uncertainty: the Jacobian of the residuals
 * at the optimum by central differences (step FD_STEP on the transformed
 * scale; a column −1 for log scale), cov = s^2 (J'J)^-1 with
 * s^2 = SSR / (n − parameters), mapped back by the transform.
 *
 * Invariants: bad input (options, scenario, observed file, keys, too few
 * readings) is found before anything runs or is written; files are written
 * only after the fit is done, each atomically (wg_out).
 *
 * Why one file of about 1,000 lines: the search, its uncertainty and the files
 * it writes share one context (fit_ctx: the keys, their transforms, the last
 * trajectory and residuals); the Bass baseline is the other half of the same
 * comparison and reads the same readings. Split, the pieces would pass that
 * context through a private header and nothing else would use them.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include "waggle/job.h"
#include "waggle/fit.h"
#include "waggle/observed.h"

#define MAX_KEYS 16            /* most keys fitted at once */
#define MEDIAN_FLOOR 0.5       /* a median below half an agent counts as half an agent */
#define PROB_EPS 1e-6          /* probabilities are kept in [eps, 1 - eps] by the logit */
#define NM_STEP 0.4            /* initial simplex size, on the transformed scale */
#define NM_TOL 2e-3            /* simplex size at which the search stops */
#define NM_MAX_ITER 150        /* most simplex iterations */
#define FD_STEP 0.05           /* Jacobian step on the transformed scale (about 5 %) */
#define BAD_OBJECTIVE 1e30     /* objective of a candidate the scenario rejects */
#define Z95 1.959963984540054  /* two-sided 95 % normal quantile */

/* A finite number, blanks after it allowed (a start value read from the scenario). */
static int parse_number(const char *s, double *x)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    while (isspace((unsigned char)*end)) end++;
    return *s && !*end && !errno && isfinite(*x);
}

/* ------------------------------------------------------------------------
 * Shared pieces of both fits.
 */

/* RMS log error and R^2 of log y for residuals res (log y - log model). */
static void quality(const double *y, const double *res, size_t n, double *rms, double *r2)
{
    double mean = 0, ssr = 0, sst = 0;
    for (size_t i = 0; i < n; i++) mean += log(y[i]) / n;
    for (size_t i = 0; i < n; i++) {
        ssr += res[i] * res[i];
        sst += (log(y[i]) - mean) * (log(y[i]) - mean);
    }
    *rms = sqrt(ssr / n);
    *r2 = sst > 0 ? 1 - ssr / sst : NAN;
}

/* cov = s^2 (J'J)^-1 with s^2 = ssr / (n - p); a parameter whose column of J
 * is zero (the readings do not move with it) or that the rank test drops
 * gets a zero variance: its standard error is reported as not identified. */
static void covariance(const gsl_matrix *J, double ssr, gsl_matrix *cov)
{
    size_t n = J->size1, p = J->size2;
    gsl_multifit_nlinear_covar(J, 1e-10, cov);
    for (size_t j = 0; j < p; j++) {
        int zero = 1;
        for (size_t i = 0; i < n; i++)
            if (gsl_matrix_get(J, i, j) != 0) zero = 0;
        if (zero) gsl_matrix_set(cov, j, j, 0);
    }
    gsl_matrix_scale(cov, ssr / (double)(n - p));
}

static int identified(const gsl_matrix *cov, size_t j)
{
    double c = gsl_matrix_get(cov, j, j);
    return c > 0 && isfinite(c);
}

/* ------------------------------------------------------------------------
 * Bass.
 */

double wg_bass_cumulative(double p, double q, double m, double t)
{
    double e = exp(-(p + q) * t);
    return m * (1 - e) / (1 + (q / p) * e);
}

typedef struct bass_data {
    const double *t, *y;
    size_t n;
} bass_data;

static int bass_f(const gsl_vector *u, void *ud, gsl_vector *f)
{
    const bass_data *b = ud;
    double p = exp(gsl_vector_get(u, 0)), q = exp(gsl_vector_get(u, 1)),
           m = exp(gsl_vector_get(u, 2));
    for (size_t i = 0; i < b->n; i++) {
        double F = wg_bass_cumulative(p, q, m, b->t[i]);
        gsl_vector_set(f, i, F > 0 ? log(b->y[i]) - log(F) : BAD_OBJECTIVE);
    }
    return GSL_SUCCESS;
}

wg_status wg_fit_bass(const double *t, const double *y, size_t n, wg_bass_fit *out, wg_diag *d)
{
    static const double p0[] = {1e-4, 1e-3, 1e-2, 0.1};
    static const double q0[] = {0.05, 0.2, 0.5, 1.0};
    static const double m0[] = {1.05, 2.0};
    enum { NP = 3 };
    memset(out, 0, sizeof *out);
    if (n < NP + 1) {
        wg_diag_error(d, WG_EINPUT, "Bass fit: %zu readings, need at least %d (3 parameters "
                      "p, q, m, plus one to judge the fit)", n, NP + 1);
        return WG_EINPUT;
    }
    double ymax = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(y[i] > 0)) {
            wg_diag_error(d, WG_EINPUT, "Bass fit: reading %zu is %g: log error needs positive "
                          "counts", i + 1, y[i]);
            return WG_EINPUT;
        }
        if (y[i] > ymax) ymax = y[i];
    }
    bass_data bd = {t, y, n};
    gsl_multifit_nlinear_fdf fdf = {bass_f, NULL, NULL, n, NP, &bd, 0, 0, 0};
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, n, NP);
    gsl_vector *u = gsl_vector_alloc(NP), *best = gsl_vector_alloc(NP);
    gsl_matrix *cov = gsl_matrix_alloc(NP, NP);
    double *res = wg_malloc(n, sizeof *res);
    wg_status st = WG_OK;
    if (!w || !u || !best || !cov || !res) {
        wg_diag_error(d, st = WG_ENOMEM, "out of memory");
        goto done;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double best_ssr = INFINITY;
    for (size_t a = 0; a < sizeof p0 / sizeof *p0; a++)
        for (size_t b = 0; b < sizeof q0 / sizeof *q0; b++)
            for (size_t c = 0; c < sizeof m0 / sizeof *m0; c++) {
                gsl_vector_set(u, 0, log(p0[a]));
                gsl_vector_set(u, 1, log(q0[b]));
                gsl_vector_set(u, 2, log(m0[c] * ymax));
                int info;
                if (gsl_multifit_nlinear_init(u, &fdf, w) != GSL_SUCCESS) continue;
                gsl_multifit_nlinear_driver(500, 1e-10, 1e-10, 1e-12, NULL, NULL, &info, w);
                gsl_vector *f = gsl_multifit_nlinear_residual(w);
                double ssr;
                gsl_blas_ddot(f, f, &ssr);
                if (isfinite(ssr) && ssr < best_ssr) {
                    best_ssr = ssr;
                    gsl_vector_memcpy(best, gsl_multifit_nlinear_position(w));
                }
            }
    if (!isfinite(best_ssr)) {
        gsl_set_error_handler(old);
        wg_diag_error(d, st = WG_EINPUT, "Bass fit: no starting point converged");
        goto done;
    }
    /* the Jacobian at the best point */
    gsl_multifit_nlinear_init(best, &fdf, w);
    gsl_set_error_handler(old);
    gsl_matrix *J = gsl_multifit_nlinear_jac(w);
    covariance(J, best_ssr, cov);
    int ok = identified(cov, 0) && identified(cov, 1) && identified(cov, 2);
    out->p = exp(gsl_vector_get(best, 0));
    out->q = exp(gsl_vector_get(best, 1));
    out->m = exp(gsl_vector_get(best, 2));
    out->se_p = ok ? out->p * sqrt(gsl_matrix_get(cov, 0, 0)) : NAN;
    out->se_q = ok ? out->q * sqrt(gsl_matrix_get(cov, 1, 1)) : NAN;
    out->se_m = ok ? out->m * sqrt(gsl_matrix_get(cov, 2, 2)) : NAN;
    for (size_t i = 0; i < n; i++)
        res[i] = log(y[i]) - log(wg_bass_cumulative(out->p, out->q, out->m, t[i]));
    quality(y, res, n, &out->rms_log, &out->r2_log);
    out->n = n;
done:
    free(res);
    gsl_matrix_free(cov);
    gsl_vector_free(best);
    gsl_vector_free(u);
    if (w) gsl_multifit_nlinear_free(w);
    return st;
}

/* ------------------------------------------------------------------------
 * The network fit.
 */
enum { K_PROB, K_POS };

typedef struct fit_key {
    char *key;          /* dotted, as --set takes it */
    int kind;           /* K_PROB: logit; K_POS: log */
    int integer;        /* written as a whole number (network.nodes, counts) */
    int is_scale;       /* observed.scale: closed form, not searched */
    double start, value, se, lo, hi;
    int se_ok;
} fit_key;

typedef struct fit_ctx {
    const wg_scenario *base;
    const wg_graph *g;          /* built once unless a network key is fitted */
    int network_keys;
    fit_key *keys;
    size_t nkeys;               /* all keys, scale included */
    size_t nsearch;             /* keys searched by the simplex (scale excluded) */
    size_t *search;             /* their indices in keys */
    int scale_fitted;
    double scale;               /* fixed, or the last closed-form value */
    int metric;
    const wg_observed_series *obs;
    int threads;
    volatile sig_atomic_t *stop;   /* polled between iterations and steps, or NULL */
    uint32_t steps;
    double *med;                /* steps: median trajectory of the last evaluation */
    double *res;                /* n: residuals of the last evaluation */
    wg_status status;           /* a runtime failure that stops the search */
    wg_diag *d;
    unsigned long evaluations;
} fit_ctx;

static double to_natural(const fit_key *k, double u)
{
    if (k->kind == K_PROB) return 1 / (1 + exp(-u));
    return exp(u);
}

static double to_search(const fit_key *k, double v)
{
    if (k->kind == K_PROB) {
        if (v < PROB_EPS) v = PROB_EPS;
        if (v > 1 - PROB_EPS) v = 1 - PROB_EPS;
        return log(v / (1 - v));
    }
    return log(v);
}

/* d natural / d search at search value u */
static double natural_slope(const fit_key *k, double u)
{
    double v = to_natural(k, u);
    return k->kind == K_PROB ? v * (1 - v) : v;
}

static double rounded(const fit_key *k, double v)
{
    if (!k->integer) return v;
    v = floor(v + 0.5);
    return v < 1 ? 1 : v;
}

static void format_value(char *buf, size_t len, const fit_key *k, double v)
{
    if (k->integer)
        snprintf(buf, len, "%.0f", rounded(k, v));
    else
        snprintf(buf, len, "%.6g", v);
}

/* The median of the metric at every step over the runs of r; p05/p95 optional. */
static wg_status trajectory(const wg_results *r, int metric, double *med, double *p05,
                            double *p95, wg_diag *d)
{
    double *x = wg_malloc(r->runs, sizeof *x), *work = wg_malloc(r->runs, sizeof *work);
    if (!x || !work) {
        free(x);
        free(work);
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    for (uint32_t t = 0; t < r->steps; t++) {
        wg_stats s;
        for (uint32_t k = 0; k < r->runs; k++) x[k] = wg_metric_value(r, k, t, metric);
        wg_stats_of(x, r->runs, work, &s);
        med[t] = s.p50;
        if (p05) p05[t] = s.p05;
        if (p95) p95[t] = s.p95;
    }
    free(x);
    free(work);
    return WG_OK;
}

/* The model at step x (a real number), interpolated between rows. */
static double model_at(const double *med, uint32_t steps, double x)
{
    uint32_t a = (uint32_t)floor(x);
    if (a + 1 >= steps) return med[steps - 1];
    double f = x - a;
    return med[a] * (1 - f) + med[a + 1] * f;
}

/* Residuals log y_i - log(scale * model_i) for the trajectory in c->med; the
 * scale is solved for when fitted. Returns the sum of squares. */
static double residuals(fit_ctx *c)
{
    const wg_observed_series *o = c->obs;
    double sum = 0;
    for (size_t i = 0; i < o->n; i++) {
        double m = model_at(c->med, c->steps, o->x[i]);
        c->res[i] = log(o->y[i]) - log(m > MEDIAN_FLOOR ? m : MEDIAN_FLOOR);
        sum += c->res[i];
    }
    if (c->scale_fitted) c->scale = exp(sum / o->n);
    double ls = log(c->scale), ssr = 0;
    for (size_t i = 0; i < o->n; i++) {
        c->res[i] -= ls;
        ssr += c->res[i] * c->res[i];
    }
    return ssr;
}

/* Derive the scenario for search values u (NULL: the start values). */
static wg_status derive(fit_ctx *c, const double *u, wg_scenario **out, wg_diag *d)
{
    const char *keys[MAX_KEYS];
    const char *vals[MAX_KEYS];
    char buf[MAX_KEYS][40];
    for (size_t j = 0; j < c->nsearch; j++) {
        fit_key *k = &c->keys[c->search[j]];
        double v = u ? to_natural(k, u[j]) : k->start;
        format_value(buf[j], sizeof buf[j], k, v);
        keys[j] = k->key;
        vals[j] = buf[j];
    }
    return wg_scenario_with(c->base, c->nsearch, keys, vals, out, d);
}

/* Run the scenario of search values u; fill c->med (and p05/p95 when given). */
static wg_status simulate(fit_ctx *c, const double *u, double *p05, double *p95, wg_diag *d)
{
    wg_scenario *s = NULL;
    wg_job *j = NULL;
    wg_status st = derive(c, u, &s, d);
    if (st != WG_OK) return st;
    if ((st = wg_job_open_scenario(s, c->network_keys ? NULL : c->g, &j, d)) != WG_OK) return st;
    wg_job_run_params rp;
    wg_job_run_params_default(&rp);
    rp.threads = c->threads;
    rp.stop = c->stop;
    if ((st = wg_job_run(j, &rp, d)) != WG_OK) goto done;
    st = trajectory(wg_job_results(j), c->metric, c->med, p05, p95, d);
    c->evaluations++;
done:
    wg_job_free(j);
    return st;
}

static double objective(const gsl_vector *v, void *ud)
{
    fit_ctx *c = ud;
    if (c->status != WG_OK) return GSL_NAN;
    double u[MAX_KEYS];
    for (size_t j = 0; j < c->nsearch; j++) u[j] = gsl_vector_get(v, j);
    wg_diag local;
    wg_diag_init(&local);
    wg_status st = simulate(c, u, NULL, NULL, &local);
    double f;
    if (st == WG_EINPUT) {
        f = BAD_OBJECTIVE;          /* the scenario refuses this candidate: steer away */
    } else if (st != WG_OK) {
        c->status = st;
        for (size_t i = 0; i < local.count; i++)
            wg_diag_error(c->d, st, "%s", local.items[i].text);
        f = GSL_NAN;
    } else {
        f = residuals(c);
    }
    wg_diag_free(&local);
    return f;
}

/* The metric compared: observed.metric, else the reach of the valence seeded first. */
static int default_metric(const wg_scenario *s)
{
    if (s->observed.metric) return wg_metric_from_name(s->observed.metric);
    const wg_event *first = NULL;
    for (size_t i = 0; i < s->nevents; i++)
        if (s->events[i].kind == WG_EV_SEED && (!first || s->events[i].step < first->step))
            first = &s->events[i];
    return first && first->valence == WG_NEG ? WG_M_REACH_NEG : WG_M_REACH_POS;
}

/* 1 when the part of key after its last dot (all of it without one) is in the
 * NULL-terminated list names. */
static int last_part_in(const char *key, const char *const *names)
{
    const char *dot = strrchr(key, '.');
    const char *tail = dot ? dot + 1 : key;
    for (int i = 0; names[i]; i++)
        if (!strcmp(tail, names[i])) return 1;
    return 0;
}

static int is_prob_key(const char *key)
{
    static const char *const last[] = {"positive", "negative", "quality", "stifle", "forget",
                                       "amplitude", "decay", "win", "calm", "threshold", NULL};
    return last_part_in(key, last);
}

/* Keys whose values are whole numbers (the others are real, even when written "2"). */
static int is_count_key(const char *key)
{
    static const char *const last[] = {"nodes", "count", "edges_per_node", "neighbours", "step",
                                       "steps", "runs", NULL};
    return last_part_in(key, last);
}

static int is_integer_text(const char *t)
{
    if (*t == '+') t++;
    if (!isdigit((unsigned char)*t)) return 0;
    while (isdigit((unsigned char)*t) || *t == '_') t++;
    return !*t;
}

/* Resolve the --fit list into keys with start values; every problem reported. */
static wg_status parse_keys(const char *list, const wg_scenario *s, fit_ctx *c, wg_diag *d)
{
    char buf[1024];
    if (strlen(list) >= sizeof buf) {
        wg_diag_error(d, WG_EINPUT, "--fit: list too long");
        return WG_EINPUT;
    }
    strcpy(buf, list);
    if (!(c->keys = wg_calloc(MAX_KEYS, sizeof *c->keys)) ||
        !(c->search = wg_calloc(MAX_KEYS, sizeof *c->search))) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    for (char *save = NULL, *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        while (*k == ' ') k++;
        if (!*k) continue;
        if (c->nkeys == MAX_KEYS) {
            wg_diag_error(d, WG_EINPUT, "--fit: at most %d keys at once", MAX_KEYS);
            return WG_EINPUT;
        }
        for (size_t i = 0; i < c->nkeys; i++)
            if (!strcmp(c->keys[i].key, k)) {
                wg_diag_error(d, WG_EINPUT, "--fit %s: key named twice", k);
                return WG_EINPUT;
            }
        fit_key *fk = &c->keys[c->nkeys];
        if (!(fk->key = wg_strdup(k))) {
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            return WG_ENOMEM;
        }
        c->nkeys++;
        if (!strcmp(k, "observed.scale")) {
            fk->is_scale = 1;
            fk->kind = K_POS;
            c->scale_fitted = 1;
            continue;
        }
        wg_scenario_value v;
        double start = NAN;
        wg_status lst = wg_scenario_lookup(s, k, &v);
        int p = wg_param_from_name(strncmp(k, "model.", 6) ? k : k + 6);
        if (lst == WG_OK && v.found) {
            if (!parse_number(v.text, &start)) {
                wg_diag_error(d, WG_EINPUT, "--fit %s: the scenario gives '%s', not a number",
                              k, v.text);
                return WG_EINPUT;
            }
            fk->integer = is_integer_text(v.text) && is_count_key(k);
        } else if (lst == WG_OK && p >= 0) {
            start = s->model.p.v[p];   /* a model default */
        }
        if (!isfinite(start)) {
            /* the scenario refuses unknown keys with a suggestion: ask it */
            const char *key1[1] = {k};
            const char *val1[1] = {"0.5"};
            wg_scenario *tmp = NULL;
            wg_diag local;
            wg_diag_init(&local);
            wg_status wst = wg_scenario_with(s, 1, key1, val1, &tmp, &local);
            wg_scenario_free(tmp);
            if (wst != WG_OK && local.errors)
                wg_diag_error(d, WG_EINPUT, "--fit %s: %s", k, wg_diag_first(&local));
            else
                wg_diag_error(d, WG_EINPUT, "--fit %s: not a number in the scenario (give it "
                              "a start value in the file or with --set %s=VALUE)", k, k);
            wg_diag_free(&local);
            return WG_EINPUT;
        }
        fk->kind = is_prob_key(k) ? K_PROB : K_POS;
        if (fk->kind == K_POS && !(start > 0)) {
            wg_diag_error(d, WG_EINPUT, "--fit %s: start value %g: a fitted quantity that is "
                          "not a probability must be positive", k, start);
            return WG_EINPUT;
        }
        if (fk->kind == K_PROB && (start < 0 || start > 1)) {
            wg_diag_error(d, WG_EINPUT, "--fit %s: start value %g is not a probability", k,
                          start);
            return WG_EINPUT;
        }
        if (fk->kind == K_PROB && (start <= 0 || start >= 1)) start = start <= 0 ? 0.01 : 0.99;
        fk->start = start;
        if (!strncmp(k, "network.", 8)) c->network_keys = 1;
        c->search[c->nsearch++] = c->nkeys - 1;
    }
    if (!c->nkeys) {
        wg_diag_error(d, WG_EINPUT, "--fit: no key given (e.g. --fit share.negative,"
                      "observed.scale)");
        return WG_EINPUT;
    }
    return WG_OK;
}

/* The Jacobian of the residuals at search point u (columns: searched keys,
 * then log scale when fitted), the scale held at its optimum. */
static wg_status jacobian(fit_ctx *c, const double *u, gsl_matrix *J, wg_diag *d)
{
    size_t n = c->obs->n;
    double up[MAX_KEYS];
    double *plus = wg_malloc(n, sizeof *plus);
    if (!plus) {
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    int fitted = c->scale_fitted;
    double scale = c->scale;
    c->scale_fitted = 0;       /* hold the scale: its column is separate */
    wg_status st = WG_OK;
    for (size_t j = 0; j < c->nsearch && st == WG_OK; j++) {
        memcpy(up, u, c->nsearch * sizeof *up);
        up[j] = u[j] + FD_STEP;
        if ((st = simulate(c, up, NULL, NULL, d)) != WG_OK) break;
        residuals(c);
        memcpy(plus, c->res, n * sizeof *plus);
        up[j] = u[j] - FD_STEP;
        if ((st = simulate(c, up, NULL, NULL, d)) != WG_OK) break;
        residuals(c);
        for (size_t i = 0; i < n; i++)
            gsl_matrix_set(J, i, j, (plus[i] - c->res[i]) / (2 * FD_STEP));
    }
    if (fitted)
        for (size_t i = 0; i < n; i++) gsl_matrix_set(J, i, c->nsearch, -1.0);
    c->scale_fitted = fitted;
    c->scale = scale;
    free(plus);
    return st;
}

/* ------------------------------------------------------------------------
 * The calibrated copy of the scenario file.
 */

/*
 * The scenario file's text with every fitted key set in place (comments and
 * layout kept, by the scenario module) and a header comment naming the
 * command; NULL with *why set when the file cannot be edited so. *ret is
 * WG_ENOMEM on allocation failure.
 */
static char *calibrated_text(const fit_ctx *c, const char *header, const char **why,
                             wg_status *ret)
{
    static const char *const reasons[] = {
        [WG_EDIT_UNREADABLE] = "cannot read the scenario file again",
        [WG_EDIT_SHARED] = "a fitted key is written `share: X` for both valences",
        [WG_EDIT_NOWHERE] = "a fitted key has no place in the file (set by --set, or nested "
                            "under a missing map)",
        [WG_EDIT_NO_LOAD] = "the edited copy did not load back",
        [WG_EDIT_NOT_HELD] = "the edited copy did not hold the fitted values",
    };
    const char *keys[MAX_KEYS], *values[MAX_KEYS];
    char num[MAX_KEYS][48];
    char *text = NULL;
    wg_scenario_edit_why w;
    for (size_t i = 0; i < c->nkeys; i++) {
        format_value(num[i], sizeof num[i], &c->keys[i], c->keys[i].value);
        keys[i] = c->keys[i].key;
        values[i] = num[i];
    }
    *ret = wg_scenario_edit_text(c->base, header, c->nkeys, keys, values, &text, &w);
    *why = text ? NULL : reasons[w];
    return text;
}

/* ------------------------------------------------------------------------
 * The study behind `waggle fit`.
 */

static void print_bass(const wg_bass_fit *b, const char *step)
{
    printf("Bass (1969) baseline, %zu readings (standard errors from the Jacobian at the "
           "optimum):\n", b->n);
    printf("  p (innovation)  %-12.4g ± %-10.3g per %s\n", b->p, b->se_p, step);
    printf("  q (imitation)   %-12.4g ± %-10.3g per %s\n", b->q, b->se_q, step);
    printf("  m (market)      %-12.4g ± %-10.3g\n", b->m, b->se_m);
    printf("  RMS log error %.4f, R^2 (log) %.4f\n", b->rms_log, b->r2_log);
}

static void csv_num(FILE *f, double x)
{
    fputc(',', f);
    if (isfinite(x)) wg_csv_double(f, x);
    else fputs("NaN", f);
}

static wg_status write_params(const char *dir, const fit_ctx *c, const wg_bass_fit *b,
                              wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "params.csv", d);
    if (st != WG_OK) return st;
    fputs("model,parameter,value,se,lo95,hi95\n", o.f);
    for (size_t i = 0; c && i < c->nkeys; i++) {
        const fit_key *k = &c->keys[i];
        fprintf(o.f, "waggle,%s", k->key);
        csv_num(o.f, k->value);
        csv_num(o.f, k->se_ok ? k->se : NAN);
        csv_num(o.f, k->se_ok ? k->lo : NAN);
        csv_num(o.f, k->se_ok ? k->hi : NAN);
        fputc('\n', o.f);
    }
    if (b) {
        const char *names[] = {"p", "q", "m"};
        double v[] = {b->p, b->q, b->m}, se[] = {b->se_p, b->se_q, b->se_m};
        for (int i = 0; i < 3; i++) {
            fprintf(o.f, "bass,%s", names[i]);
            csv_num(o.f, v[i]);
            csv_num(o.f, se[i]);
            /* log-scale interval, as fitted */
            double sl = se[i] / v[i];
            csv_num(o.f, v[i] * exp(-Z95 * sl));
            csv_num(o.f, v[i] * exp(Z95 * sl));
            fputc('\n', o.f);
        }
    }
    return wg_out_commit(&o, d);
}

static wg_status write_series(const char *dir, uint32_t steps, const wg_observed_series *obs,
                              const double *p05, const double *p50, const double *p95,
                              double scale, const wg_bass_fit *b, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, dir, "fit.csv", d);
    if (st != WG_OK) return st;
    fputs("step,observed,fitted_p05,fitted_p50,fitted_p95,bass\n", o.f);
    size_t j = 0;
    for (uint32_t t = 0; t < steps; t++) {
        double ob = NAN;
        while (j < obs->n && obs->x[j] < t) j++;
        if (j < obs->n && obs->x[j] == t) ob = obs->y[j];
        fprintf(o.f, "%u", t);
        csv_num(o.f, ob);
        csv_num(o.f, p05 ? scale * p05[t] : NAN);
        csv_num(o.f, p50 ? scale * p50[t] : NAN);
        csv_num(o.f, p95 ? scale * p95[t] : NAN);
        csv_num(o.f, b ? wg_bass_cumulative(b->p, b->q, b->m, t) : NAN);
        fputc('\n', o.f);
    }
    return wg_out_commit(&o, d);
}

/* The fit of a scenario: search, uncertainty, then print (files are written by the caller). */
static wg_status fit_scenario(fit_ctx *c, int quiet, wg_diag *d)
{
    size_t k = c->nsearch, n = c->obs->n, P = k + (size_t)c->scale_fitted;
    double u[MAX_KEYS];
    wg_status st = WG_OK;
    for (size_t j = 0; j < k; j++) u[j] = to_search(&c->keys[c->search[j]], c->keys[c->search[j]].start);
    if (k > 0) {
        const gsl_multimin_fminimizer_type *T = gsl_multimin_fminimizer_nmsimplex2;
        gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(T, k);
        gsl_vector *x = gsl_vector_alloc(k), *step = gsl_vector_alloc(k);
        if (!m || !x || !step) {
            gsl_vector_free(x);
            gsl_vector_free(step);
            if (m) gsl_multimin_fminimizer_free(m);
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            return WG_ENOMEM;
        }
        for (size_t j = 0; j < k; j++) {
            gsl_vector_set(x, j, u[j]);
            gsl_vector_set(step, j, NM_STEP);
        }
        gsl_multimin_function fn = {objective, k, c};
        gsl_error_handler_t *old = gsl_set_error_handler_off();
        int rc = gsl_multimin_fminimizer_set(m, &fn, x, step);
        for (int it = 0; rc == GSL_SUCCESS && it < NM_MAX_ITER && c->status == WG_OK; it++) {
            if (c->stop && *c->stop) {
                c->status = WG_EINTR;
                wg_diag_error(d, WG_EINTR, "interrupted");
                break;
            }
            rc = gsl_multimin_fminimizer_iterate(m);
            if (rc != GSL_SUCCESS) break;
            double size = gsl_multimin_fminimizer_size(m);
            if (!quiet) {
                fprintf(stderr, "waggle fit: iteration %d, %lu runs of the scenario, SSR %.6g, "
                        "simplex %.3g\n", it + 1, c->evaluations, m->fval, size);
            }
            if (gsl_multimin_test_size(size, NM_TOL) == GSL_SUCCESS) break;
        }
        gsl_set_error_handler(old);
        for (size_t j = 0; j < k; j++) u[j] = gsl_vector_get(m->x, j);
        gsl_multimin_fminimizer_free(m);
        gsl_vector_free(x);
        gsl_vector_free(step);
        if (c->status != WG_OK) return c->status;
    }
    /* the optimum again (fills med, res and the scale) */
    wg_diag local;
    wg_diag_init(&local);
    st = simulate(c, u, NULL, NULL, &local);
    if (st != WG_OK) {
        for (size_t i = 0; i < local.count; i++) wg_diag_error(d, st, "%s", local.items[i].text);
        wg_diag_free(&local);
        return st;
    }
    wg_diag_free(&local);
    double ssr = residuals(c);
    double *res = wg_malloc(n, sizeof *res);
    gsl_matrix *J = gsl_matrix_alloc(n, P), *cov = gsl_matrix_alloc(P, P);
    if (!res || !J || !cov) {
        free(res);
        gsl_matrix_free(J);
        gsl_matrix_free(cov);
        wg_diag_error(d, WG_ENOMEM, "out of memory");
        return WG_ENOMEM;
    }
    memcpy(res, c->res, n * sizeof *res);
    double scale = c->scale;
    if ((st = jacobian(c, u, J, d)) == WG_OK) {
        covariance(J, ssr, cov);
        for (size_t j = 0; j < k; j++) {
            fit_key *fk = &c->keys[c->search[j]];
            double se_u = sqrt(gsl_matrix_get(cov, j, j));
            fk->value = rounded(fk, to_natural(fk, u[j]));
            fk->se_ok = identified(cov, j);
            fk->se = se_u * natural_slope(fk, u[j]);
            fk->lo = to_natural(fk, u[j] - Z95 * se_u);
            fk->hi = to_natural(fk, u[j] + Z95 * se_u);
        }
        for (size_t i = 0; i < c->nkeys; i++) {
            fit_key *fk = &c->keys[i];
            if (!fk->is_scale) continue;
            double se_u = sqrt(gsl_matrix_get(cov, k, k));
            fk->value = scale;
            fk->se_ok = identified(cov, k);
            fk->se = se_u * scale;
            fk->lo = scale * exp(-Z95 * se_u);
            fk->hi = scale * exp(Z95 * se_u);
        }
    }
    /* restore the optimum's trajectory (the Jacobian ran other candidates) */
    memcpy(c->res, res, n * sizeof *res);
    c->scale = scale;
    free(res);
    gsl_matrix_free(J);
    gsl_matrix_free(cov);
    return st;
}

static void print_fit(const fit_ctx *c, const char *scenario, uint32_t runs)
{
    double rms, r2;
    quality(c->obs->y, c->res, c->obs->n, &rms, &r2);
    printf("%s: %zu readings of %s against %s × %s (median of %u runs), %lu runs of the "
           "scenario\n", scenario, c->obs->n, c->obs->ycol, c->scale_fitted ? "scale" : "fixed scale",
           wg_metric_name(c->metric), runs, c->evaluations);
    printf("fitted values (± standard error from the Jacobian at the optimum, central "
           "differences of %.2g on the logit/log scale; 95 %% interval):\n", FD_STEP);
    for (size_t i = 0; i < c->nkeys; i++) {
        const fit_key *k = &c->keys[i];
        if (k->se_ok)
            printf("  %-28s %-12.6g ± %-10.3g [%.4g, %.4g]\n", k->key, k->value, k->se, k->lo,
                   k->hi);
        else
            printf("  %-28s %-12.6g (not identified: the readings do not move with it)\n",
                   k->key, k->value);
    }
    if (!c->scale_fitted) printf("  observed.scale %g (fixed)\n", c->scale);
    printf("fit: RMS log error %.4f (a typical reading is off by a factor %.3f), R^2 (log) %.4f\n",
           rms, exp(rms), r2);
}

/* Run the calibrated scenario (search values u) once more, keeping its
 * results: the scenario gets the fitted scale and the observed series that
 * was fitted, so its run folder draws the fit over the readings. Fills
 * c->med, p05/p95 (p95 in c's own buffer via p05 + steps) and c->res. */
static wg_status final_run(fit_ctx *c, const double *u, const wg_observed_series *obs,
                           const char *observed, wg_job **job, double *p05, wg_diag *d)
{
    wg_scenario *fs = NULL;
    wg_status st = derive(c, u, &fs, d);
    if (st != WG_OK) return st;
    if ((st = wg_job_open_scenario(fs, c->network_keys ? NULL : c->g, job, d)) != WG_OK)
        return st;
    wg_observed *ob = &fs->observed;
    double scale = c->scale;
    if (observed) {
        char *f = wg_strdup(observed), *x = wg_strdup(obs->xcol), *y = wg_strdup(obs->ycol);
        if (!f || !x || !y) {
            free(f);
            free(x);
            free(y);
            wg_diag_error(d, WG_ENOMEM, "out of memory");
            return WG_ENOMEM;
        }
        free(ob->file);
        free(ob->x);
        free(ob->y);
        ob->file = f, ob->x = x, ob->y = y;
        ob->present = 1;
    }
    ob->scale = scale;
    wg_job_run_params rp;
    wg_job_run_params_default(&rp);
    rp.threads = c->threads;
    rp.stop = c->stop;
    if ((st = wg_job_run(*job, &rp, d)) != WG_OK) return st;
    if ((st = trajectory(wg_job_results(*job), c->metric, c->med, p05, p05 + c->steps, d)) !=
        WG_OK)
        return st;
    residuals(c);
    c->scale = scale;
    return WG_OK;
}

static void command_line(char *buf, size_t len, int argc, char **argv)
{
    snprintf(buf, len, "waggle");
    for (int i = 0; i < argc; i++) {
        strncat(buf, " ", len - strlen(buf) - 1);
        strncat(buf, argv[i], len - strlen(buf) - 1);
    }
}

void wg_fit_params_default(wg_fit_params *p)
{
    memset(p, 0, sizeof *p);
}

wg_status wg_fit_run(const wg_fit_params *fp, wg_diag *dd)
{
    const wg_fit_params o = *fp, fo = *fp;
    const int argc = fp->argc;
    char **const argv = fp->argv;
    wg_scenario *s = NULL;
    wg_graph *g = NULL;
    wg_observed_series obs = {0};
    fit_ctx c;
    wg_bass_fit bass;
    char *out = NULL, *text = NULL, *rundir = NULL;
    wg_outdir od = {.lock_fd = -1};
    double *p05 = NULL, *p95 = NULL;
    wg_job *fj = NULL;
    const int with_scenario = fp->scenario != NULL;
    wg_status st = WG_OK;
    memset(&c, 0, sizeof c);
    c.d = dd;
    c.stop = fp->stop;

    if (!with_scenario) {
        if (!fo.bass) {
            wg_diag_error(dd, st = WG_EINPUT, "no scenario file given (see --help; --bass fits "
                          "the Bass model alone)");
            goto done;
        }
        if (!fo.observed) {
            wg_diag_error(dd, st = WG_EINPUT, "--bass without a scenario needs --observed CSV");
            goto done;
        }
    }
    if (with_scenario) {
        if (!fo.fit) {
            wg_diag_error(dd, st = WG_EINPUT, "--fit KEY[,KEY...] is required with a scenario "
                          "(e.g. --fit share.negative,observed.scale)");
            goto done;
        }
        if ((st = wg_job_load(o.scenario, o.sets, o.nsets, &s, dd)) != WG_OK) goto done;
        if (!fo.observed && !s->observed.present) {
            wg_diag_error(dd, st = WG_EINPUT, "%s: no observed series: give --observed CSV or "
                          "an `observed:` section", o.scenario);
            goto done;
        }
        st = wg_observed_read(fo.observed ? fo.observed : s->observed.file,
                              fo.x ? fo.x : s->observed.x, fo.y ? fo.y : s->observed.y,
                              WG_OBSERVED_CUMULATIVE, &obs, dd);
        if (st != WG_OK) goto done;
        if ((st = parse_keys(fo.fit, s, &c, dd)) != WG_OK) goto done;
        size_t P = c.nkeys;
        if (obs.n < P + 1) {
            wg_diag_error(dd, st = WG_EINPUT, "%s: %zu readings for %zu fitted parameters: need "
                          "at least %zu (one more than the parameters, to judge the fit)",
                          fo.observed ? fo.observed : s->observed.file, obs.n, P, P + 1);
            goto done;
        }
        if (obs.x[obs.n - 1] > s->steps - 1) {
            wg_diag_error(dd, st = WG_EINPUT, "%s: a reading at %s %g, but the scenario runs %u "
                          "steps (0 to %u): raise steps", o.scenario, obs.xcol, obs.x[obs.n - 1],
                          s->steps, s->steps - 1);
            goto done;
        }
        /* the Bass baseline first: it is cheap, and refuses early */
        if (fo.bass && (st = wg_fit_bass(obs.x, obs.y, obs.n, &bass, dd)) != WG_OK) goto done;
        c.base = s;
        c.obs = &obs;
        c.threads = o.threads;
        c.steps = s->steps;
        c.metric = default_metric(s);
        c.scale = s->observed.scale > 0 ? s->observed.scale : 1.0;
        if (!(c.med = wg_malloc(s->steps, sizeof *c.med)) ||
            !(c.res = wg_malloc(obs.n, sizeof *c.res)) ||
            !(p05 = wg_malloc(2 * (size_t)s->steps, sizeof *p05))) {
            wg_diag_error(dd, st = WG_ENOMEM, "out of memory");
            goto done;
        }
        p95 = p05 + s->steps;
        if (!c.network_keys) {
            if ((st = wg_graph_build(&s->net, s->seed, &g, dd)) != WG_OK) goto done;
            c.g = g;
        }
        /* the start must run: picks are checked against the network here */
        if ((st = simulate(&c, NULL, NULL, NULL, dd)) != WG_OK) goto done;
        if ((st = fit_scenario(&c, o.quiet, dd)) != WG_OK) goto done;
    } else {
        if ((st = wg_observed_read(fo.observed, fo.x, fo.y, WG_OBSERVED_CUMULATIVE, &obs, dd)) !=
            WG_OK)
            goto done;
        if ((st = wg_fit_bass(obs.x, obs.y, obs.n, &bass, dd)) != WG_OK) goto done;
    }

    /* everything is known: run the calibrated scenario once more, keeping its
     * results for the chart; print; then write */
    if (with_scenario) {
        double u[MAX_KEYS];
        for (size_t j = 0; j < c.nsearch; j++) {
            const fit_key *k = &c.keys[c.search[j]];
            u[j] = to_search(k, k->value);
        }
        if ((st = final_run(&c, c.nsearch ? u : NULL, &obs, fo.observed, &fj, p05, dd)) !=
            WG_OK)
            goto done;
        print_fit(&c, o.scenario, s->runs);
    }
    if (fo.bass) print_bass(&bass, s ? s->step_unit : "step");

    if (o.out_dir) {
        out = wg_strdup(o.out_dir);
    } else if (with_scenario) {
        char *base = wg_job_default_out(o.scenario);
        if (base && (out = wg_malloc(strlen(base) + 5, 1))) sprintf(out, "%s-fit", base);
        free(base);
    } else {
        out = wg_strdup("out/bass-fit");
    }
    if (!out) {
        wg_diag_error(dd, st = WG_ENOMEM, "out of memory");
        goto done;
    }
    {
        /* the folder must not hold an input: `fit -o .` would write the calibrated
         * scenario over the scenario itself */
        const char *in[WG_JOB_NINPUTS + 1] = {fo.observed, NULL, NULL, NULL};
        if (s) wg_job_inputs(s, in + 1);
        if ((st = wg_outdir_open(&od, out, in, WG_JOB_NINPUTS + 1, dd)) != WG_OK) goto done;
    }
    if (with_scenario && (st = wg_outdir_own(&od, "run/", dd)) != WG_OK) goto done;
    if ((st = write_params(out, with_scenario ? &c : NULL, fo.bass ? &bass : NULL, dd)) != WG_OK)
        goto done;
    uint32_t steps = with_scenario ? s->steps : (uint32_t)ceil(obs.x[obs.n - 1]) + 1;
    if ((st = write_series(out, steps, &obs, with_scenario ? p05 : NULL,
                           with_scenario ? c.med : NULL, with_scenario ? p95 : NULL, c.scale,
                           fo.bass ? &bass : NULL, dd)) != WG_OK)
        goto done;
    if (with_scenario) {
        char cmd[2048], header[4096];
        const char *why;
        command_line(cmd, sizeof cmd, argc, argv);
        int hl = snprintf(header, sizeof header, "# Calibrated with waggle %s:\n#   %s\n", WG_VERSION,
                          cmd);
        for (size_t i = 0; i < c.nkeys && hl < (int)sizeof header - 200; i++) {
            const fit_key *k = &c.keys[i];
            if (k->se_ok)
                hl += snprintf(header + hl, sizeof header - hl, "#   %s = %.6g ± %.3g "
                               "(95 %% %.4g to %.4g)\n", k->key, k->value, k->se, k->lo, k->hi);
            else
                hl += snprintf(header + hl, sizeof header - hl, "#   %s = %.6g (not "
                               "identified)\n", k->key, k->value);
        }
        double rms, r2;
        quality(obs.y, c.res, obs.n, &rms, &r2);
        snprintf(header + hl, sizeof header - hl, "#   RMS log error %.4f, R^2 (log) %.4f\n",
                 rms, r2);
        text = calibrated_text(&c, header, &why, &st);
        if (st != WG_OK) {
            wg_diag_error(dd, st, "out of memory");
            goto done;
        }
        const char *stem = strrchr(o.scenario, '/');
        stem = stem ? stem + 1 : o.scenario;
        wg_out f;
        if ((st = wg_out_open(&f, out, stem, dd)) != WG_OK) goto done;
        if (text) {
            fputs(text, f.f);
        } else {
            /* the file could not be edited in place: the scenario as resolved */
            fputs(header, f.f);
            fprintf(f.f, "# (written as resolved: %s; paths are as resolved from the folder "
                    "waggle ran in)\n", why);
            if ((st = wg_scenario_write(wg_job_scenario(fj), f.f, 0)) != WG_OK) {
                wg_out_abort(&f);
                wg_diag_error(dd, st, "%s/%s: cannot write", out, stem);
                goto done;
            }
            wg_diag_note(dd, "%s: %s; wrote the scenario as resolved instead", o.scenario, why);
        }
        if ((st = wg_out_commit(&f, dd)) != WG_OK) goto done;
        /* the calibrated scenario's run folder: its charts show the fit over the readings */
        size_t ol = strlen(out);
        if (!(rundir = wg_malloc(ol + 5, 1))) {
            wg_diag_error(dd, st = WG_ENOMEM, "out of memory");
            goto done;
        }
        sprintf(rundir, "%s/run", out);
        wg_job_write_params wp;
        wg_job_write_params_default(&wp);
        wp.argc = argc;
        wp.argv = argv;
        wp.kind = "fit";
        if ((st = wg_job_write(fj, rundir, &wp, dd)) != WG_OK) goto done;
    }
    if (!o.quiet) fprintf(stderr, "waggle: wrote %s/\n", out);
done:
    {
        wg_status cs = wg_outdir_close(&od, dd);
        if (st == WG_OK) st = cs;
    }
    free(rundir);
    wg_job_free(fj);
    free(text);
    free(out);
    free(p05);
    free(c.med);
    free(c.res);
    for (size_t i = 0; c.keys && i < MAX_KEYS; i++) free(c.keys[i].key);
    free(c.keys);
    free(c.search);
    wg_observed_free(&obs);
    wg_graph_free(g);
    wg_scenario_free(s);
    return st;
}
