/*
 * test_engine.c — the engine against answers computed here, exactly, for
 * each contact and exposure mode; and determinism across thread counts.
 *
 * Statistical checks compare a mean over R runs (fixed seed) with its exact
 * expectation and pass when |mean - exact| < 4 standard errors, SE being
 * the exact standard deviation / sqrt(R): a correct engine fails such a
 * check with probability about 6e-5, and the seed is fixed, so the outcome
 * is deterministic.
 *
 * Partitioned runs (wg_engine_partition) are checked on 1 to 4 ranks played
 * by threads of this process, whose collective operations meet at a barrier:
 * the counts must be the serial run's, word for word.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/rng.h"

#include "wg_test.h"

/* contact: once on a directed path 0 -> 1 -> ... -> L, seed at 0, share p:
 * P(reach > k) = p^k for k = 0..L. */
static void test_once_directed_path(void **state)
{
    (void)state;
    const uint32_t n = 12, runs = 20000, steps = 20;
    const double p = 0.6;
    wg_graph *g = wg_test_path(n, 1);
    wg_sim sim;
    wg_test_sim(&sim, g, steps, 7);
    sim.model.contact = WG_CONTACT_ONCE;
    sim.model.p.v[WG_P_SHARE_POS] = p;
    uint64_t id0 = 0;
    wg_event ev = wg_test_seed_ids(WG_POS, &id0, 1);
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run_steps(&sim, runs, 2, NULL);
    double ex = 0, ex2 = 0, sum = 0;
    for (uint32_t k = 0; k < n; k++) {
        ex += pow(p, k);
        ex2 += (2.0 * k + 1) * pow(p, k);
    }
    for (uint32_t r = 0; r < runs; r++) {
        const uint32_t *last = wg_test_row(c, steps, r, steps - 1);
        assert_int_equal(last[WG_C_ADVOCATES], 0); /* once: everyone is quiet at the end */
        sum += last[WG_C_SUPPORTERS];
    }
    wg_test_check_mean("once, directed path: mean reach", sum / runs, ex, sqrt(ex2 - ex * ex),
                       runs);
    free(c);
    wg_graph_free(g);
}

/* Reed–Frost: contact all, quit 1 (talk exactly one step), complete graph of
 * n agents, one initial talker: the exact distribution of the final size by
 * the chain-binomial recursion over (susceptible, infective) pairs. */
static void reed_frost(uint32_t n, double p, double *mean, double *var)
{
    /* prob[s][i] of the state with s unaware and i talking, step by step */
    double *prob = calloc((size_t)(n + 1) * (n + 1), sizeof *prob), *next;
    next = calloc((size_t)(n + 1) * (n + 1), sizeof *next);
    double final[64] = {0};
#define P(a, s, i) a[(size_t)(s) * (n + 1) + (i)]
    P(prob, n - 1, 1) = 1.0;
    for (uint32_t gen = 0; gen < n + 1; gen++) {
        memset(next, 0, sizeof *next * (n + 1) * (n + 1));
        for (uint32_t s = 0; s < n; s++)
            for (uint32_t i = 0; i <= n; i++) {
                double q = P(prob, s, i);
                if (q == 0) continue;
                if (i == 0) {
                    final[n - s] += q;
                    continue;
                }
                double hit = 1.0 - pow(1.0 - p, i);
                for (uint32_t k = 0; k <= s; k++) {
                    double b = q * exp(lgamma(s + 1.0) - lgamma(k + 1.0) - lgamma(s - k + 1.0)) *
                               pow(hit, k) * pow(1 - hit, s - k);
                    P(next, s - k, k) += b;
                }
            }
        double *tmp = prob;
        prob = next;
        next = tmp;
    }
    /* whatever has not yet been counted has its final size fixed already when
     * no talker is left; with n + 1 generations nothing else remains */
    for (uint32_t s = 0; s <= n; s++)
        for (uint32_t i = 0; i <= n; i++) final[n - s] += P(prob, s, i);
#undef P
    double m = 0, m2 = 0;
    for (uint32_t k = 0; k <= n; k++) m += k * final[k], m2 += (double)k * k * final[k];
    *mean = m;
    *var = m2 - m * m;
    free(prob);
    free(next);
}

static void test_all_reed_frost(void **state)
{
    (void)state;
    const uint32_t n = 10, runs = 20000, steps = 30;
    const double p = 0.15;
    wg_graph *g = wg_test_complete(n);
    wg_sim sim;
    wg_test_sim(&sim, g, steps, 11);
    sim.model.p.v[WG_P_SHARE_NEG] = p;
    sim.model.p.v[WG_P_QUIT_NEG] = 1.0;
    uint64_t id0 = 3;
    wg_event ev = wg_test_seed_ids(WG_NEG, &id0, 1);
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run_steps(&sim, runs, 2, NULL);
    double sum = 0;
    for (uint32_t r = 0; r < runs; r++) {
        const uint32_t *last = wg_test_row(c, steps, r, steps - 1);
        assert_int_equal(last[WG_C_CRITICS], 0);
        assert_int_equal(last[WG_C_ADVOCATES] + last[WG_C_SUPPORTERS], 0);
        sum += last[WG_C_REJECTERS];
    }
    double mean, var;
    reed_frost(n, p, &mean, &var);
    wg_test_check_mean("all, complete graph: Reed-Frost final size", sum / runs, mean, sqrt(var),
                       runs);
    free(c);
    wg_graph_free(g);
}

