/*
 * test_optimize.c — `waggle optimize`: the lazy greedy against an exhaustive
 * search (karate, every set of up to 3 agents), the theory of a star (the
 * first pick is the hub, better than a leaf beyond its interval), common
 * random numbers (a set scored twice gives the same runs; the choice does
 * not depend on the thread count), a minimised objective, IMM against its
 * guarantee and against the engine's runs, whom to answer (a star: the hub,
 * and answering a leaf changes no run), a grid of response policies (every
 * point on the same runs: the scenario's own point gives its runs exactly;
 * the choice is the best within the budget), and bad input (exit 2, nothing
 * written).
 *
 * Every check is deterministic: fixed seeds, keyed draws. Where a check is
 * statistical its tolerance is the 95 % paired interval over the runs.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/compare.h"
#include "waggle/optimize.h"
#include "wg_test.h"

/* An independent cascade on Zachary's karate club; the scenario's own
 * positive seed event (2 at random) is what the choice replaces. */
static const char karate[] =
    "name: karate seeds\n"
    "steps: 20\n"
    "runs: 60\n"
    "seed: 7\n"
    "network: {generate: famous, name: karate}\n"
    "model: {contact: once, share: {positive: 0.15, negative: 0.15}}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: positive, count: 2, by: random}}\n";

/* The optimisation of scenario text with parameters p (which must open). */
static wg_opt *open_params(const char *text, const wg_opt_params *p)
{
    wg_diag d;
    wg_scenario *s = NULL;
    wg_opt *o = NULL;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_parse(text, strlen(text), "t.yaml", NULL, NULL, 0, &s, &d),
                     WG_OK);
    wg_status st = wg_opt_open(s, NULL, p, &o, &d);
    if (st != WG_OK) wg_diag_print(&d, stderr);
    assert_int_equal(st, WG_OK);
    wg_diag_free(&d);
    return o;
}

static wg_opt *open_method(const char *text, uint32_t budget, uint32_t candidates, int objective,
                           int threads, int method)
{
    wg_opt_params p;
    wg_opt_params_default(&p);
    p.budget = budget;
    p.candidates = candidates;
    p.objective = objective;
    p.threads = threads;
    p.method = method;
    return open_params(text, &p);
}

static wg_opt *open_text(const char *text, uint32_t budget, uint32_t candidates, int objective,
                         int threads)
{
    return open_method(text, budget, candidates, objective, threads, WG_OPT_GREEDY);
}

/* An optimisation of what to answer: whom (ndelays = nper = 0), or a grid. */
static wg_opt *open_respond(const char *text, uint32_t budget, const uint32_t *delays,
                            uint32_t ndelays, const uint32_t *per, uint32_t nper)
{
    wg_opt_params p;
    wg_opt_params_default(&p);
    p.choose = ndelays || nper ? WG_CHOOSE_POLICY : WG_CHOOSE_RESPOND;
    p.objective = WG_OBJ_REACH_NEG;
    p.budget = budget;
    p.candidates = 40;
    if (ndelays) memcpy(p.delays, delays, ndelays * sizeof *delays);
    p.ndelays = ndelays;
    if (nper) memcpy(p.per_steps, per, nper * sizeof *per);
    p.nper_steps = nper;
    return open_params(text, &p);
}

static double mean_of(const double *x, uint32_t n)
{
    double s = 0;
    for (uint32_t i = 0; i < n; i++) s += x[i];
    return s / n;
}

/* 95 % paired interval of a - b over n runs. */
static void paired_ci(const double *a, const double *b, uint32_t n, double *m, double *lo,
                      double *hi)
{
    double *x = malloc(n * sizeof *x);
    for (uint32_t i = 0; i < n; i++) x[i] = a[i] - b[i];
    wg_cmp_t_interval(x, n, m, lo, hi);
    free(x);
}

