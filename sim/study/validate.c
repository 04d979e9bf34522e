/*
 * validate.c — the validation suite behind `waggle validate`: each classic
 * model of DESIGN.md is set up as a setting of waggle's one model, run
 * through the engine's API (wg_engine_new / wg_engine_run) on graphs made by
 * the generators, and compared with theory computed here:
 *
 *   1. SIR on configuration-model graphs (contact all): bond percolation
 *      with T = 1 - E[(1 - beta)^D] for the final size; a branching process
 *      whose offspring share the sender's infectious period D for the
 *      probability of a major outbreak; the mean outbreak size below the
 *      threshold T_c = <k> / (<k^2> - <k>).
 *   2. Bass: the exact Markov chain of the adopted count under waggle's
 *      synchronous rule, and the Bass ODE for small p and q per step.
 *   3. Maki–Thompson: the deterministic map of expected counts of waggle's
 *      synchronous rules, the classic x = exp(-2 (1 - x)) as share -> 0,
 *      and the 1/sqrt(N) shrinking of the spread across runs.
 *   4. Independent cascade: exact enumeration of live-edge graphs.
 *   5. IC-N: the same enumeration, with the valences of rule 3/4 enumerated.
 *   6. SIS: the fixed point of the mean-field map of waggle's rules on a
 *      complete graph; extinction below the threshold.
 *   7. Goldenberg et al. (2007): the loss of positive reach caused by
 *      quality < 1, against a two-type branching process on a tree-like graph.
 *   8. Talking times (model.duration): SIR on a Poisson graph with a fixed,
 *      gamma, lognormal, beta_quit or Weibull talking time D (the Weibull
 *      shape solved here from the coefficient of variation, GSL Brent), the law of D computed
 *      here from its own parameters (GSL's CDFs; beta_quit's T = 1 -
 *      E[(1 - share)^D] by numerical integration over q ~ Beta(a, b)): the
 *      final size from T, P(major) from the branching process whose
 *      offspring share D (equal to the size for a fixed D, not otherwise).
 *   9. Attention: a power-law media pulse on agents who do not talk, the
 *      reached share against the exact product 1 - prod(1 - p_t).
 *  10. Threshold contagion (exposure threshold): the exact front of a
 *      cascade on a ring lattice; Watts's (2002) cascade window, P(global
 *      cascade) from one seed = the extended vulnerable cluster 1 - G0(u), on
 *      either side of the window; Gleeson & Cahalane's (2007) final share for
 *      a random seed share, fixed, uniform and truncated normal thresholds.
 *  11. Attention, recommendation without talk: the mean-field recursion of
 *      the self-exciting process, tolerance O(1/N).
 *  12. Attention, rekindling by media without talk: alternating renewal
 *      processes, the exact chain and the renewal-reward limit.
 *  13. Open audiences (arrivals): with constant media and no talk, the
 *      reach is a sum over arrival cohorts, exactly (cohort s hears media
 *      in t - s + 1 steps), and the absent count follows the arrivals law.
 *
 * Invariant: theory never reads a simulated number; the simulation is given
 * the model's parameters, multiplied (share only) by 1 + share_error, so
 * that a deliberate error shows which checks catch it. Every seed is fixed.
 *
 * One file of some 1,300 lines, on purpose: each check sits next to the
 * theory it is compared with, and the checks share one harness (the context
 * and its table, the simulation and probe helpers, the accumulators) that
 * nothing else uses; split by check, that harness would become an interface
 * with a single user.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>

#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/model.h"
#include "waggle/output.h"
#include "waggle/validate.h"

/* Largest graph the enumeration of live-edge graphs accepts. */
#define WG_ENUM_MAX_EDGES 20
#define WG_ENUM_MAX_NODES 32
/* Geometric infectious periods are summed until their tail weighs less than this. */
#define WG_TAIL_EPS 1e-15
/* Root finding: absolute tolerance and iteration cap. */
#define WG_ROOT_EPS 1e-13
#define WG_ROOT_ITER 200

typedef struct ctx {
    const wg_validate_opts *o;
    wg_validate_table *t;
    wg_diag *d;
} ctx;

/* ---- the table -------------------------------------------------------------- */

static wg_status add_row(ctx *c, const char *model, const char *ref, double theory, double sim,
                         double se, double tol, unsigned runs, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

static wg_status add_row(ctx *c, const char *model, const char *ref, double theory, double sim,
                         double se, double tol, unsigned runs, const char *fmt, ...)
{
    wg_validate_table *t = c->t;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        wg_validate_row *r = wg_realloc(t->rows, cap, sizeof *r);
        if (!r) {
            wg_diag_error(c->d, WG_ENOMEM, "out of memory: the validation table");
            return WG_ENOMEM;
        }
        t->rows = r;
        t->cap = cap;
    }
    wg_validate_row *r = &t->rows[t->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->model, sizeof r->model, "%s", model);
    snprintf(r->reference, sizeof r->reference, "%s", ref);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->quantity, sizeof r->quantity, fmt, ap);
    va_end(ap);
    r->theory = theory;
    r->simulated = sim;
    r->se = se;
    r->tolerance = tol;
    r->runs = runs;
    double den = sqrt(se * se + tol * tol);
    double diff = sim - theory;
    r->z = den > 0 ? diff / den : (fabs(diff) < 1e-12 ? 0.0 : copysign(INFINITY, diff));
    r->pass = fabs(r->z) < WG_VALIDATE_Z;
    return WG_OK;
}

void wg_validate_table_free(wg_validate_table *t)
{
    if (!t) return;
    free(t->rows);
    memset(t, 0, sizeof *t);
}

size_t wg_validate_failures(const wg_validate_table *t)
{
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) k += !t->rows[i].pass;
    return k;
}

void wg_validate_print(const wg_validate_table *t, FILE *f)
{
    fprintf(f, "%-10s %-24s %-62s %9s %9s %8s %7s %7s %s\n", "model", "reference", "quantity",
            "theory", "simulated", "se", "tol", "z", "");
    for (size_t i = 0; i < t->n; i++) {
        const wg_validate_row *r = &t->rows[i];
        fprintf(f, "%-10s %-24s %-62s %9.5g %9.5g %8.2g %7.2g %+7.2f %s\n", r->model,
                r->reference, r->quantity, r->theory, r->simulated, r->se, r->tolerance, r->z,
                r->pass ? "pass" : "FAIL");
    }
    size_t bad = wg_validate_failures(t);
    fprintf(f, "%zu checks, %zu passed, %zu failed (pass: |z| < %.0f, z = (simulated - theory) / "
            "sqrt(se^2 + tol^2))\n", t->n, t->n - bad, bad, WG_VALIDATE_Z);
}

void wg_validate_write_csv(const wg_validate_table *t, FILE *f)
{
    fputs("model,reference,quantity,theory,simulated,se,tolerance,z,pass,runs\n", f);
    for (size_t i = 0; i < t->n; i++) {
        const wg_validate_row *r = &t->rows[i];
        wg_csv_put_text(f, r->model, WG_CSV_QUOTE_ALWAYS);
        fputc(',', f);
        wg_csv_put_text(f, r->reference, WG_CSV_QUOTE_ALWAYS);
        fputc(',', f);
        wg_csv_put_text(f, r->quantity, WG_CSV_QUOTE_ALWAYS);
        const double v[5] = {r->theory, r->simulated, r->se, r->tolerance, r->z};
        for (int k = 0; k < 5; k++) {
            fputc(',', f);
            wg_csv_double(f, v[k]);
        }
        fprintf(f, ",%s,%u\n", r->pass ? "pass" : "fail", r->runs);
    }
}

/* ---- driving the engine ----------------------------------------------------- */

/* A simulation under construction: the model, up to two seed events. */
typedef struct vsim {
    wg_sim sim;
    wg_event ev[2];
    uint64_t ids[2][4];
} vsim;

static void vsim_init(vsim *v, const wg_graph *g, wg_contact contact, uint32_t steps,
                      uint64_t seed)
{
    memset(v, 0, sizeof *v);
    v->sim.g = g;
    wg_params_default(&v->sim.model.p);
    v->sim.model.contact = contact;
    v->sim.model.exposure = WG_EXPOSURE_INDEPENDENT;
    v->sim.steps = steps;
    v->sim.seed = seed;
    v->sim.events = v->ev;
}

/* Seed `count` agents of valence `valence` at step 0: at random when ids is
 * NULL, else the listed agents. */
static void vsim_seed(vsim *v, int valence, uint32_t count, const uint32_t *ids)
{
    size_t i = v->sim.nevents++;
    wg_event *ev = &v->ev[i];
    memset(ev, 0, sizeof *ev);
    ev->kind = WG_EV_SEED;
    ev->valence = valence;
    ev->segment = -1;
    if (ids) {
        for (uint32_t k = 0; k < count; k++) v->ids[i][k] = ids[k];
        ev->pick.by = WG_PICK_ID;
        ev->pick.ids = v->ids[i];
        ev->pick.nids = count;
    } else {
        ev->pick.by = WG_PICK_RANDOM;
        ev->pick.count = count;
    }
}

/* A media pulse of valence `valence` at step `step`: amplitude a, decaying as
 * a power law (1 + u / scale)^(-power) when power > 0, else as (1 - decay)^u
 * with decay = scale. */
static void vsim_media(vsim *v, int valence, uint32_t step, double a, double power, double scale)
{
    wg_event *ev = &v->ev[v->sim.nevents++];
    memset(ev, 0, sizeof *ev);
    ev->kind = WG_EV_MEDIA;
    ev->step = step;
    ev->valence = valence;
    ev->segment = -1;
    ev->amplitude = a;
    if (power > 0) {
        ev->power = power;
        ev->scale = scale;
    } else {
        ev->decay = scale;
    }
}

/* The simulation as the engine is given it: with the deliberate share error, if any. */
static void perturbed(const ctx *c, const vsim *v, wg_sim *sim)
{
    *sim = v->sim;
    sim->events = v->ev;
    sim->model.p.v[WG_P_SHARE_POS] *= 1.0 + c->o->share_error;
    sim->model.p.v[WG_P_SHARE_NEG] *= 1.0 + c->o->share_error;
}

/* Runs are simulated this many at a time, so memory does not grow with runs. */
#define WG_RUN_CHUNK 64u

/* Called once per run with its rows (steps × WG_NCOUNTS), in run order. */
typedef void (*visit_fn)(void *ud, uint32_t run, const uint32_t *rows, uint32_t steps);

/* Run runs 0 .. runs - 1 and show each to visit. The simulated shares carry
 * the deliberate error of the options, if any. */
static wg_status simulate(ctx *c, const vsim *v, uint32_t runs, visit_fn visit, void *ud)
{
    wg_sim sim;
    perturbed(c, v, &sim);
    wg_engine *e = NULL;
    uint32_t *counts = NULL, *sr = NULL;
    const size_t per_run = (size_t)sim.steps * WG_NCOUNTS;
    wg_status st = wg_engine_new(&sim, c->o->threads, &e, c->d);
    if (st != WG_OK) return st;
    counts = wg_malloc(WG_RUN_CHUNK * per_run, sizeof *counts);
    sr = wg_malloc(WG_RUN_CHUNK, sizeof *sr);
    if (!counts || !sr) {
        wg_diag_error(c->d, st = WG_ENOMEM, "out of memory: the counts of %u runs", WG_RUN_CHUNK);
        goto fail;
    }
    for (uint32_t r0 = 0; r0 < runs; r0 += WG_RUN_CHUNK) {
        uint32_t k = runs - r0 < WG_RUN_CHUNK ? runs - r0 : WG_RUN_CHUNK;
        if ((st = wg_engine_run(e, r0, k, counts, sr, NULL, NULL, NULL, c->d)) != WG_OK) goto fail;
        for (uint32_t i = 0; i < k; i++) visit(ud, r0 + i, counts + i * per_run, sim.steps);
    }
fail:
    free(counts);
    free(sr);
    wg_engine_free(e);
    return st;
}