/* contact: one on a star, the hub talking forever (quit 0), share 1: after T
 * steps the hub has tried T leaves uniformly with replacement, so the reach
 * is 1 + L (1 - (1 - 1/L)^T); leaves talk back only to the aware hub. */
static void test_one_star(void **state)
{
    (void)state;
    const uint32_t leaves = 20, runs = 20000, steps = 15;
    wg_graph *g = wg_test_star(leaves);
    wg_sim sim;
    wg_test_sim(&sim, g, steps, 5);
    sim.model.contact = WG_CONTACT_ONE;
    sim.model.p.v[WG_P_SHARE_POS] = 1.0;
    sim.model.p.v[WG_P_QUIT_POS] = 0.0;
    uint64_t hub = 0;
    wg_event ev = wg_test_seed_ids(WG_POS, &hub, 1);
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run_steps(&sim, runs, 2, NULL);
    double sum = 0, q = 1.0 - 1.0 / leaves;
    for (uint32_t r = 0; r < runs; r++) sum += wg_test_row(c, steps, r, steps - 1)[WG_C_ADVOCATES];
    /* distinct leaves among T uniform draws: mean L(1-q^T), variance
     * L q^T (1 - L q^T) + L (L - 1) (1 - 2/L)^T (occupancy problem) */
    double L = leaves, T = steps;
    double mean = 1 + L * (1 - pow(q, T));
    double empty_mean = L * pow(q, T);
    double empty_var = empty_mean + L * (L - 1) * pow(1 - 2 / L, T) - empty_mean * empty_mean;
    wg_test_check_mean("one, star: leaves reached by the hub", sum / runs, mean, sqrt(empty_var),
                       runs);
    free(c);
    wg_graph_free(g);
}

/* exposure fractional on a complete graph of N with k seeds: at step 0 each
 * unaware agent adopts with probability p + q k / (N - 1), independently. */
static void test_fractional_first_step(void **state)
{
    (void)state;
    const uint32_t n = 50, runs = 20000, steps = 1;
    const double p = 0.01, q = 0.4;
    wg_graph *g = wg_test_complete(n);
    wg_sim sim;
    wg_test_sim(&sim, g, steps, 3);
    sim.model.exposure = WG_EXPOSURE_FRACTIONAL;
    sim.model.p.v[WG_P_MEDIA_POS] = p;
    sim.model.p.v[WG_P_SHARE_POS] = q;
    sim.model.p.v[WG_P_QUIT_POS] = 0.0;
    uint64_t ids[5] = {0, 1, 2, 3, 4};
    wg_event ev = wg_test_seed_ids(WG_POS, ids, 5);
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run_steps(&sim, runs, 2, NULL);
    double sum = 0;
    for (uint32_t r = 0; r < runs; r++) sum += wg_test_row(c, steps, r, 0)[WG_C_NEW_POS];
    double h = p + q * 5.0 / (n - 1);
    double m = (n - 5) * h;
    wg_test_check_mean("fractional, complete graph: adopters at step 0", sum / runs, m,
                       sqrt((n - 5) * h * (1 - h)), runs);
    free(c);
    wg_graph_free(g);
}

/* A talker with no one to talk to talks for D ~ Geometric(quit) steps, D >= 1:
 * mean 1 / quit, variance (1 - quit) / quit^2. */
static void test_quit_geometric(void **state)
{
    (void)state;
    const uint32_t runs = 20000, steps = 200;
    const double quit = 0.25;
    uint32_t src = 0, dst = 1;
    wg_graph *g = wg_test_graph(3, 1, &src, &dst, 1); /* agent 2 has no out-edge */
    wg_sim sim;
    wg_test_sim(&sim, g, steps, 9);
    sim.model.p.v[WG_P_QUIT_NEG] = quit;
    uint64_t id = 2;
    wg_event ev = wg_test_seed_ids(WG_NEG, &id, 1);
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *steps_run;
    uint32_t *c = wg_test_run_steps(&sim, runs, 1, &steps_run);
    double sum = 0;
    for (uint32_t r = 0; r < runs; r++) {
        uint32_t dur = 0;
        for (uint32_t t = 0; t < steps; t++) dur += wg_test_row(c, steps, r, t)[WG_C_CRITICS] > 0;
        /* the seed talks in step 0 and each step it is still a critic at the end of */
        assert_int_equal(steps_run[r], dur + 1);
        sum += dur + 1;
    }
    wg_test_check_mean("quit: talking steps, geometric", sum / runs, 1 / quit,
                       sqrt(1 - quit) / quit, runs);
    free(c);
    free(steps_run);
    wg_graph_free(g);
}

/* Talking times: a fixed D on a directed path 0 -> 1 -> 2 with share 1. The
 * seed 0 talks steps 0 and 1 (D = 2), agent 1 (reached in step 0) steps 1
 * and 2, agent 2 steps 2 and 3: the counts of every step are known exactly,
 * with exposure independent and fractional alike. */