/* Greedy against every set of k agents of the 34, for k = 1, 2, 3. For k = 1
 * the greedy is exact (it scores every candidate); for k = 2, 3 the best set
 * found by enumeration may beat it, but by no more than the paired interval:
 * the difference best - greedy has an interval that reaches 0. (The best set
 * is the maximum of thousands of noisy means, so its own mean is biased up:
 * this check errs towards failing, not towards passing.) */
static void test_karate_exhaustive(void **state)
{
    (void)state;
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *o = open_text(karate, 3, 34, WG_OBJ_REACH_POS, 1);
    uint32_t nc, k;
    wg_opt_candidates(o, &nc);
    assert_int_equal(nc, 34);
    assert_int_equal(wg_opt_choose(o, &d), WG_OK);
    const uint32_t *chosen = wg_opt_chosen(o, &k);
    assert_int_equal(k, 3);
    const uint32_t R = wg_opt_runs(o), n = 34;
    double *g = malloc(R * sizeof *g), *v = malloc(R * sizeof *v), *best = malloc(R * sizeof *best);
    for (uint32_t size = 1; size <= 3; size++) {
        assert_int_equal(wg_opt_eval(o, chosen, size, g, &d), WG_OK);
        double best_mean = -1;
        uint32_t set[3], best_set[3] = {0, 0, 0}, sets = 0;
        for (uint32_t i = 0; i < size; i++) set[i] = i;
        for (;;) {
            assert_int_equal(wg_opt_eval(o, set, size, v, &d), WG_OK);
            sets++;
            double m = mean_of(v, R);
            if (m > best_mean) {
                best_mean = m;
                memcpy(best, v, R * sizeof *v);
                memcpy(best_set, set, sizeof set);
            }
            /* the next combination in lexicographic order */
            int i = (int)size - 1;
            while (i >= 0 && set[i] == n - size + (uint32_t)i) i--;
            if (i < 0) break;
            set[i]++;
            for (uint32_t j = (uint32_t)i + 1; j < size; j++) set[j] = set[j - 1] + 1;
        }
        assert_int_equal(sets, size == 1 ? 34 : size == 2 ? 561 : 5984);
        double m, lo, hi;
        paired_ci(best, g, R, &m, &lo, &hi);
        print_message("k=%u greedy %.3f, exhaustive best %.3f (%u %u %u), best - greedy %.3f "
                      "[%.3f, %.3f]\n", size, mean_of(g, R), best_mean, best_set[0],
                      size > 1 ? best_set[1] : 0, size > 2 ? best_set[2] : 0, m, lo, hi);
        assert_true(m >= 0);   /* nothing beats the best */
        if (size == 1) assert_true(m == 0);
        else assert_true(lo <= 0);
    }
    free(g);
    free(v);
    free(best);
    wg_opt_free(o);
    wg_diag_free(&d);
}

/* The same set scored twice, in between others, gives the same runs (the
 * scores are pure functions of the set): what CELF's reuse relies on. */
static void test_common_random_numbers(void **state)
{
    (void)state;
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *o = open_text(karate, 2, 10, WG_OBJ_REACH_POS, 0);
    const uint32_t R = wg_opt_runs(o);
    double *a = malloc(R * sizeof *a), *b = malloc(R * sizeof *b);
    const uint32_t s1[2] = {33, 0}, s2[2] = {5, 6}, s3[2] = {0, 33};
    assert_int_equal(wg_opt_eval(o, s1, 2, a, &d), WG_OK);
    assert_int_equal(wg_opt_eval(o, s2, 2, b, &d), WG_OK);
    assert_int_equal(wg_opt_eval(o, s3, 2, b, &d), WG_OK);   /* the same set, other order */
    assert_memory_equal(a, b, R * sizeof *a);
    free(a);
    free(b);
    wg_opt_free(o);
    wg_diag_free(&d);
}

/* A star of 40: one hub, 39 leaves. Seeding the hub reaches 1 + 39 p in
 * expectation (p = 0.4: 16.6), a leaf 1 + p (1 + 38 p) (7.5): the first pick
 * must be the hub, and the hub must beat a leaf beyond the paired interval,
 * so the pick is not the tie-break's (the hub is also the first candidate). */