/* Running mean and variance. */
typedef struct acc {
    double n, mean, m2;
} acc;

static void acc_add(acc *a, double x)
{
    a->n += 1;
    double dx = x - a->mean;
    a->mean += dx / a->n;
    a->m2 += dx * (x - a->mean);
}

static double acc_sd(const acc *a)
{
    return a->n > 1 ? sqrt(a->m2 / (a->n - 1)) : 0.0;
}

static double acc_se(const acc *a)
{
    return a->n > 0 ? acc_sd(a) / sqrt(a->n) : 0.0;
}

/* What a check reads from each run: values per run into x[run]. */
enum probe_kind {
    Q_REACH_POS,    /* advocates + supporters at `step` */
    Q_REACH_NEG,    /* critics + rejecters at `step` */
    Q_UNAWARE,      /* unaware at `step` */
    Q_ADVOCATES,    /* advocates at `step` */
    Q_TALKING_MEAN, /* advocates + critics averaged over steps `step` .. steps - 1 */
    Q_ABSENT        /* agents not arrived yet at `step` (arrivals) */
};

typedef struct probe {
    enum probe_kind kind;
    uint32_t step;      /* UINT32_MAX: the last step */
    double scale;       /* the value is multiplied by it (1 / N for fractions) */
    double *x;          /* runs */
} probe;

typedef struct probes {
    probe p[4];
    int n;
} probes;

static void visit_probes(void *ud, uint32_t run, const uint32_t *rows, uint32_t steps)
{
    const probes *ps = ud;
    for (int i = 0; i < ps->n; i++) {
        const probe *p = &ps->p[i];
        uint32_t t = p->step < steps ? p->step : steps - 1;
        const uint32_t *r = rows + (size_t)t * WG_NCOUNTS;
        double v = 0;
        switch (p->kind) {
        case Q_REACH_POS: v = r[WG_C_ADVOCATES] + r[WG_C_SUPPORTERS]; break;
        case Q_REACH_NEG: v = r[WG_C_CRITICS] + r[WG_C_REJECTERS]; break;
        case Q_UNAWARE: v = r[WG_C_UNAWARE]; break;
        case Q_ADVOCATES: v = r[WG_C_ADVOCATES]; break;
        case Q_ABSENT: v = r[WG_C_ABSENT]; break;
        case Q_TALKING_MEAN:
            for (uint32_t u = t; u < steps; u++)
                v += rows[(size_t)u * WG_NCOUNTS + WG_C_ADVOCATES] +
                     rows[(size_t)u * WG_NCOUNTS + WG_C_CRITICS];
            v /= steps - t;
            break;
        }
        p->x[run] = v * p->scale;
    }
}

/* Add probe k: x gets room for runs values (freed by probes_free). */
static wg_status probe_add(ctx *c, probes *ps, enum probe_kind kind, uint32_t step, double scale,
                           uint32_t runs)
{
    probe *p = &ps->p[ps->n];
    p->kind = kind;
    p->step = step;
    p->scale = scale;
    if (!(p->x = wg_calloc(runs, sizeof *p->x))) {
        wg_diag_error(c->d, WG_ENOMEM, "out of memory: %u values", runs);
        return WG_ENOMEM;
    }
    ps->n++;
    return WG_OK;
}

static void probes_free(probes *ps)
{
    for (int i = 0; i < ps->n; i++) free(ps->p[i].x);
    ps->n = 0;
}

static acc acc_of(const double *x, uint32_t n)
{
    acc a = {0};
    for (uint32_t i = 0; i < n; i++) acc_add(&a, x[i]);
    return a;
}

static wg_status make_graph(ctx *c, const wg_netspec *spec, uint64_t seed, wg_graph **g)
{
    return wg_generate(spec, seed, g, c->d);
}

/* A generated graph of kind `kind` that needs nothing but n agents, seed 1. */
static wg_status plain_graph(ctx *c, wg_net_kind kind, uint32_t n, wg_graph **g)
{
    wg_netspec s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.nodes = n;
    return make_graph(c, &s, 1, g);
}

static wg_status complete_graph(ctx *c, uint32_t n, wg_graph **g)
{
    return plain_graph(c, WG_NET_COMPLETE, n, g);
}

/* A ring of n agents (each talks to its two neighbours): the graph of the
 * checks whose agents do not talk, where only n matters. */
static wg_status ring_graph(ctx *c, uint32_t n, wg_graph **g)
{
    return plain_graph(c, WG_NET_RING, n, g);
}

/* The configuration model of n agents with Poisson degrees of mean z. */
static void poisson_spec(wg_netspec *s, uint32_t n, double z)
{
    memset(s, 0, sizeof *s);
    s->kind = WG_NET_CONFIGURATION;
    s->nodes = n;
    s->deg_kind = WG_DEG_POISSON;
    s->deg_mean = z;
}

/* ---- root finding ----------------------------------------------------------- */

/* The root of f in [lo, hi] (f(lo) and f(hi) of opposite signs) by Brent's method. */
static int brent(double (*f)(double, void *), void *p, double lo, double hi, double *root)
{
    gsl_function F = {f, p};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) return -1;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_root_fsolver_set(s, &F, lo, hi);
    for (int i = 0; st == GSL_SUCCESS && i < WG_ROOT_ITER; i++) {
        gsl_root_fsolver_iterate(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, WG_ROOT_EPS, 0) == GSL_SUCCESS) break;
    }
    *root = gsl_root_fsolver_root(s);
    gsl_set_error_handler(old);
    gsl_root_fsolver_free(s);
    return st == GSL_SUCCESS ? 0 : -1;
}

/* ---- generating functions with a random infectious period ------------------- */

/* A degree distribution (the realised one of a graph) and its excess distribution. */
typedef struct degdist {
    double *p;        /* p[k], k = 0 .. kmax */
    double *q;        /* q[k] = (k + 1) p[k + 1] / <k> */
    uint32_t kmax;
    double k1, k2;    /* <k>, <k^2> */
} degdist;

static wg_status degdist_of(ctx *c, const wg_graph *g, degdist *dd)
{
    memset(dd, 0, sizeof *dd);
    for (uint32_t a = 0; a < g->n; a++)
        if (wg_graph_out_degree(g, a) > dd->kmax) dd->kmax = wg_graph_out_degree(g, a);
    dd->p = wg_calloc(dd->kmax + 1, sizeof *dd->p);
    dd->q = wg_calloc(dd->kmax + 1, sizeof *dd->q);
    if (!dd->p || !dd->q) {
        free(dd->p);
        free(dd->q);
        dd->p = dd->q = NULL;   /* the callers' degdist_free stays harmless */
        wg_diag_error(c->d, WG_ENOMEM, "out of memory: a degree distribution");
        return WG_ENOMEM;
    }
    for (uint32_t a = 0; a < g->n; a++) dd->p[wg_graph_out_degree(g, a)] += 1.0 / g->n;
    for (uint32_t k = 0; k <= dd->kmax; k++) {
        dd->k1 += k * dd->p[k];
        dd->k2 += (double)k * k * dd->p[k];
    }
    for (uint32_t k = 0; k < dd->kmax; k++) dd->q[k] = (k + 1) * dd->p[k + 1] / dd->k1;
    return WG_OK;
}

static void degdist_free(degdist *dd)
{
    free(dd->p);
    free(dd->q);
}

/* A Poisson graph (poisson_spec) from seed and its realised degree
 * distribution dd; on failure too, the caller frees g (wg_graph_free) and
 * dd (degdist_free). */
static wg_status poisson_graph(ctx *c, double z, uint32_t n, uint64_t seed, wg_graph **g,
                               degdist *dd)
{
    wg_netspec spec;
    poisson_spec(&spec, n, z);
    wg_status st = make_graph(c, &spec, seed, g);
    if (st == WG_OK) st = degdist_of(c, *g, dd);
    return st;
}

/* sum_k w[k] x^k */
static double genfun(const double *w, uint32_t kmax, double x)
{
    double s = 0;
    for (uint32_t k = kmax + 1; k-- > 0;) s = s * x + w[k];
    return s;
}

/* Transmissibility along one edge from a talker that talks d steps: 1 - (1 - beta)^d. */
static double tau_of(double beta, uint32_t d)
{
    return 1.0 - pow(1.0 - beta, d);
}

/* T = 1 - E[(1 - beta)^D], D geometric on 1, 2, ... with P(D = d) = quit (1 - quit)^(d - 1). */
static double transmissibility(double beta, double quit)
{
    double t = 0, w = quit;
    for (uint32_t d = 1; w > WG_TAIL_EPS; d++, w *= 1.0 - quit) t += w * tau_of(beta, d);
    return t;
}

/* E_D[ sum_k w[k] (1 - tau_D (1 - x))^k ]: the generating function of the
 * offspring of one talker whose edges all share its period D. */
static double genfun_period(const double *w, uint32_t kmax, double beta, double quit, double x)
{
    double s = 0, pd = quit;
    for (uint32_t d = 1; pd > WG_TAIL_EPS; d++, pd *= 1.0 - quit)
        s += pd * genfun(w, kmax, 1.0 - tau_of(beta, d) * (1.0 - x));
    return s;
}

typedef struct gfp {
    const degdist *dd;
    double T, beta, quit;
} gfp;

/* u = G1(1 - T + T u): bond percolation, fixed transmissibility T. */
static double perc_eq(double u, void *vp)
{
    const gfp *p = vp;
    return genfun(p->dd->q, p->dd->kmax, 1.0 - p->T + p->T * u) - u;
}

/* v = E_D[G1(1 - tau_D (1 - v))]: extinction of a branch from a talker reached by an edge. */
static double branch_eq(double v, void *vp)
{
    const gfp *p = vp;
    return genfun_period(p->dd->q, p->dd->kmax, p->beta, p->quit, v) - v;
}

/* The smallest root of f(x) = 0 on [0, 1) for a generating-function equation
 * with f(1) = 0; 1 when there is none below 1 (subcritical). */
static double smallest_root(double (*f)(double, void *), void *p)
{
    const double hi = 1.0 - 1e-9;
    if (f(0.0, p) <= 0) return 0.0;
    if (f(hi, p) >= 0) return 1.0;
    double r = 1.0;
    if (brent(f, p, 0.0, hi, &r) != 0) return 1.0;
    return r;
}

/* ---- 1. SIR on configuration-model graphs ------------------------------------ */

/* Seeds one agent at random in vs, runs runs runs and splits their final
 * reach (times scale) into major outbreaks, more than half the size theory
 * expects (minor outbreaks well above the threshold stay far below it), and
 * minor ones: big gets 1 per major run and 0 per minor run (its mean is
 * P(major)), frac the reach of the major runs only. */
static wg_status major_outbreaks(ctx *c, vsim *vs, uint32_t runs, double scale, double size,
                                 acc *big, acc *frac)
{
    probes ps = {.n = 0};
    *big = (acc){0};
    *frac = (acc){0};
    vsim_seed(vs, WG_POS, 1, NULL);
    wg_status st = probe_add(c, &ps, Q_REACH_POS, UINT32_MAX, scale, runs);
    if (st == WG_OK) st = simulate(c, vs, runs, visit_probes, &ps);
    if (st == WG_OK) {
        const double cut = 0.5 * size;
        for (uint32_t r = 0; r < runs; r++) {
            const double reach = ps.p[0].x[r];
            acc_add(big, reach > cut);
            if (reach > cut) acc_add(frac, reach);
        }
    }
    probes_free(&ps);
    return st;
}

typedef struct sir_point {
    double beta, quit;
} sir_point;