static void test_duration_fixed_path(void **state)
{
    (void)state;
    /* advocates, supporters at the end of steps 0 .. 4 */
    static const uint32_t want[5][2] = {{2, 0}, {2, 1}, {1, 2}, {0, 3}, {0, 3}};
    wg_graph *g = wg_test_path(3, 1);
    for (int x = 0; x < 2; x++) {
        wg_sim sim;
        wg_test_sim(&sim, g, 5, 5);
        sim.model.exposure = x ? WG_EXPOSURE_FRACTIONAL : WG_EXPOSURE_INDEPENDENT;
        sim.model.p.v[WG_P_SHARE_POS] = 1;
        sim.model.duration[WG_POS] = (wg_duration){WG_DUR_FIXED, 2, 0};
        uint64_t id = 0;
        wg_event ev = wg_test_seed_ids(WG_POS, &id, 1);
        sim.events = &ev;
        sim.nevents = 1;
        uint32_t *steps_run;
        uint32_t *c = wg_test_run_steps(&sim, 3, 1, &steps_run);
        for (uint32_t r = 0; r < 3; r++) {
            for (uint32_t t = 0; t < 5; t++) {
                assert_int_equal(wg_test_row(c, 5, r, t)[WG_C_ADVOCATES], want[t][0]);
                assert_int_equal(wg_test_row(c, 5, r, t)[WG_C_SUPPORTERS], want[t][1]);
            }
            assert_int_equal(steps_run[r], 4);
        }
        free(c);
        free(steps_run);
    }
    wg_graph_free(g);
}

/* A lone seed (no out-edge) talks D steps: the mean of D for each law against
 * its exact value: gamma, lognormal and Weibull E[D] = 1 + sum_{d >= 1} P(X > d)
 * (D = max(1, ceil X)), from GSL's upper tails; beta_quit E[D] = E[1 / q] =
 * (a + b - 1) / (a - 1) for q ~ Beta(a, b), a > 1. SE from the sample sd. */
static void test_duration_laws(void **state)
{
    (void)state;
    const uint32_t runs = 20000, steps = 400;
    const struct {
        const char *what;
        wg_duration law;
        double mean;
    } laws[] = {
        {"duration gamma mean 4 sd 3: talking steps", {WG_DUR_GAMMA, 4, 3}, 0},
        {"duration lognormal mean 4 sd 3: talking steps", {WG_DUR_LOGNORMAL, 4, 3}, 0},
        {"duration weibull mean 4 sd 3: talking steps", {WG_DUR_WEIBULL, 4, 3}, 0},
        {"duration beta_quit a 3 b 2: talking steps", {WG_DUR_BETA_QUIT, 3, 2}, 2.0},
    };
    uint32_t src = 0, dst = 1;
    wg_graph *g = wg_test_graph(3, 1, &src, &dst, 1); /* agent 2 has no out-edge */
    for (size_t i = 0; i < sizeof laws / sizeof *laws; i++) {
        double exact = laws[i].mean;
        if (laws[i].law.law != WG_DUR_BETA_QUIT) {
            const double m = laws[i].law.a, sd = laws[i].law.b, cv2 = sd * sd / (m * m);
            exact = 1;
            for (uint32_t d = 1; d < steps; d++) {
                if (laws[i].law.law == WG_DUR_GAMMA) {
                    exact += gsl_cdf_gamma_Q(d, 1 / cv2, m * cv2);
                } else if (laws[i].law.law == WG_DUR_LOGNORMAL) {
                    double s2 = log1p(cv2);
                    exact += gsl_cdf_lognormal_Q(d, log(m) - s2 / 2, sqrt(s2));
                } else {
                    double par[2];
                    assert_int_equal(wg_duration_gsl_params(&laws[i].law, par), 0);
                    exact += gsl_cdf_weibull_Q(d, par[0], par[1]);
                }
            }
        }
        wg_sim sim;
        wg_test_sim(&sim, g, steps, 19 + i);
        sim.model.duration[WG_NEG] = laws[i].law;
        uint64_t id = 2;
        wg_event ev = wg_test_seed_ids(WG_NEG, &id, 1);
        sim.events = &ev;
        sim.nevents = 1;
        uint32_t *steps_run;
        uint32_t *c = wg_test_run_steps(&sim, runs, 2, &steps_run);
        double sum = 0, sum2 = 0;
        for (uint32_t r = 0; r < runs; r++) {
            double dur = steps_run[r];   /* the seed talks from step 0 to step D - 1 */
            assert_true(dur < steps);
            sum += dur;
            sum2 += dur * dur;
        }
        double mean = sum / runs;
        wg_test_check_mean(laws[i].what, mean, exact, sqrt(sum2 / runs - mean * mean), runs);
        free(c);
        free(steps_run);
    }
    /* the Weibull's own parameters give the mean and sd asked for */
    double par[2];
    wg_duration w = {WG_DUR_WEIBULL, 4, 3};
    assert_int_equal(wg_duration_gsl_params(&w, par), 0);
    double m1 = par[0] * tgamma(1 + 1 / par[1]), m2 = par[0] * par[0] * tgamma(1 + 2 / par[1]);
    assert_true(fabs(m1 - 4) < 1e-9 && fabs(sqrt(m2 - m1 * m1) - 3) < 1e-9);
    wg_graph_free(g);
}

/* Exposures (DESIGN "Exposures"), counted exactly on a star of 6 leaves whose
 * hub (a seed, fixed D = 2) talks with share 1: step 0 reaches every leaf but
 * leaf 1, which is blocked (immune: no exposure) and leaf 2, a negative seed
 * (aware: an exposure all the same); step 1 finds the leaves aware. Leaf 2
 * talks to the hub (aware) in steps 0 and 1; the leaves reached in step 0
 * talk to the hub in step 1 (D = 2: steps 1 and 2) and 2. Exposure
 * independent and contact all, by arc and by gap (skipping) alike. */