static void test_star_hub(void **state)
{
    (void)state;
    static const char star[] =
        "name: star\nsteps: 10\nruns: 200\nseed: 3\n"
        "network: {generate: star, nodes: 40}\n"
        "model: {contact: once, share: {positive: 0.4, negative: 0.4}}\n"
        "events:\n  - {step: 0, seed: {valence: positive, count: 1, by: random}}\n";
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *o = open_text(star, 2, 40, WG_OBJ_REACH_POS, 0);
    const wg_graph *g = wg_opt_graph(o);
    uint32_t hub = 0;
    for (uint32_t a = 0; a < g->n; a++)
        if (wg_graph_out_degree(g, a) > wg_graph_out_degree(g, hub)) hub = a;
    assert_int_equal(wg_graph_out_degree(g, hub), 39);
    assert_int_equal(wg_opt_choose(o, &d), WG_OK);
    uint32_t k;
    const uint32_t *chosen = wg_opt_chosen(o, &k);
    assert_int_equal(chosen[0], hub);
    const uint32_t R = wg_opt_runs(o);
    double *h = malloc(R * sizeof *h), *l = malloc(R * sizeof *l), m, lo, hi;
    uint32_t leaf = hub == 0 ? 1 : 0;
    assert_int_equal(wg_opt_eval(o, &hub, 1, h, &d), WG_OK);
    assert_int_equal(wg_opt_eval(o, &leaf, 1, l, &d), WG_OK);
    paired_ci(h, l, R, &m, &lo, &hi);
    print_message("star: hub %.2f, leaf %.2f, hub - leaf %.2f [%.2f, %.2f]\n", mean_of(h, R),
                  mean_of(l, R), m, lo, hi);
    assert_true(lo > 0);
    /* theory, within 4 standard errors of 200 runs */
    assert_true(fabs(mean_of(h, R) - 16.6) < 4 * sqrt(39 * 0.4 * 0.6 / R));
    wg_opt_pick row;
    assert_int_equal(wg_opt_pick_row(o, 1, &row), WG_OK);
    assert_true(row.gain_lo > 0);
    free(h);
    free(l);
    wg_opt_free(o);
    wg_diag_free(&d);
}

/* -reach_negative: advocates placed beside one critic lower the negative
 * reach, and every pick's gain is a reduction of it. */
static void test_minimise_negative(void **state)
{
    (void)state;
    static const char crit[] =
        "name: one critic\nsteps: 30\nruns: 150\nseed: 11\n"
        "network: {generate: barabasi-albert, nodes: 400, edges_per_node: 2}\n"
        "model: {share: {positive: 0.2, negative: 0.2}, quit: 0.3}\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 1, by: degree}}\n";
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *o = open_text(crit, 4, 30, WG_OBJ_REACH_NEG, 0);
    assert_int_equal(wg_opt_choose(o, &d), WG_OK);
    const uint32_t R = wg_opt_runs(o);
    double *none = malloc(R * sizeof *none);
    assert_int_equal(wg_opt_eval(o, NULL, 0, none, &d), WG_OK);
    wg_opt_pick row;
    assert_int_equal(wg_opt_pick_row(o, 4, &row), WG_OK);
    print_message("critics' reach without advocates %.1f, with 4 chosen %.1f [%.1f, %.1f]\n",
                  -mean_of(none, R), row.metric, row.metric_lo, row.metric_hi);
    assert_true(row.metric_hi < -mean_of(none, R));
    for (uint32_t r = 1; r <= 4; r++) {
        assert_int_equal(wg_opt_pick_row(o, r, &row), WG_OK);
        assert_true(row.gain > 0);
    }
    free(none);
    wg_opt_free(o);
    wg_diag_free(&d);
}