static wg_status check_sir_graph(ctx *c, const char *label, const wg_netspec *spec,
                                 const sir_point *pts, size_t npts, uint64_t seed)
{
    static const char *const MODEL = "SIR";
    static const char *const REF = "Newman 2002; Kenah-Robins";
    wg_graph *g = NULL;
    degdist dd = {0};
    probes ps = {.n = 0};
    const uint32_t steps = 1000, runs = c->o->quick ? 200 : 500;
    wg_status st = make_graph(c, spec, seed, &g);
    if (st != WG_OK) return st;
    if ((st = degdist_of(c, g, &dd)) != WG_OK) goto done;
    const double tc = dd.k1 / (dd.k2 - dd.k1);
    const double n = g->n;

    for (size_t i = 0; i < npts; i++) {
        gfp p = {&dd, transmissibility(pts[i].beta, pts[i].quit), pts[i].beta, pts[i].quit};
        double u = smallest_root(perc_eq, &p);
        double size = 1.0 - genfun(dd.p, dd.kmax, 1.0 - p.T + p.T * u);
        double v = smallest_root(branch_eq, &p);
        double major = 1.0 - genfun_period(dd.p, dd.kmax, p.beta, p.quit, v);
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, seed + 100 + i);
        vs.sim.model.p.v[WG_P_SHARE_POS] = p.beta;
        vs.sim.model.p.v[WG_P_QUIT_POS] = p.quit;
        acc big, frac;
        if ((st = major_outbreaks(c, &vs, runs, 1.0 / n, size, &big, &frac)) != WG_OK) goto done;
        double pm = big.mean;
        if ((st = add_row(c, MODEL, REF, major, pm, sqrt(pm * (1 - pm) / runs), 0, runs,
                          "%s: P(major outbreak), share %.2f quit %.2f (T %.3f)", label, p.beta,
                          p.quit, p.T)) != WG_OK ||
            (st = add_row(c, MODEL, REF, size, frac.mean, acc_se(&frac), 0, (unsigned)frac.n,
                          "%s: final size | major, share %.2f quit %.2f (T %.3f)", label,
                          p.beta, p.quit, p.T)) != WG_OK)
            goto done;
    }

    /* below the threshold: T = T_c / 2, mean outbreak size 1 + <k> T / (1 - T / T_c)
     * (linearity of expectation on the tree-like graph: offspring means <k> T for
     * the seed, T (<k^2> - <k>) / <k> = T / T_c for everyone else) */
    {
        const double quit = 0.5, T = 0.5 * tc;
        const double beta = T * quit / (1.0 - T * (1.0 - quit));
        const uint32_t sruns = c->o->quick ? 1500 : 4000;
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, seed + 200);
        vs.sim.model.p.v[WG_P_SHARE_POS] = beta;
        vs.sim.model.p.v[WG_P_QUIT_POS] = quit;
        vsim_seed(&vs, WG_POS, 1, NULL);
        if ((st = probe_add(c, &ps, Q_REACH_POS, UINT32_MAX, 1.0, sruns)) != WG_OK ||
            (st = simulate(c, &vs, sruns, visit_probes, &ps)) != WG_OK)
            goto done;
        acc a = acc_of(ps.p[0].x, sruns);
        st = add_row(c, MODEL, REF, 1.0 + dd.k1 * T / (1.0 - T / tc), a.mean, acc_se(&a), 0, sruns,
                     "%s: mean outbreak size at T = T_c/2, T_c = <k>/(<k2>-<k>) = %.4f", label, tc);
    }
done:
    probes_free(&ps);
    degdist_free(&dd);
    wg_graph_free(g);
    return st;
}

static wg_status check_sir(ctx *c)
{
    const uint32_t n = c->o->quick ? 5000 : 20000;
    wg_netspec s;
    poisson_spec(&s, n, 3);
    const sir_point pois[] = {{0.3, 0.3}, {0.15, 0.2}};
    wg_status st = check_sir_graph(c, "Poisson <k>=3", &s, pois, 2, 11);
    if (st != WG_OK) return st;
    s.deg_kind = WG_DEG_POWER_LAW;
    s.deg_exponent = 2.5;
    s.deg_min = 2;
    s.deg_cutoff = 30;
    const sir_point pl[] = {{0.3, 0.3}, {0.15, 0.3}};
    return check_sir_graph(c, "power law 2.5 min 2 cut 30", &s, pl, 2, 12);
}

/* ---- 2. Bass ------------------------------------------------------------------ */

/* Exact law of the adopted count under waggle's synchronous fractional rule on
 * a complete graph of n agents, nobody adopted at step 0's start: in a step
 * each of the n - A unaware agents adopts, independently, with probability
 * min(1, p + q A / (n - 1)) (the share of the OTHER n - 1 agents talking), so
 * A' = A + Binomial(n - A, h(A)). mean[t], sd[t]: of A / n at the end of step t. */
static wg_status bass_chain(ctx *c, uint32_t n, double p, double q, uint32_t steps, double *mean,
                            double *sd)
{
    double *cur = wg_calloc(n + 1, sizeof *cur), *nxt = wg_calloc(n + 1, sizeof *nxt);
    double *pmf = wg_calloc(n + 1, sizeof *pmf);
    if (!cur || !nxt || !pmf) {
        free(cur);
        free(nxt);
        free(pmf);
        wg_diag_error(c->d, WG_ENOMEM, "out of memory: the Bass chain");
        return WG_ENOMEM;
    }
    cur[0] = 1.0;
    for (uint32_t t = 0; t < steps; t++) {
        memset(nxt, 0, (n + 1) * sizeof *nxt);
        for (uint32_t a = 0; a <= n; a++) {
            if (cur[a] == 0) continue;
            uint32_t m = n - a;
            double h = p + q * a / (n - 1.0);
            if (h >= 1.0 || m == 0) {
                nxt[n] += cur[a];
                continue;
            }
            /* Binomial(m, h) by the ratio recurrence, in logs for the first term */
            double lp = m * log1p(-h), r = h / (1.0 - h);
            pmf[0] = exp(lp);
            for (uint32_t k = 0; k < m; k++) pmf[k + 1] = pmf[k] * (m - k) / (k + 1.0) * r;
            for (uint32_t k = 0; k <= m; k++) nxt[a + k] += cur[a] * pmf[k];
        }
        double *tmp = cur;
        cur = nxt;
        nxt = tmp;
        double m1 = 0, m2 = 0;
        for (uint32_t a = 0; a <= n; a++) m1 += cur[a] * a / n, m2 += cur[a] * ((double)a / n) * a / n;
        mean[t] = m1;
        sd[t] = sqrt(fmax(0.0, m2 - m1 * m1));
    }
    free(cur);
    free(nxt);
    free(pmf);
    return WG_OK;
}

/* The Bass ODE dF/dt = (p + q F)(1 - F), F(0) = 0, in closed form. */
static double bass_ode(double p, double q, double t)
{
    double e = exp(-(p + q) * t);
    return (1.0 - e) / (1.0 + q / p * e);
}

/* Large-N map of waggle's rule: F' = F + (1 - F) min(1, p + q F). */
static double bass_map(double p, double q, uint32_t steps)
{
    double f = 0;
    for (uint32_t t = 0; t < steps; t++) f += (1.0 - f) * fmin(1.0, p + q * f);
    return f;
}

typedef struct bass_point {
    double p, q;
    uint32_t t[2];      /* steps at which the adopted fraction is compared (1-based) */
} bass_point;

static wg_status bass_simulate(ctx *c, const wg_graph *g, double p, double q, uint32_t steps,
                               uint32_t runs, uint64_t seed, const uint32_t t[2], probes *ps)
{
    vsim vs;
    vsim_init(&vs, g, WG_CONTACT_ALL, steps, seed);
    vs.sim.model.exposure = WG_EXPOSURE_FRACTIONAL;
    vs.sim.model.p.v[WG_P_MEDIA_POS] = p;
    vs.sim.model.p.v[WG_P_SHARE_POS] = q;
    vs.sim.model.p.v[WG_P_QUIT_POS] = 0;
    wg_status st;
    for (int k = 0; k < 2; k++)
        if ((st = probe_add(c, ps, Q_ADVOCATES, t[k] - 1, 1.0 / g->n, runs)) != WG_OK) return st;
    return simulate(c, &vs, runs, visit_probes, ps);
}

static wg_status check_bass(ctx *c)
{
    static const char *const MODEL = "Bass";
    const uint32_t n = c->o->quick ? 200 : 300, runs = c->o->quick ? 200 : 500;
    const bass_point pts[] = {{0.01, 0.3, {10, 20}}, {0.03, 0.5, {5, 10}}};
    wg_graph *g = NULL;
    probes ps = {.n = 0};
    double mean[256], sd[256];
    wg_status st = complete_graph(c, n, &g);
    if (st != WG_OK) return st;
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        const bass_point *b = &pts[i];
        const uint32_t steps = b->t[1];
        if ((st = bass_chain(c, n, b->p, b->q, steps, mean, sd)) != WG_OK) goto done;
        if ((st = bass_simulate(c, g, b->p, b->q, steps, runs, 30 + i, b->t, &ps)) != WG_OK)
            goto done;
        for (int k = 0; k < 2; k++) {
            uint32_t t = b->t[k] - 1;
            acc a = acc_of(ps.p[k].x, runs);
            if ((st = add_row(c, MODEL, "Bass 1969 (exact chain)", mean[t], a.mean, acc_se(&a), 0,
                              runs, "adopted fraction at step %u, N %u, p %.2f q %.2f", b->t[k], n,
                              b->p, b->q)) != WG_OK)
                goto done;
        }
        probes_free(&ps);
    }
    /* the ODE: small p and q per step on a larger complete graph. The map
     * F' = F + (1 - F)(p + q F) is Euler's method for the ODE with step 1;
     * its gap to the ODE, O(p + q), and the finite-N gap of the exact chain
     * are stated as the tolerance. */
    {
        const double p = 0.002, q = 0.04;
        const uint32_t steps = 120, tpts[2] = {60, 120};
        if ((st = bass_chain(c, n, p, q, steps, mean, sd)) != WG_OK) goto done;
        if ((st = bass_simulate(c, g, p, q, steps, runs, 40, tpts, &ps)) != WG_OK) goto done;
        for (int k = 0; k < 2; k++) {
            uint32_t t = tpts[k];
            acc a = acc_of(ps.p[k].x, runs);
            double ode = bass_ode(p, q, t);
            double tol = fabs(bass_map(p, q, t) - ode) + fabs(mean[t - 1] - bass_map(p, q, t));
            if ((st = add_row(c, MODEL, "Bass 1969 (ODE)", ode, a.mean, acc_se(&a), tol, runs,
                              "adopted fraction at t = %u vs F(t), N %u, p %.3f q %.2f", t, n, p,
                              q)) != WG_OK)
                goto done;
        }
    }
done:
    probes_free(&ps);
    wg_graph_free(g);
    return st;
}

/* ---- 3. Maki–Thompson ---------------------------------------------------------- */

/* The deterministic map of the expected counts (X unaware, Y spreaders) under
 * waggle's synchronous rules on a complete graph of n agents, contact one,
 * stifle 1, quit 0, one spreader at the start. In a step each spreader picks
 * one of its n - 1 neighbours and makes contact with probability s: an
 * unaware neighbour (X of the n - 1) hears; an aware one stifles it. An
 * unaware agent hears when at least one of the Y spreaders picks it and makes
 * contact: 1 - (1 - s / (n - 1))^Y. Returns the final X / n. */
static double mt_map(double s, uint32_t n)
{
    double x = n - 1.0, y = 1.0;
    for (int t = 0; t < 1000000 && y > 1e-12 * n; t++) {
        double hear = 1.0 - pow(1.0 - s / (n - 1.0), y);
        double stifled = y * s * (1.0 - x / (n - 1.0));
        double heard = x * hear;
        x -= heard;
        y += heard - stifled;
    }
    return x / n;
}

static double mt_classic_eq(double x, void *p)
{
    (void)p;
    return x - exp(-2.0 * (1.0 - x));
}