static void test_exposures_star(void **state)
{
    (void)state;
    wg_graph *g = wg_test_star(6);
    for (int weighted = 0; weighted < 2; weighted++) {
        wg_sim sim;
        wg_test_sim(&sim, g, 5, 77);
        sim.model.p.v[WG_P_SHARE_POS] = sim.model.p.v[WG_P_SHARE_NEG] = 1;
        sim.model.duration[WG_POS] = sim.model.duration[WG_NEG] = (wg_duration){WG_DUR_FIXED, 2, 0};
        wg_segment seg;   /* a segment of its own susceptibility: one draw per arc */
        memset(&seg, 0, sizeof seg);
        seg.pick.by = WG_PICK_ID;
        uint64_t seg_id = 5;
        seg.pick.ids = &seg_id;
        seg.pick.nids = 1;
        wg_params_default(&seg.p);
        seg.set = 1u << WG_P_SUSCEPTIBILITY;
        if (weighted) {
            sim.segments = &seg;
            sim.nsegments = 1;
        }
        uint64_t hub = 0, blocked = 1, critic = 2;
        wg_event ev[3] = {wg_test_seed_ids(WG_POS, &hub, 1), wg_test_seed_ids(WG_NEG, &critic, 1),
                          wg_test_seed_ids(WG_POS, &blocked, 1)};
        ev[2].kind = WG_EV_BLOCK;
        sim.events = ev;
        sim.nevents = 3;
        uint32_t *c = wg_test_run_steps(&sim, 2, 1, NULL);
        /* step 0: hub -> 5 leaves (leaf 1 immune), leaf 2 -> hub; step 1: hub -> 5,
         * leaf 2 -> hub, leaves 3..6 -> hub; step 2: leaves 3..6 -> hub */
        static const uint32_t pos[5] = {5, 9, 4, 0, 0}, neg[5] = {1, 1, 0, 0, 0};
        for (uint32_t r = 0; r < 2; r++)
            for (uint32_t t = 0; t < 5; t++) {
                assert_int_equal(wg_test_row(c, 5, r, t)[WG_C_EXPOSURES_POS], pos[t]);
                assert_int_equal(wg_test_row(c, 5, r, t)[WG_C_EXPOSURES_NEG], neg[t]);
            }
        free(c);
    }
    wg_graph_free(g);
}

/* Exposures in expectation: a hub of L leaves talks one step with share p,
 * then quits (quit 1): E[exposures] = L p, Binomial(L, p); media m on n
 * agents with no talker: exposures = the agents media reached, each one. */
static void test_exposures_mean(void **state)
{
    (void)state;
    const uint32_t leaves = 50, runs = 4000;
    const double p = 0.3;
    wg_graph *g = wg_test_star(leaves);
    wg_sim sim;
    wg_test_sim(&sim, g, 3, 31);
    sim.model.p.v[WG_P_SHARE_POS] = p;
    sim.model.p.v[WG_P_QUIT_POS] = 1;
    uint64_t hub = 0;
    wg_event ev = wg_test_seed_ids(WG_POS, &hub, 1);
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run_steps(&sim, runs, 2, NULL);
    double sum = 0;
    for (uint32_t r = 0; r < runs; r++) {
        sum += wg_test_row(c, 3, r, 0)[WG_C_EXPOSURES_POS];
        assert_int_equal(wg_test_row(c, 3, r, 0)[WG_C_EXPOSURES_POS],
                         wg_test_row(c, 3, r, 0)[WG_C_NEW_POS]);
    }
    wg_test_check_mean("exposures: hub of 50 leaves, share 0.3, one step", sum / runs, leaves * p,
                       sqrt(leaves * p * (1 - p)), runs);
    free(c);
    wg_test_sim(&sim, g, 4, 32);
    sim.model.p.v[WG_P_MEDIA_NEG] = 0.1;
    sim.model.p.v[WG_P_SHARE_NEG] = 0;
    c = wg_test_run_steps(&sim, 50, 2, NULL);
    for (uint32_t r = 0; r < 50; r++)
        for (uint32_t t = 0; t < 4; t++) {
            assert_int_equal(wg_test_row(c, 4, r, t)[WG_C_EXPOSURES_NEG],
                             wg_test_row(c, 4, r, t)[WG_C_NEW_NEG]);
            assert_int_equal(wg_test_row(c, 4, r, t)[WG_C_EXPOSURES_POS], 0);
        }
    free(c);
    wg_graph_free(g);
}

/* Media only, no edges: an unaware agent learns with probability m per step. */
static void test_media_only(void **state)
{
    (void)state;
    const uint32_t n = 1000, runs = 200, steps = 1;
    const double m = 0.03;
    uint32_t src = 0, dst = 1;
    wg_graph *g = wg_test_graph(n, 1, &src, &dst, 1);
    wg_sim sim;
    wg_test_sim(&sim, g, steps, 21);
    sim.model.p.v[WG_P_MEDIA_NEG] = m;
    uint32_t *c = wg_test_run_steps(&sim, runs, 2, NULL);
    double sum = 0;
    for (uint32_t r = 0; r < runs; r++) sum += wg_test_row(c, steps, r, 0)[WG_C_NEW_NEG];
    wg_test_check_mean("media: agents hit at step 0", sum / runs, n * m, sqrt(n * m * (1 - m)),
                       runs);
    free(c);
    wg_graph_free(g);
}