/* An independent cascade on a small scale-free network, 5 seeds. IMM promises a
 * spread of at least (1 - 1/e - ε) of the best (with probability 1 - 1/n); the
 * greedy's spread stands in for the best. Checked by waggle's own runs, paired:
 * per run d = IMM - (1 - 1/e - ε) greedy, whose 95 % interval must reach 0 or
 * above (in fact IMM comes within a few per cent of the greedy). IMM's own
 * estimate of its spread (from its RR sets) must agree with the runs, within
 * 4 standard errors of the runs' mean: that checks the RR sets sample the
 * engine's cascade, the step limit (hops) included, here binding with 3 steps. */
static void test_imm_guarantee(void **state)
{
    (void)state;
    static const char ic[] =
        "name: ic\nsteps: 20\nruns: 200\nseed: 5\n"
        "network: {generate: barabasi-albert, nodes: 300, edges_per_node: 2}\n"
        "model: {contact: once, share: {positive: 0.12, negative: 0.1}}\n"
        "events:\n  - {step: 0, seed: {valence: positive, count: 5, by: random}}\n";
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *g = open_method(ic, 5, 60, WG_OBJ_REACH_POS, 1, WG_OPT_GREEDY);
    wg_opt *m = open_method(ic, 5, 300, WG_OBJ_REACH_POS, 1, WG_OPT_IMM);
    assert_int_equal(wg_opt_choose(g, &d), WG_OK);
    assert_int_equal(wg_opt_choose(m, &d), WG_OK);
    const uint32_t R = wg_opt_runs(g);
    uint32_t k;
    double *vg = malloc(R * sizeof *vg), *vm = malloc(R * sizeof *vm), *x = malloc(R * sizeof *x);
    assert_int_equal(wg_opt_eval(g, wg_opt_chosen(g, &k), 5, vg, &d), WG_OK);
    assert_int_equal(wg_opt_eval(g, wg_opt_chosen(m, &k), 5, vm, &d), WG_OK);
    const double c = 1 - exp(-1) - 0.1;
    for (uint32_t r = 0; r < R; r++) x[r] = vm[r] - c * vg[r];
    double dm, lo, hi;
    wg_cmp_t_interval(x, R, &dm, &lo, &hi);
    const wg_imm_result *ir = wg_opt_imm_result(m);
    assert_non_null(ir);
    print_message("greedy %.2f, IMM %.2f (its estimate %.2f from %llu RR sets); IMM - %.3f "
                  "greedy: %.2f [%.2f, %.2f]\n", mean_of(vg, R), mean_of(vm, R), ir->spread_est,
                  (unsigned long long)ir->rr_sets, c, dm, lo, hi);
    assert_true(hi >= 0);
    double mean, mlo, mhi;
    wg_cmp_t_interval(vm, R, &mean, &mlo, &mhi);
    const double se = (mhi - mlo) / (2 * 1.968);
    assert_true(fabs(ir->spread_est - mean) < 4 * se);
    wg_opt_free(g);
    wg_opt_free(m);

    /* 3 steps: at most 3 hops; and the same seeds on 1 and 2 threads */
    static const char short_ic[] =
        "name: ic\nsteps: 3\nruns: 400\nseed: 5\n"
        "network: {generate: barabasi-albert, nodes: 300, edges_per_node: 2}\n"
        "model: {contact: once, share: {positive: 0.5, negative: 0.1}}\n"
        "events:\n  - {step: 0, seed: {valence: positive, count: 5, by: random}}\n";
    m = open_method(short_ic, 3, 300, WG_OBJ_REACH_POS, 1, WG_OPT_IMM);
    assert_int_equal(wg_opt_runs(m), 400);
    free(vm);
    vm = malloc(400 * sizeof *vm);
    assert_int_equal(wg_opt_choose(m, &d), WG_OK);
    ir = wg_opt_imm_result(m);
    assert_int_equal(wg_opt_eval(m, wg_opt_chosen(m, &k), 3, vm, &d), WG_OK);
    wg_cmp_t_interval(vm, 400, &mean, &mlo, &mhi);
    print_message("3 steps: IMM estimate %.2f, runs %.2f [%.2f, %.2f]\n", ir->spread_est, mean,
                  mlo, mhi);
    assert_true(fabs(ir->spread_est - mean) < 4 * (mhi - mlo) / (2 * 1.966));
    uint32_t s1[3], s2[3];
    wg_imm_result r1, r2;
    assert_int_equal(wg_imm_select(wg_opt_graph(m), 0.5, 3, 5, 3, 0.2, 1, 1, s1, &r1, &d), WG_OK);
    assert_int_equal(wg_imm_select(wg_opt_graph(m), 0.5, 3, 5, 3, 0.2, 1, 2, s2, &r2, &d), WG_OK);
    assert_memory_equal(s1, s2, sizeof s1);
    assert_true(r1.spread_est == r2.spread_est && r1.rr_sets == r2.rr_sets);
    wg_opt_free(m);
    free(vg);
    free(vm);
    free(x);
    wg_diag_free(&d);
}