static wg_status mt_simulate(ctx *c, const wg_graph *g, double s, uint32_t runs, uint64_t seed,
                             acc *out)
{
    /* the expected duration is about (ln n + 2) / s steps; the engine stops
     * a run as soon as no spreader is left */
    const uint32_t steps = (uint32_t)(4.0 * (log((double)g->n) + 4.0) / s);
    probes ps = {.n = 0};
    vsim vs;
    vsim_init(&vs, g, WG_CONTACT_ONE, steps, seed);
    vs.sim.model.p.v[WG_P_SHARE_POS] = s;
    vs.sim.model.p.v[WG_P_QUIT_POS] = 0;
    vs.sim.model.p.v[WG_P_STIFLE] = 1;
    vsim_seed(&vs, WG_POS, 1, NULL);
    wg_status st = probe_add(c, &ps, Q_UNAWARE, UINT32_MAX, 1.0 / g->n, runs);
    if (st == WG_OK) st = simulate(c, &vs, runs, visit_probes, &ps);
    if (st == WG_OK) *out = acc_of(ps.p[0].x, runs);
    probes_free(&ps);
    return st;
}

static wg_status check_maki_thompson(ctx *c)
{
    static const char *const MODEL = "Maki-Thompson";
    static const char *const REF = "Maki & Thompson 1973";
    const uint32_t n1 = c->o->quick ? 200 : 500, n2 = 4 * n1;
    const uint32_t runs = c->o->quick ? 200 : 1000;
    const double shares[] = {1.0, 0.5};
    const double small_share = c->o->quick ? 0.05 : 0.02;
    wg_graph *g1 = NULL, *g2 = NULL;
    double classic;
    wg_status st;
    if (brent(mt_classic_eq, NULL, 1e-6, 0.5, &classic) != 0) {
        wg_diag_error(c->d, WG_EINPUT, "validate: no root of x = exp(-2 (1 - x)) in (0, 0.5]");
        return WG_EINPUT;
    }
    if ((st = complete_graph(c, n1, &g1)) != WG_OK || (st = complete_graph(c, n2, &g2)) != WG_OK)
        goto done;
    acc a1, a2;
    for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++) {
        double s = shares[i];
        if ((st = mt_simulate(c, g2, s, runs, 50 + i, &a2)) != WG_OK) goto done;
        if ((st = add_row(c, MODEL, REF, mt_map(s, n2), a2.mean, acc_se(&a2), 0, runs,
                          "never hearing, synchronous map, N %u, share %.2f", n2, s)) != WG_OK)
            goto done;
        if (s == 1.0) {
            /* synchronous steps with share 1 are not the classic model */
            if ((st = add_row(c, MODEL, REF, mt_map(s, n2) - classic, a2.mean - classic,
                              acc_se(&a2), 0, runs,
                              "share 1: never hearing minus classic %.4f (x = e^-2(1-x))",
                              classic)) != WG_OK)
                goto done;
            /* the spread across runs shrinks like 1 / sqrt(N): sd(N1) / sd(N2) = 2
             * for N2 = 4 N1; se by the delta method, sd's relative se being
             * 1 / sqrt(2 (R - 1)) for each */
            if ((st = mt_simulate(c, g1, s, runs, 60, &a1)) != WG_OK) goto done;
            double ratio = acc_sd(&a1) / acc_sd(&a2);
            double se = ratio * sqrt(2.0 / (2.0 * (runs - 1.0)));
            if ((st = add_row(c, MODEL, REF, 2.0, ratio, se, 0, runs,
                              "spread sd(N %u) / sd(N %u) = sqrt(4), share 1", n1, n2)) != WG_OK)
                goto done;
        }
    }
    /* small share: the classic continuous-time value; the gap of waggle's own
     * map at this share and N to the limit is the stated tolerance */
    if ((st = mt_simulate(c, g2, small_share, runs, 70, &a2)) != WG_OK) goto done;
    st = add_row(c, MODEL, REF, classic, a2.mean, acc_se(&a2),
                 fabs(mt_map(small_share, n2) - classic), runs,
                 "never hearing vs classic root of x = e^-2(1-x), N %u, share %.2f", n2,
                 small_share);
done:
    wg_graph_free(g1);
    wg_graph_free(g2);
    return st;
}

/* ---- 4 and 5. Independent cascade and IC-N: exact enumeration -------------------- */

/* A small undirected graph with seeds, for enumeration. */
typedef struct small_graph {
    uint32_t n, m;
    uint32_t a[WG_ENUM_MAX_EDGES], b[WG_ENUM_MAX_EDGES];
    int seed[WG_ENUM_MAX_NODES];   /* -1: not a seed, else WG_POS or WG_NEG */
} small_graph;

/* Expectations over the live-edge graphs and valence draws. */
typedef struct enum_out {
    double pos, pos2, neg, neg2;          /* E[positive reach], E[its square], same negative */
    double reached[WG_ENUM_MAX_NODES];    /* P(agent reached) */
} enum_out;

typedef struct enum_state {
    const small_graph *sg;
    double q;
    uint32_t live;                        /* bit mask of live edges */
    int dist[WG_ENUM_MAX_NODES];          /* -1: not reached */
    uint32_t order[WG_ENUM_MAX_NODES];    /* reached agents by distance */
    uint32_t nreached;
    int val[WG_ENUM_MAX_NODES];
    enum_out *out;
} enum_state;

/* Valences of the reached agents order[i..], in order of distance (rule 3/4:
 * an agent whose live parents, the live neighbours one step closer to the
 * seeds, hold n+ advocates and n- critics turns positive with probability
 * n+ / (n+ + n-), then advocate with probability quality). */
static void enum_valences(enum_state *s, uint32_t i, double prob)
{
    if (prob == 0) return;
    if (i == s->nreached) {
        double np = 0, nn = 0;
        for (uint32_t k = 0; k < s->nreached; k++) {
            if (s->val[s->order[k]] == WG_POS) np += 1;
            else nn += 1;
        }
        s->out->pos += prob * np;
        s->out->pos2 += prob * np * np;
        s->out->neg += prob * nn;
        s->out->neg2 += prob * nn * nn;
        return;
    }
    const small_graph *sg = s->sg;
    uint32_t v = s->order[i];
    if (s->dist[v] == 0) {
        s->val[v] = sg->seed[v];
        enum_valences(s, i + 1, prob);
        return;
    }
    double npos = 0, nneg = 0;
    for (uint32_t e = 0; e < sg->m; e++) {
        if (!(s->live >> e & 1)) continue;
        uint32_t u = sg->a[e] == v ? sg->b[e] : sg->b[e] == v ? sg->a[e] : WG_NO_AGENT;
        if (u == WG_NO_AGENT || s->dist[u] != s->dist[v] - 1) continue;
        if (s->val[u] == WG_POS) npos += 1;
        else nneg += 1;
    }
    double ppos = s->q * npos / (npos + nneg);
    s->val[v] = WG_POS;
    enum_valences(s, i + 1, prob * ppos);
    s->val[v] = WG_NEG;
    enum_valences(s, i + 1, prob * (1.0 - ppos));
}

/* Exact expectations of contact `once` with share p and quality q on sg:
 * every edge is tried once, by whichever end talks first, and makes contact
 * with probability p (a live edge); the reached agents are those joined to
 * the seeds by live edges, each at its breadth-first distance in steps.
 * O(2^m × (n + m) × 2^(reached)). */
static void enum_cascade(const small_graph *sg, double p, double q, enum_out *out)
{
    memset(out, 0, sizeof *out);
    enum_state s;
    memset(&s, 0, sizeof s);
    s.sg = sg;
    s.q = q;
    s.out = out;
    for (uint32_t mask = 0; mask < (1u << sg->m); mask++) {
        int k = __builtin_popcount(mask);
        double w = pow(p, k) * pow(1.0 - p, (int)sg->m - k);
        s.live = mask;
        s.nreached = 0;
        for (uint32_t v = 0; v < sg->n; v++) {
            s.dist[v] = sg->seed[v] >= 0 ? 0 : -1;
            if (s.dist[v] == 0) s.order[s.nreached++] = v;
        }
        for (uint32_t h = 0; h < s.nreached; h++) {
            uint32_t u = s.order[h];
            for (uint32_t e = 0; e < sg->m; e++) {
                if (!(mask >> e & 1)) continue;
                uint32_t x = sg->a[e] == u ? sg->b[e] : sg->b[e] == u ? sg->a[e] : WG_NO_AGENT;
                if (x == WG_NO_AGENT || s.dist[x] >= 0) continue;
                s.dist[x] = s.dist[u] + 1;
                s.order[s.nreached++] = x;
            }
        }
        for (uint32_t h = 0; h < s.nreached; h++) out->reached[s.order[h]] += w;
        enum_valences(&s, 0, w);
    }
}

static void sg_edge(small_graph *sg, uint32_t a, uint32_t b)
{
    sg->a[sg->m] = a;
    sg->b[sg->m] = b;
    sg->m++;
}

static void sg_init(small_graph *sg, uint32_t n)
{
    memset(sg, 0, sizeof *sg);
    sg->n = n;
    for (uint32_t v = 0; v < WG_ENUM_MAX_NODES; v++) sg->seed[v] = -1;
}

/* Simulate contact once on sg: reach of each valence per run, and (when
 * node != WG_NO_AGENT) the fraction of runs that reached that agent. */
typedef struct cascade_sim {
    acc pos, neg, node;
} cascade_sim;