/* Counts add up to n at every step, and nothing happens before the seed. */
static void test_conservation(void **state)
{
    (void)state;
    wg_graph *g = wg_test_complete(30);
    wg_sim sim;
    wg_test_sim(&sim, g, 25, 4);
    sim.model.p.v[WG_P_QUALITY] = 0.7;
    sim.model.p.v[WG_P_STIFLE] = 0.3;
    sim.model.p.v[WG_P_FORGET] = 0.05;
    uint64_t id = 0;
    wg_event ev = wg_test_seed_ids(WG_POS, &id, 1);
    ev.step = 3;
    sim.events = &ev;
    sim.nevents = 1;
    uint32_t *c = wg_test_run_steps(&sim, 50, 2, NULL);
    for (uint32_t r = 0; r < 50; r++)
        for (uint32_t t = 0; t < 25; t++) {
            const uint32_t *x = wg_test_row(c, 25, r, t);
            uint32_t tot = 0;
            for (int k = 0; k < WG_NSTATES; k++) tot += x[k];
            assert_int_equal(tot, 30);
            if (t < 3) assert_int_equal(x[WG_C_UNAWARE], 30);
        }
    free(c);
    wg_graph_free(g);
}

static void same_at_any_thread_count_with(const wg_graph *g, wg_contact contact,
                                          wg_exposure exposure, uint32_t runs,
                                          const wg_duration *durations)
{
    wg_sim sim;
    wg_test_sim(&sim, g, 30, 2024);
    if (durations) memcpy(sim.model.duration, durations, sizeof sim.model.duration);
    sim.model.contact = contact;
    sim.model.exposure = exposure;
    sim.model.p.v[WG_P_SHARE_POS] = 0.08;
    sim.model.p.v[WG_P_SHARE_NEG] = 0.12;
    sim.model.p.v[WG_P_QUALITY] = 0.9;
    sim.model.p.v[WG_P_STIFLE] = 0.1;
    sim.model.p.v[WG_P_MEDIA_POS] = 0.0005;
    uint64_t ids[4] = {1, 2, 3, 4};
    wg_event ev[2] = {wg_test_seed_ids(WG_POS, ids, 2), wg_test_seed_ids(WG_NEG, ids + 2, 2)};
    sim.events = ev;
    sim.nevents = 2;
    size_t len = (size_t)runs * sim.steps * WG_NCOUNTS * sizeof(uint32_t);
    uint32_t *sr1, *sr2, *sr8;
    uint32_t *c1 = wg_test_run_steps(&sim, runs, 1, &sr1);
    uint32_t *c2 = wg_test_run_steps(&sim, runs, 2, &sr2);
    uint32_t *c8 = wg_test_run_steps(&sim, runs, 8, &sr8);
    assert_memory_equal(c1, c2, len);
    assert_memory_equal(c1, c8, len);
    assert_memory_equal(sr1, sr2, runs * sizeof *sr1);
    assert_memory_equal(sr1, sr8, runs * sizeof *sr1);
    /* and something happened */
    assert_true(wg_test_row(c1, sim.steps, 0, sim.steps - 1)[WG_C_UNAWARE] < g->n - 10);
    free(c1), free(c2), free(c8), free(sr1), free(sr2), free(sr8);
}

static void same_at_any_thread_count(const wg_graph *g, wg_contact contact, wg_exposure exposure,
                                     uint32_t runs)
{
    same_at_any_thread_count_with(g, contact, exposure, runs, NULL);
}

/* Talking times other than geometric (one valence gamma, the other beta_quit). */
static void test_threads_durations(void **state)
{
    (void)state;
    const wg_duration laws[2] = {{WG_DUR_GAMMA, 3, 2}, {WG_DUR_BETA_QUIT, 0.8, 1.2}};
    wg_graph *g = wg_test_random_graph(3000, 15000, 99);
    same_at_any_thread_count_with(g, WG_CONTACT_ALL, WG_EXPOSURE_INDEPENDENT, 12, laws);
    same_at_any_thread_count_with(g, WG_CONTACT_ONE, WG_EXPOSURE_INDEPENDENT, 12, laws);
    same_at_any_thread_count_with(g, WG_CONTACT_ALL, WG_EXPOSURE_FRACTIONAL, 12, laws);
    wg_graph_free(g);
    g = wg_test_random_graph(300000, 1200000, 99);
    same_at_any_thread_count_with(g, WG_CONTACT_ALL, WG_EXPOSURE_INDEPENDENT, 2, laws);
    wg_graph_free(g);
}

static void test_threads_small_graph(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(3000, 15000, 99);
    for (int c = 0; c < 3; c++) same_at_any_thread_count(g, (wg_contact)c, WG_EXPOSURE_INDEPENDENT, 12);
    same_at_any_thread_count(g, WG_CONTACT_ALL, WG_EXPOSURE_FRACTIONAL, 12);
    wg_graph_free(g);
}

static void test_threads_large_graph(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(300000, 1200000, 99);
    same_at_any_thread_count(g, WG_CONTACT_ALL, WG_EXPOSURE_INDEPENDENT, 2);
    same_at_any_thread_count(g, WG_CONTACT_ALL, WG_EXPOSURE_FRACTIONAL, 2);
    wg_graph_free(g);
}