/* The command: files, the same bytes on 1 and 2 threads, bad input. */
static char dir[96];

/* Whom to answer, on a star of 40 whose hub is the one critic: it talks to
 * every leaf each step (share 0.2, it never quits) until it is answered at
 * step 1 (calm 1: it becomes a rejecter, who does not talk). A leaf critic
 * can only tell the hub, negative already, so answering a leaf changes no
 * run at all (common random numbers: the runs are those of answering
 * nobody, exactly), and the choice must be the hub. With the hub answered
 * only step 0's talk happened: reach_negative is 1 + 39 × 0.2 = 8.8 in
 * expectation, checked within 4 standard errors of the 200 runs. */
static void test_respond_star(void **state)
{
    (void)state;
    static const char star[] =
        "name: star critic\nsteps: 12\nruns: 200\nseed: 11\n"
        "network: {generate: star, nodes: 40}\n"
        "model: {contact: all, share: {positive: 0.2, negative: 0.2}, "
        "quit: {positive: 0, negative: 0}}\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 1, by: degree}}\n"
        "  - {step: 1, respond: {count: 1, by: random, win: 0, calm: 1}}\n";
    wg_diag d;
    wg_diag_init(&d);
    wg_opt *o = open_respond(star, 1, NULL, 0, NULL, 0);
    const wg_graph *g = wg_opt_graph(o);
    uint32_t hub = 0;
    for (uint32_t a = 0; a < g->n; a++)
        if (wg_graph_out_degree(g, a) > wg_graph_out_degree(g, hub)) hub = a;
    assert_int_equal(wg_opt_choose(o, &d), WG_OK);
    uint32_t k;
    const uint32_t *chosen = wg_opt_chosen(o, &k);
    assert_int_equal(k, 1);
    assert_int_equal(chosen[0], hub);
    const uint32_t R = wg_opt_runs(o);
    double *h = malloc(R * sizeof *h), *l = malloc(R * sizeof *l), *none = malloc(R * sizeof *none);
    uint32_t leaf = hub == 0 ? 1 : 0;
    assert_int_equal(wg_opt_eval(o, &hub, 1, h, &d), WG_OK);
    assert_int_equal(wg_opt_eval(o, &leaf, 1, l, &d), WG_OK);
    assert_int_equal(wg_opt_eval(o, NULL, 0, none, &d), WG_OK);
    assert_memory_equal(l, none, R * sizeof *l);
    double se = sqrt(39 * 0.2 * 0.8 / R);
    print_message("star critic: hub answered %.3f (theory 8.8 ± %.3f), nobody answered %.3f\n",
                  -mean_of(h, R), 4 * se, -mean_of(none, R));
    assert_true(fabs(-mean_of(h, R) - 8.8) < 4 * se);
    wg_opt_pick row;
    assert_int_equal(wg_opt_pick_row(o, 1, &row), WG_OK);
    assert_true(row.gain_lo > 0);
    free(h);
    free(l);
    free(none);
    wg_opt_free(o);
    wg_diag_free(&d);
}