static wg_status cascade_simulate(ctx *c, const small_graph *sg, double p, double q,
                                  uint32_t runs, uint64_t seed, uint32_t node, cascade_sim *out)
{
    wg_graph *g = NULL;
    wg_engine *e = NULL;
    uint32_t *counts = NULL;
    uint8_t state[WG_ENUM_MAX_NODES];
    uint32_t src[WG_ENUM_MAX_EDGES], dst[WG_ENUM_MAX_EDGES];
    const uint32_t steps = sg->n + 2;
    memset(out, 0, sizeof *out);
    for (uint32_t i = 0; i < sg->m; i++) src[i] = sg->a[i], dst[i] = sg->b[i];
    wg_status st = wg_graph_from_edges(sg->n, sg->m, src, dst, NULL, 0, &g, NULL, NULL, c->d);
    if (st != WG_OK) return st;
    vsim vs;
    vsim_init(&vs, g, WG_CONTACT_ONCE, steps, seed);
    vs.sim.model.p.v[WG_P_SHARE_POS] = p;
    vs.sim.model.p.v[WG_P_SHARE_NEG] = p;
    vs.sim.model.p.v[WG_P_QUALITY] = q;
    for (int val = WG_POS; val <= WG_NEG; val++) {
        uint32_t ids[4], k = 0;
        for (uint32_t v = 0; v < sg->n && k < 4; v++)
            if (sg->seed[v] == val) ids[k++] = v;
        if (k) vsim_seed(&vs, val, k, ids);
    }
    wg_sim sim;
    perturbed(c, &vs, &sim);
    if ((st = wg_engine_new(&sim, 1, &e, c->d)) != WG_OK) goto done;
    if (!(counts = wg_malloc((size_t)steps * WG_NCOUNTS, sizeof *counts))) {
        wg_diag_error(c->d, st = WG_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t r = 0; r < runs; r++) {
        if ((st = wg_engine_run_states(e, r, state, counts, c->d)) != WG_OK) goto done;
        uint32_t np = 0, nn = 0;
        for (uint32_t v = 0; v < sg->n; v++) {
            np += state[v] == WG_ADVOCATE || state[v] == WG_SUPPORTER;
            nn += state[v] == WG_CRITIC || state[v] == WG_REJECTER;
        }
        acc_add(&out->pos, np);
        acc_add(&out->neg, nn);
        if (node != WG_NO_AGENT) acc_add(&out->node, state[node] != WG_UNAWARE);
    }
done:
    free(counts);
    wg_engine_free(e);
    wg_graph_free(g);
    return st;
}

static double sd_of(double m, double m2)
{
    return sqrt(fmax(0.0, m2 - m * m));
}

static wg_status check_cascades(ctx *c)
{
    const uint32_t runs = c->o->quick ? 20000 : 100000;
    small_graph tree, petersen, star, path, cycle;
    /* a complete binary tree of 15 agents, seed at the root */
    sg_init(&tree, 15);
    for (uint32_t v = 1; v < 15; v++) sg_edge(&tree, (v - 1) / 2, v);
    tree.seed[0] = WG_POS;
    /* the Petersen graph: 10 agents, 15 edges, cycles of length 5 */
    sg_init(&petersen, 10);
    for (uint32_t i = 0; i < 5; i++) {
        sg_edge(&petersen, i, (i + 1) % 5);
        sg_edge(&petersen, i, i + 5);
        sg_edge(&petersen, 5 + i, 5 + (i + 2) % 5);
    }
    petersen.seed[0] = WG_POS;
    /* IC-N: a star whose hub hears a positive and a negative leaf at once */
    sg_init(&star, 7);
    for (uint32_t v = 1; v < 7; v++) sg_edge(&star, 0, v);
    star.seed[1] = WG_POS;
    star.seed[2] = WG_NEG;
    /* a path with a positive and a negative end: the middle hears both at once */
    sg_init(&path, 7);
    for (uint32_t v = 0; v + 1 < 7; v++) sg_edge(&path, v, v + 1);
    path.seed[0] = WG_POS;
    path.seed[6] = WG_NEG;
    /* a ring of 6 from one advocate: the far side hears from two talkers at once */
    sg_init(&cycle, 6);
    for (uint32_t v = 0; v < 6; v++) sg_edge(&cycle, v, (v + 1) % 6);
    cycle.seed[0] = WG_POS;

    struct {
        const char *model, *ref, *name;
        const small_graph *sg;
        double p, q;
        uint32_t node;
    } cases[] = {
        {"IC", "Kempe et al. 2003", "binary tree 15", &tree, 0.5, 1.0, 14},
        {"IC", "Kempe et al. 2003", "binary tree 15", &tree, 0.8, 1.0, 14},
        {"IC", "Kempe et al. 2003", "Petersen graph", &petersen, 0.3, 1.0, 7},
        {"IC", "Kempe et al. 2003", "Petersen graph", &petersen, 0.6, 1.0, 7},
        {"IC-N", "Chen et al. 2011", "star 1+6, leaves + and -", &star, 0.7, 0.6, WG_NO_AGENT},
        {"IC-N", "Chen et al. 2011", "path 7, ends + and -", &path, 0.8, 0.7, WG_NO_AGENT},
        {"IC-N", "Chen et al. 2011", "ring 6, one +", &cycle, 0.9, 0.6, WG_NO_AGENT},
    };
    wg_status st = WG_OK;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] && st == WG_OK; i++) {
        enum_out ex;
        cascade_sim sim;
        enum_cascade(cases[i].sg, cases[i].p, cases[i].q, &ex);
        if ((st = cascade_simulate(c, cases[i].sg, cases[i].p, cases[i].q, runs, 80 + i,
                                   cases[i].node, &sim)) != WG_OK)
            break;
        /* se from the exact standard deviation */
        double sep = sd_of(ex.pos, ex.pos2) / sqrt((double)runs);
        double sen = sd_of(ex.neg, ex.neg2) / sqrt((double)runs);
        if (cases[i].q == 1.0) {
            uint32_t v = cases[i].node;
            double pr = ex.reached[v];
            if ((st = add_row(c, cases[i].model, cases[i].ref, ex.pos, sim.pos.mean, sep, 0, runs,
                              "%s: expected reach, share %.2f (enumerated 2^%u)", cases[i].name,
                              cases[i].p, cases[i].sg->m)) != WG_OK)
                break;
            st = add_row(c, cases[i].model, cases[i].ref, pr, sim.node.mean,
                         sqrt(pr * (1 - pr) / runs), 0, runs, "%s: P(agent %u reached), share %.2f",
                         cases[i].name, v, cases[i].p);
        } else {
            if ((st = add_row(c, cases[i].model, cases[i].ref, ex.pos, sim.pos.mean, sep, 0, runs,
                              "%s: positive reach, share %.2f quality %.2f", cases[i].name,
                              cases[i].p, cases[i].q)) != WG_OK)
                break;
            st = add_row(c, cases[i].model, cases[i].ref, ex.neg, sim.neg.mean, sen, 0, runs,
                         "%s: negative reach, share %.2f quality %.2f", cases[i].name, cases[i].p,
                         cases[i].q);
        }
    }
    return st;
}

/* ---- 6. SIS ------------------------------------------------------------------ */

typedef struct sis_par {
    double n, beta, quit, forget;
} sis_par;

/* At a fixed point of the mean-field map of waggle's rules on a complete
 * graph (X unaware, Y talking, Z quiet; an unaware agent is hit by at least
 * one of the Y talkers with probability h(Y) = 1 - (1 - beta)^Y; talkers go
 * quiet with quit, quiet agents forget with forget): X h(Y) = quit Y and
 * forget Z = quit Y, so with X = n - Y - quit Y / forget:
 * (n - Y (1 + quit / forget)) h(Y) - quit Y = 0. */
static double sis_eq(double y, void *vp)
{
    const sis_par *p = vp;
    double h = 1.0 - pow(1.0 - p->beta, y);
    return (p->n - y * (1.0 + p->quit / p->forget)) * h - p->quit * y;
}

static wg_status check_sis(ctx *c)
{
    static const char *const MODEL = "SIS";
    static const char *const REF = "mean field (Kermack-McKendrick)";
    const uint32_t n = c->o->quick ? 200 : 500, runs = c->o->quick ? 24 : 48;
    const uint32_t steps = c->o->quick ? 300 : 600, burn = 100;
    const double quit = 0.4, forget = 0.3;
    /* beta (n - 1): the expected contacts of one talker per step */
    const double contacts[] = {1.0, 2.0};
    wg_graph *g = NULL;
    probes ps = {.n = 0};
    wg_status st = complete_graph(c, n, &g);
    if (st != WG_OK) return st;
    for (size_t i = 0; i < 2; i++) {
        sis_par p = {n, contacts[i] / (n - 1.0), quit, forget};
        double ystar;
        double hi = n / (1.0 + quit / forget);
        if (brent(sis_eq, &p, 1e-6 * n, hi, &ystar) != 0) {
            wg_diag_error(c->d, WG_EINPUT, "validate: no endemic fixed point for SIS");
            st = WG_EINPUT;
            goto done;
        }
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, 90 + i);
        vs.sim.model.p.v[WG_P_SHARE_POS] = p.beta;
        vs.sim.model.p.v[WG_P_QUIT_POS] = quit;
        vs.sim.model.p.v[WG_P_FORGET] = forget;
        vsim_seed(&vs, WG_POS, (uint32_t)(ystar + 0.5), NULL);
        if ((st = probe_add(c, &ps, Q_TALKING_MEAN, burn, 1.0 / n, runs)) != WG_OK ||
            (st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK)
            goto done;
        acc a = acc_of(ps.p[0].x, runs);
        probes_free(&ps);
        /* the map is the large-N limit of expected fractions: its O(1/N) gap
         * to the stochastic process (which fluctuates around it) is the
         * stated tolerance */
        if ((st = add_row(c, MODEL, REF, ystar / n, a.mean, acc_se(&a), 1.0 / n, runs,
                          "endemic talking fraction, complete N %u, beta(N-1) %.1f quit %.1f "
                          "forget %.1f", n, contacts[i], quit, forget)) != WG_OK)
            goto done;
    }
    /* below the threshold beta (N - 1) < quit: E[Y_t] <= Y_0 (1 - quit + beta (N - 1))^t */
    {
        const double b = 0.5 * quit, lambda = 1.0 - quit + b;
        const uint32_t y0 = n / 10, eruns = 4 * runs;
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, 95);
        vs.sim.model.p.v[WG_P_SHARE_POS] = b / (n - 1.0);
        vs.sim.model.p.v[WG_P_QUIT_POS] = quit;
        vs.sim.model.p.v[WG_P_FORGET] = forget;
        vsim_seed(&vs, WG_POS, y0, NULL);
        if ((st = probe_add(c, &ps, Q_ADVOCATES, UINT32_MAX, 1.0, eruns)) != WG_OK ||
            (st = simulate(c, &vs, eruns, visit_probes, &ps)) != WG_OK)
            goto done;
        acc a = {0};
        for (uint32_t r = 0; r < eruns; r++) acc_add(&a, ps.p[0].x[r] == 0);
        probes_free(&ps);
        double bound = fmin(1.0, y0 * pow(lambda, steps));
        st = add_row(c, MODEL, REF, 1.0 - bound, a.mean, acc_se(&a), 0, eruns,
                     "P(extinct by step %u), beta(N-1) %.2f < quit %.1f, %u seeds, N %u", steps,
                     b, quit, y0, n);
    }
done:
    probes_free(&ps);
    wg_graph_free(g);
    return st;
}

/* ---- 7. Goldenberg et al. 2007: the NPV of bad news ---------------------------- */

/* Expected reach on a tree-like graph with mean degree k1 and mean excess
 * degree kappa, one advocate seed: advocates pass positive word along each
 * edge with T+ and the hearer is an advocate with probability quality, else a
 * critic; critics pass negative word with T- and every hearer is a critic
 * (rejecters are absorbing: nobody forgets). */
static void bad_news(double k1, double kappa, double tp, double tn, double q, double *pos,
                     double *neg)
{
    double adv = k1 * tp * q / (1.0 - kappa * tp * q);   /* advocates besides the seed */
    double crit = tp * (1.0 - q) * (k1 + kappa * adv);   /* critics made by advocates */
    *pos = 1.0 + adv;
    *neg = crit / (1.0 - kappa * tn);
}

static wg_status check_bad_news(ctx *c)
{
    static const char *const MODEL = "bad news";
    static const char *const REF = "Goldenberg et al. 2007";
    const uint32_t n = c->o->quick ? 2500 : 5000, runs = c->o->quick ? 3000 : 8000;
    const uint32_t steps = 500;
    const double bp = 0.08, qp = 0.3, bn = 0.06, qn = 0.2;
    const double quality[] = {1.0, 0.8, 0.5};
    wg_graph *g = NULL;
    degdist dd = {0};
    probes ps[3];
    memset(ps, 0, sizeof ps);
    wg_status st = poisson_graph(c, 3, n, 13, &g, &dd);
    if (st != WG_OK) goto done;
    const double kappa = (dd.k2 - dd.k1) / dd.k1;
    const double tp = transmissibility(bp, qp), tn = transmissibility(bn, qn);
    for (int i = 0; i < 3; i++) {
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, 99);   /* same seed: paired runs */
        vs.sim.model.p.v[WG_P_SHARE_POS] = bp;
        vs.sim.model.p.v[WG_P_QUIT_POS] = qp;
        vs.sim.model.p.v[WG_P_SHARE_NEG] = bn;
        vs.sim.model.p.v[WG_P_QUIT_NEG] = qn;
        vs.sim.model.p.v[WG_P_QUALITY] = quality[i];
        vsim_seed(&vs, WG_POS, 1, NULL);
        if ((st = probe_add(c, &ps[i], Q_REACH_POS, UINT32_MAX, 1.0, runs)) != WG_OK ||
            (st = probe_add(c, &ps[i], Q_REACH_NEG, UINT32_MAX, 1.0, runs)) != WG_OK ||
            (st = simulate(c, &vs, runs, visit_probes, &ps[i])) != WG_OK)
            goto done;
    }
    double pos1, neg1;
    bad_news(dd.k1, kappa, tp, tn, 1.0, &pos1, &neg1);
    for (int i = 1; i < 3; i++) {
        double pos, neg;
        bad_news(dd.k1, kappa, tp, tn, quality[i], &pos, &neg);
        acc loss = {0};
        for (uint32_t r = 0; r < runs; r++) acc_add(&loss, ps[0].p[0].x[r] - ps[i].p[0].x[r]);
        acc an = acc_of(ps[i].p[1].x, runs);
        if ((st = add_row(c, MODEL, REF, pos1 - pos, loss.mean, acc_se(&loss), 0, runs,
                          "loss of positive reach, quality 1 -> %.1f, Poisson <k>=3 N %u, T+ %.3f",
                          quality[i], n, tp)) != WG_OK ||
            (st = add_row(c, MODEL, REF, neg, an.mean, acc_se(&an), 0, runs,
                          "negative reach, quality %.1f, T- %.3f", quality[i], tn)) != WG_OK)
            goto done;
    }