/* Design note 8 of engine.c: a run that uses none of the later mechanisms
 * runs the plain passes, one with any of them the general ones. A standing
 * respond policy by reach that wins and calms nobody (win = calm = 0) puts
 * a run in general mode (contacts made are counted, critics' waits kept)
 * without changing a state, so every count but the answers must be those of
 * the same run without it: contact all (gaps and the contact buffer) and
 * contact one (a draw per arc), with stifling (a draw per arc) and
 * forgetting (a full pass 2). */
static void test_plain_general_same(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(3000, 15000, 99);
    const uint32_t runs = 6;
    for (int c = 0; c < 2; c++) {
        wg_sim sim;
        wg_test_sim(&sim, g, 30, 77);
        sim.model.contact = c ? WG_CONTACT_ONE : WG_CONTACT_ALL;
        sim.model.p.v[WG_P_SHARE_POS] = c ? 0.5 : 0.1;
        sim.model.p.v[WG_P_SHARE_NEG] = c ? 0.6 : 0.12;
        sim.model.p.v[WG_P_QUALITY] = 0.8;
        sim.model.p.v[WG_P_STIFLE] = 0.1;
        sim.model.p.v[WG_P_FORGET] = 0.02;
        uint64_t ids[4] = {1, 2, 3, 4};
        wg_event ev[3] = {wg_test_seed_ids(WG_POS, ids, 2), wg_test_seed_ids(WG_NEG, ids + 2, 2)};
        memset(&ev[2], 0, sizeof ev[2]);
        ev[2].kind = WG_EV_RESPOND;
        ev[2].segment = -1;
        ev[2].policy = (wg_policy){1, 0, 5, WG_RESPOND_REACH, sim.steps - 1};
        sim.events = ev;
        sim.nevents = 2;
        uint32_t *plain = wg_test_run_steps(&sim, runs, 1, NULL);
        sim.nevents = 3;
        uint32_t *general = wg_test_run_steps(&sim, runs, 1, NULL);
        uint64_t answers = 0;
        for (uint32_t r = 0; r < runs; r++)
            for (uint32_t t = 0; t < sim.steps; t++) {
                const uint32_t *a = wg_test_row(plain, sim.steps, r, t),
                               *b = wg_test_row(general, sim.steps, r, t);
                for (int k = 0; k < WG_NCOUNTS; k++)
                    if (k != WG_C_ANSWERS) assert_int_equal(a[k], b[k]);
                answers += b[WG_C_ANSWERS];
            }
        /* the policy answered critics (so it ran), and the runs spread */
        assert_true(answers > 0);
        assert_true(wg_test_row(plain, sim.steps, 0, sim.steps - 1)[WG_C_UNAWARE] < g->n - 100);
        free(plain);
        free(general);
    }
    wg_graph_free(g);
}

/* Common random numbers: a run's series depends on (seed, run) only, not on
 * which runs are asked for together. */
static void test_run_keyed(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(2000, 8000, 99);
    wg_sim sim;
    wg_test_sim(&sim, g, 20, 77);
    sim.model.p.v[WG_P_SHARE_NEG] = 0.2;
    uint64_t id = 5;
    wg_event ev = wg_test_seed_ids(WG_NEG, &id, 1);
    sim.events = &ev;
    sim.nevents = 1;
    wg_engine *e = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_engine_new(&sim, 2, &e, &d), WG_OK);
    size_t per = (size_t)sim.steps * WG_NCOUNTS;
    uint32_t all[10 * 20 * WG_NCOUNTS], one[20 * WG_NCOUNTS], sr[10];
    assert_int_equal(wg_engine_run(e, 0, 10, all, sr, NULL, NULL, NULL, &d), WG_OK);
    assert_int_equal(wg_engine_run(e, 7, 1, one, sr, NULL, NULL, NULL, &d), WG_OK);
    assert_memory_equal(all + 7 * per, one, per * sizeof *one);
    wg_engine_free(e);
    wg_diag_free(&d);
    wg_graph_free(g);
}

/* A large graph (over the engine's small-graph limit) at 2 threads runs
 * whole runs in parallel, one worker per thread, when there are at least as
 * many runs as threads, and threads inside a run for a lone run: both paths
 * give each run the same bytes as one thread does. */