/* A standing policy (delay 2, 5 a day) on a small scale-free network, and a
 * grid of delays {0, 2, 6} × per_step {1, 5}. */
static const char policy_text[] =
    "name: policy grid\nsteps: 30\nruns: 40\nseed: 5\n"
    "network: {generate: barabasi-albert, nodes: 600, edges_per_node: 3}\n"
    "model: {contact: all, share: {positive: 0.03, negative: 0.08}, "
    "quit: {positive: 0.3, negative: 0.15}}\n"
    "events:\n  - {step: 0, seed: {valence: negative, count: 3, by: random}}\n"
    "  - {step: 1, respond: {policy: {delay: 2, per_step: 5, by: first}, win: 0.1, "
    "calm: 0.6}}\n";

/* Every point is scored on the same runs: the point that is the scenario's
 * own policy gives the scenario's runs exactly (a pure function of the
 * policy), answering nobody answers nobody, and the choice is the best mean
 * among the points whose mean answers keep within the budget; a budget that
 * no point keeps is refused. */
/* The best point of a grid within a budget, checked against every row; the
 * rows into r (n + 2 of them). */
static int check_grid_choice(wg_opt *o, uint32_t budget, wg_opt_policy_row *r)
{
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_opt_choose(o, &d), WG_OK);
    const uint32_t n = wg_opt_grid_size(o);
    for (uint32_t i = 0; i < n + 2; i++)
        assert_int_equal(wg_opt_grid_row(o, i, NULL, &r[i]), WG_OK);
    int best = wg_opt_grid_best(o);
    assert_true(best >= 0 && best < (int)n);
    for (uint32_t i = 0; i < n; i++)   /* lower is better */
        if (!budget || r[i].answers <= budget) assert_true(r[i].metric >= r[best].metric);
    if (budget) assert_true(r[best].answers <= budget);
    print_message("grid of %u (budget %u): chosen delay %u per_step %u: %.2f critics, %.2f "
                  "answers; nobody answered: %.2f\n", n, budget, r[best].delay,
                  r[best].per_step, r[best].metric, r[best].answers, r[n + 1].metric);
    assert_int_equal(wg_opt_compare(o, &d), WG_OK);
    wg_diag_free(&d);
    return best;
}

static void test_policy_grid(void **state)
{
    (void)state;
    const uint32_t delays[3] = {0, 2, 6}, per[2] = {1, 5};
    wg_opt_policy_row r[8];
    wg_opt *o = open_respond(policy_text, 0, delays, 3, per, 2);
    check_grid_choice(o, 0, r);
    const uint32_t n = wg_opt_grid_size(o);
    assert_int_equal(n, 6);
    /* point 3 is (2, 5), the scenario's own: the same runs */
    assert_int_equal(r[3].delay, 2);
    assert_int_equal(r[3].per_step, 5);
    assert_true(r[3].metric == r[n].metric && r[3].answers == r[n].answers);
    assert_true(r[n + 1].answers == 0 && r[n + 1].advantage == 0);
    /* answering at once makes fewer critics than silence, beyond the interval */
    assert_true(r[1].advantage_lo > 0);
    wg_opt_free(o);
    /* later answers cost more answers when they come in fives: a budget just
     * below the answers of the best point must choose another, within it */
    const uint32_t late[2] = {2, 6};
    o = open_respond(policy_text, 0, late, 2, per, 2);
    int best0 = check_grid_choice(o, 0, r);
    uint32_t budget = (uint32_t)ceil(r[best0].answers) - 1;
    double fewest = r[0].answers;
    for (uint32_t i = 1; i < 4; i++) fewest = fmin(fewest, r[i].answers);
    assert_true(fewest <= budget);
    wg_opt_free(o);
    o = open_respond(policy_text, budget, late, 2, per, 2);
    assert_true(check_grid_choice(o, budget, r) != best0);
    wg_opt_free(o);
    /* a budget below every point's answers */
    wg_diag d;
    wg_diag_init(&d);
    o = open_respond(policy_text, 1, delays, 3, per, 2);
    assert_int_equal(wg_opt_choose(o, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "no policy of the grid keeps within 1 answers"));
    wg_opt_free(o);
    wg_diag_free(&d);
}

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    if (wg_test_mkdtemp(dir, "optimize")) return -1;
    if (wg_test_write(dir, "p.yaml", policy_text)) return -1;
    return wg_test_write(dir, "k.yaml", karate);
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(dir);
}