done:
    for (int i = 0; i < 3; i++) probes_free(&ps[i]);
    degdist_free(&dd);
    wg_graph_free(g);
    return st;
}

/* ---- the suite and the command -------------------------------------------------- */

/* ---- 8. talking times (model.duration) ------------------------------------------ */

/* The law of D on 1 .. WG_DUR_MAX, computed here from the law's parameters
 * (not from the engine's tables); tail = P(D > WG_DUR_MAX), whose talkers
 * transmit with probability 1 - (1 - share)^WG_DUR_MAX, 1 to double precision. */
#define WG_DUR_MAX 2000u

typedef struct dlaw {
    double pmf[WG_DUR_MAX + 1];   /* pmf[d], d = 1 .. WG_DUR_MAX */
    double tail;
    double beta;                  /* share */
} dlaw;

/* beta_quit: q ~ Beta(a, b); the integrand of E[(1 - beta)^D] = E[q (1 - beta) /
 * (1 - (1 - q)(1 - beta))] (D geometric given q). */
typedef struct beta_int {
    double a, b, beta;
} beta_int;

static double beta_integrand(double q, void *vp)
{
    const beta_int *p = vp;
    return gsl_ran_beta_pdf(q, p->a, p->b) * q * (1 - p->beta) / (1 - (1 - q) * (1 - p->beta));
}

/* Weibull of shape k: log(1 + CV^2) - (lgamma(1 + 2/k) - 2 lgamma(1 + 1/k)),
 * zero at the shape whose coefficient of variation is the law's. */
static double weibull_shape_eq(double k, void *vp)
{
    const double *cv2 = vp;
    return log1p(*cv2) - (gsl_sf_lngamma(1 + 2 / k) - 2 * gsl_sf_lngamma(1 + 1 / k));
}

static void dlaw_of(dlaw *L, const wg_duration *law, double beta)
{
    memset(L, 0, sizeof *L);
    L->beta = beta;
    double prev = 0;
    double m = law->a, sd = law->b, cv2 = sd * sd / (m * m);
    double wk = 1, wl = m;   /* Weibull shape and scale: mean = scale Gamma(1 + 1/shape) */
    if (law->law == WG_DUR_WEIBULL && brent(weibull_shape_eq, &cv2, 0.05, 50, &wk) == 0)
        wl = m / exp(gsl_sf_lngamma(1 + 1 / wk));
    for (uint32_t d = 1; d <= WG_DUR_MAX; d++) {
        double F = 1;
        switch (law->law) {
        case WG_DUR_FIXED: F = d >= law->a ? 1 : 0; break;
        case WG_DUR_GAMMA: F = gsl_cdf_gamma_P(d, 1 / cv2, m * cv2); break;
        case WG_DUR_LOGNORMAL: {
            double s2 = log1p(cv2);
            F = gsl_cdf_lognormal_P(d, log(m) - s2 / 2, sqrt(s2));
            break;
        }
        case WG_DUR_WEIBULL: F = gsl_cdf_weibull_P(d, wl, wk); break;
        case WG_DUR_BETA_QUIT:   /* P(D = d) = B(a + 1, b + d - 1) / B(a, b) */
            F = prev + exp(gsl_sf_lnbeta(law->a + 1, law->b + d - 1) - gsl_sf_lnbeta(law->a, law->b));
            break;
        default: break;
        }
        L->pmf[d] = F - prev;
        prev = F;
    }
    L->tail = 1 - prev > 0 ? 1 - prev : 0;
}

/* T = 1 - E[(1 - beta)^D] from the law's pmf. */
static double dlaw_T(const dlaw *L)
{
    double t = L->tail * tau_of(L->beta, WG_DUR_MAX);
    for (uint32_t d = 1; d <= WG_DUR_MAX; d++) t += L->pmf[d] * tau_of(L->beta, d);
    return t;
}

/* E_D[ sum_k w[k] (1 - tau_D (1 - x))^k ], D of law L. */
static double genfun_dlaw(const double *w, uint32_t kmax, const dlaw *L, double x)
{
    double s = L->tail * genfun(w, kmax, 1.0 - tau_of(L->beta, WG_DUR_MAX) * (1.0 - x));
    for (uint32_t d = 1; d <= WG_DUR_MAX; d++)
        if (L->pmf[d] > 0) s += L->pmf[d] * genfun(w, kmax, 1.0 - tau_of(L->beta, d) * (1.0 - x));
    return s;
}

typedef struct dgfp {
    const degdist *dd;
    const dlaw *L;
} dgfp;

static double dbranch_eq(double v, void *vp)
{
    const dgfp *p = vp;
    return genfun_dlaw(p->dd->q, p->dd->kmax, p->L, v) - v;
}

static wg_status check_durations(ctx *c)
{
    static const char *const MODEL = "duration";
    static const char *const REF = "Kenah-Robins 2007";
    const uint32_t n = c->o->quick ? 5000 : 20000, steps = 1000, runs = c->o->quick ? 200 : 500;
    const struct {
        wg_duration law;
        double beta;
        const char *what;
    } pts[] = {
        {{WG_DUR_FIXED, 3, 0}, 0.2, "fixed 3"},
        {{WG_DUR_GAMMA, 3, 2}, 0.2, "gamma mean 3 sd 2"},
        {{WG_DUR_LOGNORMAL, 3, 2}, 0.2, "lognormal mean 3 sd 2"},
        {{WG_DUR_BETA_QUIT, 1.5, 2}, 0.3, "beta_quit a 1.5 b 2"},
        {{WG_DUR_WEIBULL, 3, 2}, 0.2, "weibull mean 3 sd 2"},   /* appended: the rows above keep their seeds */
    };
    wg_graph *g = NULL;
    degdist dd = {0};
    dlaw *L = wg_malloc(1, sizeof *L);
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    wg_status st = WG_ENOMEM;
    if (!L || !ws) {
        wg_diag_error(c->d, st, "out of memory: the law of a talking time");
        goto done;
    }
    if ((st = poisson_graph(c, 3, n, 14, &g, &dd)) != WG_OK) goto done;
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        dlaw_of(L, &pts[i].law, pts[i].beta);
        double T = dlaw_T(L);
        if (pts[i].law.law == WG_DUR_BETA_QUIT) {
            /* T by numerical integration over q, the law's own definition */
            beta_int bi = {pts[i].law.a, pts[i].law.b, pts[i].beta};
            gsl_function F = {beta_integrand, &bi};
            double r, err;
            gsl_error_handler_t *old = gsl_set_error_handler_off();
            int ist = gsl_integration_qags(&F, 0, 1, 1e-13, 1e-11, 1000, ws, &r, &err);
            gsl_set_error_handler(old);
            if (ist == GSL_SUCCESS) T = 1 - r;
        }
        gfp p = {&dd, T, 0, 0};
        double u = smallest_root(perc_eq, &p);
        double size = 1.0 - genfun(dd.p, dd.kmax, 1.0 - T + T * u);
        dgfp q = {&dd, L};
        double v = smallest_root(dbranch_eq, &q);
        double major = 1.0 - genfun_dlaw(dd.p, dd.kmax, L, v);
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, 300 + i);
        vs.sim.model.p.v[WG_P_SHARE_POS] = pts[i].beta;
        vs.sim.model.duration[WG_POS] = pts[i].law;
        acc big, frac;
        if ((st = major_outbreaks(c, &vs, runs, 1.0 / n, size, &big, &frac)) != WG_OK) goto done;
        double pm = big.mean;
        if ((st = add_row(c, MODEL, REF, major, pm, sqrt(pm * (1 - pm) / runs), 0, runs,
                          "Poisson <k>=3: P(major), %s, share %.2f (T %.3f)", pts[i].what,
                          pts[i].beta, T)) != WG_OK ||
            (st = add_row(c, MODEL, REF, size, frac.mean, acc_se(&frac), 0, (unsigned)frac.n,
                          "Poisson <k>=3: final size | major, %s (P(major) %s size)",
                          pts[i].what, pts[i].law.law == WG_DUR_FIXED ? "=" : "!=")) != WG_OK)
            goto done;
    }
done:
    degdist_free(&dd);
    wg_graph_free(g);
    gsl_integration_workspace_free(ws);
    free(L);
    return st;
}

/* ---- 9. Attention: power-law media pulses --------------------------------------- */

/* A power-law pulse on agents who do not talk (share 0): each unaware agent
 * is hit at step t with p_t = m + a (1 + (t - t0) / c)^(-power) (t >= t0),
 * independently of the others, so the expected reached share by the end of
 * step T is exactly 1 - prod_{t <= T} (1 - p_t). */
static double pulse_reach(double m, double a, double power, double scale, uint32_t t0,
                          uint32_t t_end)
{
    double unreached = 1.0;
    for (uint32_t t = 0; t <= t_end; t++) {
        double p = m + (t >= t0 ? a * pow(1.0 + (t - t0) / scale, -power) : 0.0);
        unreached *= 1.0 - fmin(1.0, p);
    }
    return 1.0 - unreached;
}

static wg_status check_media_power(ctx *c)
{
    static const char *const MODEL = "attention";
    static const char *const REF = "exact product";
    const uint32_t n = c->o->quick ? 2000 : 10000, runs = c->o->quick ? 40 : 100;
    const struct {
        double m, a, power, scale;
        uint32_t t0, steps, at[2];
    } pts[] = {
        {0.0, 0.1, 1.5, 2.0, 3, 120, {8, 119}},
        {0.001, 0.05, 0.6, 5.0, 0, 200, {20, 199}},
    };
    wg_graph *g = NULL;
    probes ps = {.n = 0};
    wg_status st = ring_graph(c, n, &g);
    if (st != WG_OK) return st;
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, pts[i].steps, 400 + i);
        vs.sim.model.p.v[WG_P_SHARE_POS] = vs.sim.model.p.v[WG_P_SHARE_NEG] = 0;
        vs.sim.model.p.v[WG_P_MEDIA_POS] = pts[i].m;
        vsim_media(&vs, WG_POS, pts[i].t0, pts[i].a, pts[i].power, pts[i].scale);
        for (int k = 0; k < 2; k++)
            if ((st = probe_add(c, &ps, Q_REACH_POS, pts[i].at[k], 1.0 / n, runs)) != WG_OK)
                goto done;
        if ((st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK) goto done;
        for (int k = 0; k < 2; k++) {
            acc a = acc_of(ps.p[k].x, runs);
            double th = pulse_reach(pts[i].m, pts[i].a, pts[i].power, pts[i].scale, pts[i].t0,
                                    pts[i].at[k]);
            if ((st = add_row(c, MODEL, REF, th, a.mean, acc_se(&a), 0, runs,
                              "media pulse a %.2f (1+u/%g)^-%g + media %g, no talk: reach at "
                              "step %u",
                              pts[i].a, pts[i].scale, pts[i].power, pts[i].m, pts[i].at[k])) !=
                WG_OK)
                goto done;
        }
        probes_free(&ps);
    }
done:
    probes_free(&ps);
    wg_graph_free(g);
    return st;
}

/* ---- 10. threshold contagion (exposure threshold) ------------------------------- */

/* P(an agent of degree k with m in-neighbours in the reach adopts): m >= 1
 * (a share of 0 never adopts) and its threshold at most m / k, for the law l,
 * whose CDF is computed here (the normal truncated to [0, 1]). */
static double thr_adopt(const wg_thr_law *l, uint32_t m, uint32_t k)
{
    if (m == 0 || k == 0) return 0;
    const double x = (double)m / k;
    switch (l->kind) {
    case WG_THR_UNIFORM:
        if (l->b <= l->a) return x >= l->a ? 1 : 0;
        return x <= l->a ? 0 : x >= l->b ? 1 : (x - l->a) / (l->b - l->a);
    case WG_THR_NORMAL: {
        const double lo = gsl_cdf_gaussian_P(-l->a, l->b), hi = gsl_cdf_gaussian_P(1 - l->a, l->b);
        return x >= 1 ? 1 : (gsl_cdf_gaussian_P(x - l->a, l->b) - lo) / (hi - lo);
    }
    case WG_THR_FIXED:
    default:
        return x >= l->a ? 1 : 0;
    }
}