static void test_large_graph_runs_in_parallel(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(250000, 750000, 99);
    wg_sim sim;
    wg_test_sim(&sim, g, 25, 31);
    sim.model.p.v[WG_P_SHARE_NEG] = 0.3;
    sim.model.p.v[WG_P_SHARE_POS] = 0.2;
    uint64_t ids[2] = {11, 12};
    wg_event ev[2] = {wg_test_seed_ids(WG_NEG, ids, 1), wg_test_seed_ids(WG_POS, ids + 1, 1)};
    sim.events = ev;
    sim.nevents = 2;
    enum { R = 3 };
    size_t per = (size_t)sim.steps * WG_NCOUNTS;
    uint32_t *c1 = wg_test_run_steps(&sim, R, 1, NULL);
    wg_engine *e = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_engine_new(&sim, 2, &e, &d), WG_OK);
    int workers = 0;
    uint32_t *all = calloc(R * per, sizeof *all), *one = calloc(per, sizeof *one), sr[R];
    assert_int_equal(wg_engine_run(e, 0, 1, one, sr, NULL, NULL, NULL, &d), WG_OK);
    wg_engine_bytes_per_agent(e, &workers);
    assert_int_equal(workers, 1); /* a lone run: threads inside it, one worker */
    assert_memory_equal(c1, one, per * sizeof *one);
    assert_int_equal(wg_engine_run(e, 0, R, all, sr, NULL, NULL, NULL, &d), WG_OK);
    wg_engine_bytes_per_agent(e, &workers);
    assert_int_equal(workers, 2); /* 250,000 agents: 6.6 MB for two workers fits any budget */
    assert_memory_equal(c1, all, R * per * sizeof *all);
    for (uint32_t r = 0; r < R; r++) {
        assert_int_equal(wg_engine_run(e, r, 1, one, sr, NULL, NULL, NULL, &d), WG_OK);
        assert_memory_equal(c1 + r * per, one, per * sizeof *one);
    }
    /* and something happened in every run */
    for (uint32_t r = 0; r < R; r++)
        assert_true(wg_test_row(c1, sim.steps, r, sim.steps - 1)[WG_C_UNAWARE] < g->n - 100);
    free(all), free(one), free(c1);
    wg_engine_free(e);
    wg_diag_free(&d);
    wg_graph_free(g);
}

/* ---- partitioned runs on ranks played by threads ------------------------------------ */

#define FAKE_MAX_RANKS 4

typedef struct fake_world {
    int ranks;
    pthread_barrier_t bar;
    const uint64_t *send[FAKE_MAX_RANKS];
    const size_t *counts[FAKE_MAX_RANKS];
    size_t n[FAKE_MAX_RANKS];
} fake_world;

typedef struct fake_rank {
    fake_world *w;
    int rank;
    const wg_sim *sim;
    uint32_t runs;
    int threads;
    uint32_t *counts, *steps_run;   /* out */
    uint64_t bytes, steps;          /* out: wg_engine_exchanged */
    wg_status st;
} fake_rank;

static void fake_room(uint64_t **recv, size_t *cap, size_t n)
{
    if (n <= *cap) return;
    *recv = realloc(*recv, n * sizeof **recv);
    *cap = n;
}

static size_t fake_alltoall(void *ud, const uint64_t *send, const size_t *counts, uint64_t **recv,
                            size_t *cap)
{
    fake_rank *r = ud;
    fake_world *w = r->w;
    w->send[r->rank] = send;
    w->counts[r->rank] = counts;
    pthread_barrier_wait(&w->bar);
    size_t total = 0;
    for (int q = 0; q < w->ranks; q++) total += w->counts[q][r->rank];
    fake_room(recv, cap, total ? total : 1);
    size_t at = 0;
    for (int q = 0; q < w->ranks; q++) {
        size_t from = 0;
        for (int k = 0; k < r->rank; k++) from += w->counts[q][k];
        if (w->counts[q][r->rank])   /* a rank that sends nothing may pass no buffer */
            memcpy(*recv + at, w->send[q] + from, w->counts[q][r->rank] * sizeof **recv);
        at += w->counts[q][r->rank];
    }
    pthread_barrier_wait(&w->bar);
    return total;
}

static size_t fake_allgather(void *ud, const uint64_t *send, size_t n, uint64_t **recv, size_t *cap)
{
    fake_rank *r = ud;
    fake_world *w = r->w;
    w->send[r->rank] = send;
    w->n[r->rank] = n;
    pthread_barrier_wait(&w->bar);
    size_t total = 0;
    for (int q = 0; q < w->ranks; q++) total += w->n[q];
    fake_room(recv, cap, total ? total : 1);
    size_t at = 0;
    for (int q = 0; q < w->ranks; q++) {
        if (w->n[q]) memcpy(*recv + at, w->send[q], w->n[q] * sizeof **recv);
        at += w->n[q];
    }
    pthread_barrier_wait(&w->bar);
    return total;
}

static void fake_fail(void *ud, const char *what)
{
    fake_rank *r = ud;
    fprintf(stderr, "rank %d: %s\n", r->rank, what);
    abort();
}

/* One rank: an engine on the whole network, partitioned, every run. */
static void *fake_rank_main(void *arg)
{
    fake_rank *r = arg;
    wg_engine *e = NULL;
    wg_graph *block = NULL;
    wg_diag d;
    wg_diag_init(&d);
    wg_engine_comm c = {r->rank, r->w->ranks, r, fake_alltoall, fake_allgather, fake_fail};
    r->st = wg_engine_new(r->sim, r->threads, &e, &d);
    if (r->st == WG_OK) r->st = wg_engine_partition(e, &c, &block, &d);
    if (r->st == WG_OK)
        r->st = wg_engine_run(e, 0, r->runs, r->counts, r->steps_run, NULL, NULL, NULL, &d);
    if (r->st == WG_OK) wg_engine_exchanged(e, &r->bytes, &r->steps);
    wg_engine_free(e);
    wg_graph_free(block);
    wg_diag_free(&d);
    return NULL;
}