static char *slurp2(const char *a, const char *b)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", a, b);
    return wg_test_slurp(path, NULL);
}

/* File `name` of folders a and b (below dir): equal bytes; returned (caller
 * frees) with its line count in *lines. */
static char *same_file(const char *a, const char *b, const char *name, size_t *lines)
{
    char p1[160], p2[160];
    snprintf(p1, sizeof p1, "%s/%s", dir, a);
    snprintf(p2, sizeof p2, "%s/%s", dir, b);
    char *x = slurp2(p1, name), *y = slurp2(p2, name);
    assert_non_null(x);
    assert_non_null(y);
    assert_string_equal(x, y);
    free(y);
    *lines = 0;
    for (const char *c = x; *c; c++) *lines += *c == '\n';
    return x;
}

static void test_command(void **state)
{
    (void)state;
    wg_test_how how = {dir, NULL, 0, NULL};
    char *out = NULL, *err = NULL;
    size_t lines;
    assert_int_equal(wg_test_waggle(&how, &out, &err, "optimize k.yaml --choose seeds --budget 3 "
                                    "--candidates degree:12 -t 1 -o o1"), 0);
    free(out);
    free(err);
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "optimize k.yaml --choose=seeds --budget=3 "
                                    "--candidates=degree:12 -t 2 -o o2 -q"), 0);
    char *a = same_file("o1", "o2", "chosen.csv", &lines);
    assert_non_null(strstr(a, "rank,id,degree,objective,value,value_lo,value_hi,gain,"
                              "gain_lo,gain_hi\n1,"));
    assert_int_equal(lines, 4);   /* three picks */
    free(a);
    a = same_file("o1", "o2", "optimize.csv", &lines);
    assert_non_null(strstr(a, "\n3,greedy,reach_positive,"));
    assert_non_null(strstr(a, "\n3,kcore,reach_positive,"));
    free(a);
    assert_true(wg_test_exists(dir, "o1/manifest.yaml"));
    assert_true(wg_test_exists(dir, "o1/optimize.png"));
    /* a grid of policies: the same bytes at 1 and 2 threads, its files and chart */
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "optimize p.yaml --choose respond "
                                    "--delays 0,3 --per-step 2,8 -t 1 -o g1 -q"), 0);
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "optimize p.yaml --choose=respond "
                                    "--delays=0,3 --per-step=2,8 -t 2 -o g2 -q"), 0);
    a = same_file("g1", "g2", "policies.csv", &lines);
    assert_int_equal(lines, 5);   /* 4 points */
    free(a);
    a = same_file("g1", "g2", "chosen.csv", &lines);
    assert_int_equal(lines, 4);   /* chosen, scenario, none */
    assert_non_null(strstr(a, "\nchosen,"));
    assert_non_null(strstr(a, "\nscenario,2,5,reach_negative,"));
    assert_non_null(strstr(a, "\nnone,,,reach_negative,"));
    free(a);
    assert_true(wg_test_exists(dir, "g1/optimize.png"));
    assert_false(wg_test_exists(dir, "g1/optimize.csv"));
    char *m = slurp2(dir, "g1/manifest.yaml");
    assert_non_null(m);
    assert_non_null(strstr(m, "choose: respond, grid: policies"));
    free(m);
    /* render redraws it from the folder */
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "render g1"), 0);
}

static void expect_refusal(const char *args, const char *needle)
{
    wg_test_how how = {dir, NULL, 0, NULL};
    char *err = NULL;
    int rc = wg_test_waggle(&how, NULL, &err, "optimize %s -o bad", args);
    if (rc != 2 || !strstr(err, needle)) fprintf(stderr, "%s: %d %s", args, rc, err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, needle));
    assert_false(wg_test_exists(dir, "bad"));
    free(err);
}