typedef struct gc_par {
    const degdist *dd;
    const wg_thr_law *law;
    double rho0;
} gc_par;

/* Gleeson & Cahalane 2007, eq. 1-2 on the realised degrees: with q the
 * probability that a neighbour reached along an edge is in the reach,
 * q' = rho0 + (1 - rho0) sum_k (k p_k / z) sum_m B(k - 1, m; q) F(m, k), and
 * the final share rho0 + (1 - rho0) sum_k p_k sum_m B(k, m; q) F(m, k). */
static double gc_map(const gc_par *p, double q, int size)
{
    const degdist *dd = p->dd;
    double s = 0;
    for (uint32_t k = 1; k <= dd->kmax; k++) {
        if (dd->p[k] == 0) continue;
        const uint32_t kk = size ? k : k - 1;
        double in = 0;
        for (uint32_t m = 1; m <= kk; m++)
            in += gsl_ran_binomial_pdf(m, q, kk) * thr_adopt(p->law, m, k);
        s += (size ? dd->p[k] : k * dd->p[k] / dd->k1) * in;
    }
    return p->rho0 + (1 - p->rho0) * s;
}

/* The fixed point reached from q0 by iterating the map (the dynamics'
 * own order: the reach only grows), and the final share. */
static double gc_final(const gc_par *p, double q0)
{
    double q = q0;
    for (int i = 0; i < 100000; i++) {
        double nq = gc_map(p, q, 0);
        if (fabs(nq - q) < 1e-15) {
            q = nq;
            break;
        }
        q = nq;
    }
    return gc_map(p, q, 1);
}

/* Watts 2002: an edge leads into the giant cluster of vulnerable agents (those
 * that adopt with one neighbour in the reach) unless u, u = 1 - sum_k q_k
 * F(1, k + 1) (1 - u^k); a single seed starts a global cascade with
 * probability 1 - G0(u). */
static double vuln_eq(double u, void *vp)
{
    const gc_par *p = vp;
    const degdist *dd = p->dd;
    double s = 0;
    for (uint32_t k = 0; k < dd->kmax; k++)
        if (dd->q[k] > 0) s += dd->q[k] * thr_adopt(p->law, 1, k + 1) * (1 - pow(u, k));
    return 1 - s - u;
}

static const char *thr_what(const wg_thr_law *l, char *buf, size_t cap)
{
    if (l->kind == WG_THR_FIXED) snprintf(buf, cap, "theta %.2f", l->a);
    else if (l->kind == WG_THR_UNIFORM) snprintf(buf, cap, "theta ~ U[%.2f, %.2f]", l->a, l->b);
    else snprintf(buf, cap, "theta ~ N(%.2f, %.2f) on [0,1]", l->a, l->b);
    return buf;
}

static wg_status check_thresholds(ctx *c)
{
    static const char *const MODEL = "threshold";
    const uint32_t n = c->o->quick ? 10000 : 40000, steps = 400;
    wg_graph *g = NULL;
    degdist dd = {0};
    probes ps = {.n = 0};
    wg_status st = WG_OK;
    char what[64];

    /* a ring lattice (watts-strogatz, rewire 0: k neighbours each side) from a
     * block of b >= k seeds: the agent j places beyond the block has k - j + 1
     * of its 2k neighbours in the reach, so each step both fronts move
     * a = min(k, floor(k + 1 - 2 k theta)) agents: b + 2 a (t + 1) at step t,
     * exactly, while the fronts are 2k apart */
    {
        const uint32_t rn = 1000, k = 3, b = 3, t = 50, runs = 10;
        const double thetas[] = {1.0 / 3, 0.5, 0.6};
        wg_netspec spec;
        memset(&spec, 0, sizeof spec);
        spec.kind = WG_NET_WATTS_STROGATZ;
        spec.nodes = rn;
        spec.neighbours = k;
        spec.rewire = 0;
        if ((st = make_graph(c, &spec, 21, &g)) != WG_OK) goto done;
        for (size_t i = 0; i < sizeof thetas / sizeof *thetas; i++) {
            const double fa = floor(k + 1 - 2.0 * k * thetas[i] + 1e-12);
            const double a = fa < 0 ? 0 : fa > k ? k : fa;
            vsim vs;
            vsim_init(&vs, g, WG_CONTACT_ALL, t + 1, 400 + i);
            vs.sim.model.exposure = WG_EXPOSURE_THRESHOLD;
            vs.sim.model.threshold[WG_POS] = vs.sim.model.threshold[WG_NEG] =
                (wg_thr_law){WG_THR_FIXED, thetas[i], 0};
            const uint32_t ids[3] = {0, 1, 2};
            vsim_seed(&vs, WG_POS, b, ids);
            if ((st = probe_add(c, &ps, Q_REACH_POS, t, 1.0, runs)) != WG_OK ||
                (st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK)
                goto done;
            acc r = acc_of(ps.p[0].x, runs);
            probes_free(&ps);
            if ((st = add_row(c, MODEL, "Watts 2002 (exact front)", b + 2 * a * (t + 1), r.mean,
                              acc_se(&r), 0, runs,
                              "ring lattice N %u k %u, %u seeds in a row: reach at step %u, "
                              "theta %.3f", rn, k, b, t, thetas[i])) != WG_OK)
                goto done;
        }
        wg_graph_free(g);
        g = NULL;
    }

    /* the cascade window (Watts 2002): one random seed, fixed theta, Poisson
     * degrees; a global cascade is a reach above 10 % of the agents */
    {
        const wg_thr_law law = {WG_THR_FIXED, 0.18, 0};
        const double zs[] = {4, 10};
        const uint32_t runs = c->o->quick ? 200 : 500;
        for (size_t i = 0; i < 2; i++) {
            if ((st = poisson_graph(c, zs[i], n, 23 + i, &g, &dd)) != WG_OK) goto done;
            gc_par p = {&dd, &law, 0};
            const double u = smallest_root(vuln_eq, &p);
            double pcas = 1 - genfun(dd.p, dd.kmax, u);
            if (pcas < 1e-12) pcas = 0;   /* u = 1 up to rounding: no giant vulnerable cluster */
            const double size = gc_final(&p, 1e-6);
            vsim vs;
            vsim_init(&vs, g, WG_CONTACT_ALL, steps, 410 + i);
            vs.sim.model.exposure = WG_EXPOSURE_THRESHOLD;
            vs.sim.model.threshold[WG_POS] = vs.sim.model.threshold[WG_NEG] = law;
            vsim_seed(&vs, WG_POS, 1, NULL);
            if ((st = probe_add(c, &ps, Q_REACH_POS, UINT32_MAX, 1.0 / n, runs)) != WG_OK ||
                (st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK)
                goto done;
            acc big = {0}, frac = {0};
            for (uint32_t r = 0; r < runs; r++) {
                const double x = ps.p[0].x[r];
                acc_add(&big, x > 0.1);
                if (x > 0.1) acc_add(&frac, x);
            }
            probes_free(&ps);
            const double pm = big.mean;
            if ((st = add_row(c, MODEL, "Watts 2002", pcas, pm, sqrt(pm * (1 - pm) / runs), 0, runs,
                              "Poisson <k>=%.0f N %u, one seed, %s: P(global cascade) (%s window)",
                              zs[i], n, thr_what(&law, what, sizeof what),
                              pcas > 0 ? "inside the" : "outside the")) != WG_OK)
                goto done;
            /* every global cascade of one graph ends in the same set (the
             * closure of the giant vulnerable cluster): se 0; the tolerance
             * is the spread of a share of N agents, sqrt(size (1 - size) / N),
             * the scale by which one realised graph differs from the limit */
            if (pcas > 0 &&
                (st = add_row(c, MODEL, "Gleeson-Cahalane 2007", size, frac.mean, acc_se(&frac),
                              sqrt(size * (1 - size) / n),
                              (unsigned)frac.n, "Poisson <k>=%.0f: final share | global cascade, %s",
                              zs[i], what)) != WG_OK)
                goto done;
            degdist_free(&dd);
            memset(&dd, 0, sizeof dd);
            wg_graph_free(g);
            g = NULL;
        }
    }

    /* a random seed share rho0 (Gleeson & Cahalane 2007): the final share */
    {
        const struct { double z, rho0; wg_thr_law law; } pts[] = {
            {4, 0.01, {WG_THR_FIXED, 0.18, 0}},
            {10, 0.005, {WG_THR_FIXED, 0.18, 0}},
            {10, 0.03, {WG_THR_FIXED, 0.18, 0}},
            {6, 0.05, {WG_THR_UNIFORM, 0.1, 0.3}},
            {6, 0.10, {WG_THR_UNIFORM, 0.2, 0.8}},
            {6, 0.05, {WG_THR_NORMAL, 0.2, 0.05}},
            {6, 0.05, {WG_THR_NORMAL, 0.3, 0.1}},
        };
        const uint32_t runs = c->o->quick ? 20 : 50;
        for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
            if ((st = poisson_graph(c, pts[i].z, n, 30 + i, &g, &dd)) != WG_OK) goto done;
            const uint32_t seeds = (uint32_t)(pts[i].rho0 * n + 0.5);
            gc_par p = {&dd, &pts[i].law, (double)seeds / n};
            const double rho = gc_final(&p, p.rho0);
            vsim vs;
            vsim_init(&vs, g, WG_CONTACT_ALL, steps, 420 + i);
            vs.sim.model.exposure = WG_EXPOSURE_THRESHOLD;
            vs.sim.model.threshold[WG_POS] = vs.sim.model.threshold[WG_NEG] = pts[i].law;
            vsim_seed(&vs, WG_POS, seeds, NULL);
            if ((st = probe_add(c, &ps, Q_REACH_POS, UINT32_MAX, 1.0 / n, runs)) != WG_OK ||
                (st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK)
                goto done;
            acc r = acc_of(ps.p[0].x, runs);
            probes_free(&ps);
            /* tolerance: as above, the spread of a share of N agents */
            if ((st = add_row(c, MODEL, "Gleeson-Cahalane 2007", rho, r.mean, acc_se(&r),
                              sqrt(rho * (1 - rho) / n), runs,
                              "Poisson <k>=%.0f N %u, seed share %.3f, %s: final share", pts[i].z,
                              n, p.rho0, thr_what(&pts[i].law, what, sizeof what))) != WG_OK)
                goto done;
            degdist_free(&dd);
            memset(&dd, 0, sizeof dd);
            wg_graph_free(g);
            g = NULL;
        }
    }
done:
    probes_free(&ps);
    degdist_free(&dd);
    wg_graph_free(g);
    return st;
}

/* ---- 11. Attention: recommendation by recent popularity ------------------------- */

/* The memory kernel k(u) of a recommendation. */
static double rec_kernel(const wg_recommend *rc, uint32_t u)
{
    if (rc->memory == WG_MEMORY_POWER) return pow(1.0 + u / rc->scale, -rc->power);
    return pow(1.0 - rc->decay, (double)u);
}

/* The mean-field recursion of recommendation alone (share 0) for valence v on
 * n agents, k of them seeded at step 0: the unaware u(t) at the start of step
 * t lose u(t) min(1, r A(t) / n), A(t) = sum_{s<t} new(s) k(t - 1 - s), new(0)
 * = k (the seeds are new at step 0). Returns the reached share at the end of
 * step t_end; new[] holds steps values (the caller's). */
static double rec_mean_field(const wg_recommend *rc, int v, uint32_t n, uint32_t k,
                             uint32_t t_end, double *fresh)
{
    double u = (double)n - k;
    fresh[0] = k;
    for (uint32_t t = 1; t <= t_end; t++) {
        double a = 0;
        for (uint32_t s = 0; s < t; s++) a += fresh[s] * rec_kernel(rc, t - 1 - s);
        double hit = u * fmin(1.0, rc->strength[v] * a / n);
        u -= hit;
        fresh[t] = hit;
    }
    return 1.0 - u / n;
}

/* Tolerance of the recursion against the finite-N mean, in shares: the gap of
 * a density-dependent chain to its mean-field limit is O(1/N) (Kurtz 1970);
 * with 1 % of the agents seeded the gap measured at N = 2000 and 8000 is
 * below 26 / N at every compared step (docs/VALIDATION.md), stated twice. */
#define WG_REC_GAP_AGENTS 50.0

static wg_status check_recommend(ctx *c)
{
    static const char *const MODEL = "attention";
    static const char *const REF = "mean-field recursion";
    const uint32_t n = c->o->quick ? 20000 : 100000, runs = c->o->quick ? 30 : 100;
    const uint32_t k = n / 100;
    const struct {
        int v;
        wg_recommend rc;
        uint32_t steps, at[2];
        const char *what;
    } pts[] = {
        {WG_POS, {{0.6, 0}, WG_MEMORY_EXPONENTIAL, 0.5, 0, 0}, 60, {10, 59}, "decay 0.5, r+ 0.6"},
        {WG_NEG, {{0, 0.4}, WG_MEMORY_POWER, 0, 1.5, 2}, 100, {20, 99}, "(1+u/2)^-1.5, r- 0.4"},
    };
    wg_graph *g = NULL;
    probes ps = {.n = 0};
    double *fresh = wg_malloc(100, sizeof *fresh);
    wg_status st = WG_ENOMEM;
    if (!fresh) {
        wg_diag_error(c->d, st, "out of memory: a recursion of 100 steps");
        return st;
    }
    if ((st = ring_graph(c, n, &g)) != WG_OK) goto done;
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, pts[i].steps, 500 + i);
        vs.sim.model.p.v[WG_P_SHARE_POS] = vs.sim.model.p.v[WG_P_SHARE_NEG] = 0;
        vs.sim.model.p.v[WG_P_QUIT_POS] = vs.sim.model.p.v[WG_P_QUIT_NEG] = 0;
        vs.sim.model.recommend = pts[i].rc;
        vsim_seed(&vs, pts[i].v, k, NULL);
        for (int j = 0; j < 2; j++)
            if ((st = probe_add(c, &ps, pts[i].v == WG_POS ? Q_REACH_POS : Q_REACH_NEG,
                                pts[i].at[j], 1.0 / n, runs)) != WG_OK)
                goto done;
        if ((st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK) goto done;
        for (int j = 0; j < 2; j++) {
            acc a = acc_of(ps.p[j].x, runs);
            double th = rec_mean_field(&pts[i].rc, pts[i].v, n, k, pts[i].at[j], fresh);
            if ((st = add_row(c, MODEL, REF, th, a.mean, acc_se(&a), WG_REC_GAP_AGENTS / n, runs,
                              "recommend %s, no talk, N %u, 1%% seeded: reach at step %u",
                              pts[i].what, n, pts[i].at[j])) != WG_OK)
                goto done;
        }
        probes_free(&ps);
    }
done:
    probes_free(&ps);
    wg_graph_free(g);
    free(fresh);
    return st;
}

/* ---- 12. Attention: rekindling as a renewal process ------------------------------ */

/* Every agent of an edgeless graph is seeded at step 0 and talks D steps
 * (fixed d, or geometric with quit q when d is 0); a quiet agent is hit by
 * media m each step and then talks again with probability p: agents are
 * independent alternating renewal processes (talking D, quiet G ~
 * geometric(m p) steps). The exact chain over (steps left, quiet), or
 * (talking, quiet) for a geometric D, gives P(talking at the end of step t)
 * into talk[t], t = 0 .. steps - 1; the renewal-reward theorem gives the
 * long-run share E[D] / (E[D] + 1 / (m p)). */
#define WG_REKINDLE_MAX_D 16
static double rekindle_chain(uint32_t d, double q, double m, double p, uint32_t steps,
                             double *talk)
{
    double a[WG_REKINDLE_MAX_D + 1] = {0}, quiet = 0;
    const double mp = m * p;
    if (d == 0) {
        a[1] = 1;   /* geometric: one talking state */
        for (uint32_t t = 0; t < steps; t++) {
            double na = a[1] * (1 - q) + quiet * mp;
            quiet = a[1] * q + quiet * (1 - mp);
            a[1] = na;
            talk[t] = na;
        }
        return (1 / q) / (1 / q + 1 / mp);
    }
    a[d] = 1;   /* a[j]: talking, with j steps left at the start of the step */
    for (uint32_t t = 0; t < steps; t++) {
        const double back = quiet * mp;
        quiet = a[1] + quiet * (1 - mp);
        double sum = 0;
        for (uint32_t j = 1; j < d; j++) sum += a[j] = a[j + 1];
        sum += a[d] = back;
        talk[t] = sum;
    }
    return d / (d + 1 / mp);
}

static wg_status check_rekindle(ctx *c)
{
    static const char *const MODEL = "attention";
    static const char *const REF = "renewal (exact chain)";
    const uint32_t n = c->o->quick ? 5000 : 20000, runs = c->o->quick ? 20 : 50;
    const uint32_t steps = 400, burn = 100, at = 10;
    const struct {
        uint32_t d;
        double q, m, p;
        const char *what;
    } pts[] = {
        {3, 0, 0.05, 0.4, "fixed 3"},
        {0, 0.25, 0.1, 0.3, "geometric quit 0.25"},
    };
    wg_graph *g = NULL;
    probes ps = {.n = 0};
    double *talk = wg_malloc(steps, sizeof *talk);
    wg_status st = WG_ENOMEM;
    if (!talk) {
        wg_diag_error(c->d, st, "out of memory: a chain of %u steps", steps);
        return st;
    }
    if ((st = ring_graph(c, n, &g)) != WG_OK) goto done;
    for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, 600 + i);
        vs.sim.model.p.v[WG_P_SHARE_POS] = vs.sim.model.p.v[WG_P_SHARE_NEG] = 0;
        vs.sim.model.p.v[WG_P_MEDIA_POS] = pts[i].m;
        vs.sim.model.rekindle[WG_POS] = pts[i].p;
        if (pts[i].d) {
            vs.sim.model.duration[WG_POS].law = WG_DUR_FIXED;
            vs.sim.model.duration[WG_POS].a = pts[i].d;
        } else {
            vs.sim.model.p.v[WG_P_QUIT_POS] = pts[i].q;
        }
        vsim_seed(&vs, WG_POS, n, NULL);
        if ((st = probe_add(c, &ps, Q_ADVOCATES, at, 1.0 / n, runs)) != WG_OK ||
            (st = probe_add(c, &ps, Q_TALKING_MEAN, burn, 1.0 / n, runs)) != WG_OK ||
            (st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK)
            goto done;
        const double limit = rekindle_chain(pts[i].d, pts[i].q, pts[i].m, pts[i].p, steps, talk);
        double mean = 0;
        for (uint32_t t = burn; t < steps; t++) mean += talk[t] / (steps - burn);
        acc a0 = acc_of(ps.p[0].x, runs), a1 = acc_of(ps.p[1].x, runs);
        if ((st = add_row(c, MODEL, REF, talk[at], a0.mean, acc_se(&a0), 0, runs,
                          "rekindle %.1f on media %.2f, D %s, all seeded, no talk: talking at "
                          "step %u",
                          pts[i].p, pts[i].m, pts[i].what, at)) != WG_OK ||
            (st = add_row(c, MODEL, "renewal-reward theorem", limit, a1.mean, acc_se(&a1),
                          fabs(mean - limit), runs,
                          "  the same: talking share over steps %u-%u vs E[D]/(E[D]+1/(m p))",
                          burn, steps - 1)) != WG_OK)
            goto done;
        probes_free(&ps);
    }
done:
    probes_free(&ps);
    wg_graph_free(g);
    free(talk);
    return st;
}