/* The runs of sim on `ranks` ranks (threads each) give the serial counts. */
static void same_partitioned(const wg_sim *sim, uint32_t runs, int ranks, int threads,
                             const uint32_t *serial, const uint32_t *serial_steps)
{
    fake_world w;
    fake_rank r[FAKE_MAX_RANKS];
    pthread_t th[FAKE_MAX_RANKS];
    const size_t per = (size_t)runs * sim->steps * WG_NCOUNTS;
    memset(&w, 0, sizeof w);
    w.ranks = ranks;
    assert_int_equal(pthread_barrier_init(&w.bar, NULL, (unsigned)ranks), 0);
    for (int q = 0; q < ranks; q++) {
        r[q] = (fake_rank){&w, q, sim, runs, threads, calloc(per, sizeof(uint32_t)),
                           calloc(runs, sizeof(uint32_t)), 0, 0, WG_OK};
        assert_int_equal(pthread_create(&th[q], NULL, fake_rank_main, &r[q]), 0);
    }
    for (int q = 0; q < ranks; q++) pthread_join(th[q], NULL);
    pthread_barrier_destroy(&w.bar);
    for (int q = 0; q < ranks; q++) {
        assert_int_equal(r[q].st, WG_OK);
        assert_memory_equal(serial, r[q].counts, per * sizeof(uint32_t));
        assert_memory_equal(serial_steps, r[q].steps_run, runs * sizeof(uint32_t));
        assert_true(r[q].steps > 0);
        if (ranks > 1) assert_true(r[q].bytes > 0);   /* the counts at least were exchanged */
        else assert_int_equal(r[q].bytes, 0);
        free(r[q].counts);
        free(r[q].steps_run);
    }
}

static void partitioned_with(const wg_graph *g, wg_contact contact, wg_exposure exposure)
{
    wg_sim sim;
    wg_test_sim(&sim, g, 25, 4242);
    sim.model.contact = contact;
    sim.model.exposure = exposure;
    /* a fractional hazard divides by the in-degree: larger shares to spread */
    const double k = exposure == WG_EXPOSURE_FRACTIONAL ? 5 : 1;
    sim.model.p.v[WG_P_SHARE_POS] = 0.1 * k;
    sim.model.p.v[WG_P_SHARE_NEG] = 0.15 * k;
    sim.model.p.v[WG_P_QUALITY] = 0.9;
    sim.model.p.v[WG_P_STIFLE] = 0.1;
    sim.model.p.v[WG_P_FORGET] = 0.02;
    sim.model.p.v[WG_P_MEDIA_NEG] = 0.0005;
    uint64_t ids[4] = {1, 2, 70, g->n - 1};
    wg_event ev[2] = {wg_test_seed_ids(WG_POS, ids, 2), wg_test_seed_ids(WG_NEG, ids + 2, 2)};
    sim.events = ev;
    sim.nevents = 2;
    const uint32_t runs = 3;
    uint32_t *steps;
    uint32_t *serial = wg_test_run_steps(&sim, runs, 1, &steps);
    uint64_t reached = 0;   /* something happened */
    for (uint32_t t = 0; t < sim.steps; t++)
        reached += wg_test_row(serial, sim.steps, 0, t)[WG_C_NEW_POS] +
                   wg_test_row(serial, sim.steps, 0, t)[WG_C_NEW_NEG];
    assert_true(reached >= 10);
    for (int ranks = 1; ranks <= FAKE_MAX_RANKS; ranks++)
        same_partitioned(&sim, runs, ranks, ranks == 2 ? 2 : 1, serial, steps);
    free(serial);
    free(steps);
}

/* Every contact and exposure mode, undirected and directed, and a network of
 * fewer agents than 64 a rank (some blocks empty). */
static void test_partitioned_same_counts(void **state)
{
    (void)state;
    wg_graph *g = wg_test_random_graph(3000, 15000, 99);
    for (int c = 0; c < 3; c++) partitioned_with(g, (wg_contact)c, WG_EXPOSURE_INDEPENDENT);
    partitioned_with(g, WG_CONTACT_ALL, WG_EXPOSURE_FRACTIONAL);
    wg_graph_free(g);
    uint32_t src[2000], dst[2000];
    for (uint32_t i = 0; i < 2000; i++) {
        wg_rand4 r = wg_rng(5, 0, 0, WG_R_USER, i);
        src[i] = wg_below(r.v[0], 150);
        dst[i] = wg_below(r.v[1], 150);
    }
    g = wg_test_graph(150, 2000, src, dst, 1);
    partitioned_with(g, WG_CONTACT_ALL, WG_EXPOSURE_INDEPENDENT);
    partitioned_with(g, WG_CONTACT_ONCE, WG_EXPOSURE_INDEPENDENT);
    partitioned_with(g, WG_CONTACT_ALL, WG_EXPOSURE_FRACTIONAL);
    wg_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_once_directed_path),
        cmocka_unit_test(test_all_reed_frost),
        cmocka_unit_test(test_one_star),
        cmocka_unit_test(test_fractional_first_step),
        cmocka_unit_test(test_quit_geometric),
        cmocka_unit_test(test_duration_fixed_path),
        cmocka_unit_test(test_duration_laws),
        cmocka_unit_test(test_threads_durations),
        cmocka_unit_test(test_exposures_star),
        cmocka_unit_test(test_exposures_mean),
        cmocka_unit_test(test_media_only),
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_threads_small_graph),
        cmocka_unit_test(test_threads_large_graph),
        cmocka_unit_test(test_large_graph_runs_in_parallel),
        cmocka_unit_test(test_run_keyed),
        cmocka_unit_test(test_plain_general_same),
        cmocka_unit_test(test_partitioned_same_counts),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