static void test_bad_input(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(dir, "none.yaml",
                                   "name: no seeds\nsteps: 5\nnetwork: {generate: ring, nodes: "
                                   "20}\nevents:\n  - {step: 1, media: {valence: positive, "
                                   "amplitude: 0.1, decay: 0.5}}\n"),
                     0);
    expect_refusal("k.yaml --choose seeds --budget 6 --candidates degree:5",
                   "--budget 6: larger than the 5 candidates");
    expect_refusal("k.yaml --choose seeds --budget 40", "larger than the 34 candidates");
    expect_refusal("k.yaml --choose seeds --budget 2 --objective reach", "--objective reach: "
                   "unknown objective");
    expect_refusal("none.yaml --choose seeds --budget 2", "no seeds to choose");
    expect_refusal("k.yaml --choose seeds --budget 0", "--budget 0: expected a count");
    expect_refusal("k.yaml --choose seeds", "missing --budget");
    expect_refusal("k.yaml --budget 2", "missing --choose");
    expect_refusal("k.yaml --choose critics --budget 2", "--choose critics: expected seeds "
                   "or respond");
    expect_refusal("k.yaml --choose respond --budget 2", "no response to choose");
    expect_refusal("p.yaml --choose respond --budget 2", "is a standing policy");
    expect_refusal("p.yaml --choose seeds --budget 2 --delays 0,1", "a grid of response "
                   "policies goes with --choose respond");
    expect_refusal("p.yaml --choose respond --delays 0,x", "--delays 0,x: expected a "
                   "comma-separated list");
    expect_refusal("p.yaml --choose respond --per-step 0,5", "--per-step 0,5: expected a "
                   "comma-separated list of at most 8 whole numbers of at least 1");
    expect_refusal("p.yaml --choose respond --delays 1,2,3,4,5,6,7,8,9", "--delays "
                   "1,2,3,4,5,6,7,8,9: expected");
    expect_refusal("p.yaml --choose respond --delays 0,1 --method imm", "--method imm chooses "
                   "seeds");
    expect_refusal("p.yaml --choose respond --delays 0,1 --budget 1", "no policy of the grid "
                   "keeps within 1 answers");
    assert_int_equal(wg_test_write(dir, "once.yaml", "name: once\nsteps: 5\nnetwork: "
                                   "{generate: ring, nodes: 20}\nevents:\n  - {step: 0, seed: "
                                   "{valence: negative, count: 1, by: random}}\n  - {step: 1, "
                                   "respond: {count: 2, by: degree, win: 0.1, calm: 0.5}}\n"),
                     0);
    expect_refusal("once.yaml --choose respond --per-step 5", "answers once; make it standing");
    expect_refusal("k.yaml --choose seeds --budget 2 --candidates pagerank:5",
                   "--candidates pagerank:5: expected degree:N");
    expect_refusal("k.yaml --choose seeds --budget 2 --method best", "--method best: expected "
                   "greedy or imm");
    expect_refusal("k.yaml --choose seeds --budget 2 --method imm --epsilon 1", "--epsilon 1: "
                   "expected a number in (0, 1)");
    expect_refusal("k.yaml --choose seeds --budget 2 --method imm --objective -blowup",
                   "--method imm maximises reach_positive");
    expect_refusal("k.yaml --choose seeds --budget 2 --method imm --set contact=all",
                   "--method imm needs an independent cascade (contact: once)");
    expect_refusal("k.yaml --choose seeds --budget 35 --method imm", "--budget 35: larger than "
                   "the 34 agents");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_karate_exhaustive),
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_star_hub),
        cmocka_unit_test(test_minimise_negative),
        cmocka_unit_test(test_imm_guarantee),
        cmocka_unit_test(test_respond_star),
        cmocka_unit_test(test_policy_grid),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