/* ---- 13. open audiences (arrivals) ------------------------------------------------ */

/* Agents present during step t, from DESIGN's rule written here:
 * round((present + t per_step) N), at most N. */
static double arrivals_present(double present, double per_step, uint32_t n, uint32_t t)
{
    return fmin((double)n, floor((present + t * per_step) * n + 0.5));
}

static wg_status check_arrivals(ctx *c)
{
    static const char *const MODEL = "arrivals";
    static const char *const REF = "exact (cohorts)";
    const uint32_t n = c->o->quick ? 5000 : 20000, runs = c->o->quick ? 100 : 400, steps = 40;
    const double present = 0.1, per_step = 0.03, media = 0.05;
    const uint32_t at[] = {5, 20, 39};
    wg_graph *g = NULL;
    degdist dd = {0};
    probes ps = {.n = 0};
    wg_status st = poisson_graph(c, 3, n, 40, &g, &dd);
    if (st != WG_OK) goto done;
    for (int by = 0; by < 2; by++) {
        vsim vs;
        vsim_init(&vs, g, WG_CONTACT_ALL, steps, 430 + (uint64_t)by);
        vs.sim.model.p.v[WG_P_SHARE_POS] = vs.sim.model.p.v[WG_P_SHARE_NEG] = 0;
        vs.sim.model.p.v[WG_P_MEDIA_NEG] = media;
        vs.sim.arrivals = (wg_arrivals){1, present, per_step, (wg_arrival_by)by};
        for (int k = 0; k < 3; k++)
            if ((st = probe_add(c, &ps, Q_REACH_NEG, at[k], 1.0, runs)) != WG_OK) goto done;
        if ((st = probe_add(c, &ps, Q_ABSENT, at[0], 1.0, runs)) != WG_OK ||
            (st = simulate(c, &vs, runs, visit_probes, &ps)) != WG_OK)
            goto done;
        for (int k = 0; k < 3; k++) {
            /* the cohort arriving at step s hears media in steps s .. t, independently */
            double mean = 0, var = 0, prev = 0;
            for (uint32_t s = 0; s <= at[k]; s++) {
                const double m = arrivals_present(present, per_step, n, s), cs = m - prev;
                const double pr = 1 - pow(1 - media, at[k] - s + 1);
                mean += cs * pr;
                var += cs * pr * (1 - pr);
                prev = m;
            }
            acc r = acc_of(ps.p[k].x, runs);
            if ((st = add_row(c, MODEL, REF, mean, r.mean, sqrt(var / runs), 0, runs,
                              "Poisson <k>=3 N %u, by %s, present %.2f + %.2f a step, media %.2f, "
                              "no talk: reach at step %u", n, wg_arrival_by_names[by], present,
                              per_step, media, at[k])) != WG_OK)
                goto done;
        }
        acc ab = acc_of(ps.p[3].x, runs);
        if ((st = add_row(c, MODEL, "exact", n - arrivals_present(present, per_step, n, at[0]),
                          ab.mean, acc_se(&ab), 0, runs, "by %s: absent at step %u",
                          wg_arrival_by_names[by], at[0])) != WG_OK)
            goto done;
        probes_free(&ps);
    }
done:
    probes_free(&ps);
    degdist_free(&dd);
    wg_graph_free(g);
    return st;
}

wg_status wg_validate_run(const wg_validate_opts *o, wg_validate_table *t, wg_diag *d)
{
    ctx c = {o, t, d};
    wg_status (*const checks[])(ctx *) = {check_sir,      check_bass,     check_maki_thompson,
                                          check_cascades, check_sis,      check_bad_news,
                                          check_durations, check_media_power,
                                          check_thresholds, check_recommend, check_rekindle,
                                          check_arrivals};
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        wg_status st = checks[i](&c);
        if (st != WG_OK) return st;
    }
    return WG_OK;
}


wg_status wg_validate_save_csv(const wg_validate_table *t, const char *path, wg_diag *d)
{
    wg_out o;
    wg_status st = wg_out_open(&o, NULL, path, d);
    if (st != WG_OK) return st;
    wg_validate_write_csv(t, o.f);
    return wg_out_commit(&o, d);
}
