/*
 * test_compare.c — what-if comparisons: common random numbers (a variant
 * identical to the base differs by exactly zero in every run; a variant
 * that changes one late event leaves every earlier step byte for byte),
 * pairing makes the interval narrower than the unpaired one, and the
 * interval formulas against values computed by hand (t interval, Wilson).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/job.h"
#include "waggle/compare.h"
#include "waggle/scenario.h"

/* A blow-up rule on negative reach at threshold t (a compound literal). */
#define NEG(t) (&(wg_blowup_rule){(t), WG_NEG, 0, 0})

static const char scenario[] =
    "name: crn\n"
    "steps: 30\n"
    "runs: 120\n"
    "seed: 2009\n"
    "network: {generate: barabasi-albert, nodes: 1500, edges_per_node: 3}\n"
    "model: {share: {positive: 0.05, negative: 0.07}, quit: 0.25, quality: 0.9}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
    "  - {step: 0, seed: {valence: positive, count: 4, by: degree}}\n"
    "  - {step: 20, respond: {count: 30, by: degree, win: 0.1, calm: 0.5}}\n"
    "variants:\n"
    "  - {name: as written}\n"
    "  - {name: same value, set: {share.negative: 0.07}}\n"
    "  - {name: later answer, set: {events.2.step: 24}}\n"
    "  - {name: early answer, set: {events.2.step: 3}}\n";

typedef struct arms {
    wg_scenario *s[5];     /* the jobs' */
    wg_results r[5];       /* views of the jobs' results */
    wg_job *job[5];
    wg_graph *g;
} arms;

static void run_arms(arms *a)
{
    wg_diag d;
    wg_diag_init(&d);
    memset(a, 0, sizeof *a);
    assert_int_equal(wg_scenario_parse(scenario, sizeof scenario - 1, "crn.yaml", NULL, NULL, 0,
                                       &a->s[0], &d),
                     WG_OK);
    assert_int_equal(a->s[0]->nvariants, 4);
    assert_int_equal(wg_graph_build(&a->s[0]->net, a->s[0]->seed, &a->g, &d), WG_OK);
    wg_job_run_params rp;
    wg_job_run_params_default(&rp);
    rp.threads = 2;
    for (size_t i = 0; i < 5; i++) {
        if (i) assert_int_equal(wg_scenario_variant(a->s[0], i - 1, &a->s[i], &d), WG_OK);
        assert_int_equal(wg_job_open_scenario(a->s[i], a->g, &a->job[i], &d), WG_OK);
        assert_int_equal(wg_job_run(a->job[i], &rp, &d), WG_OK);
        a->r[i] = *wg_job_results(a->job[i]);
    }
    wg_diag_free(&d);
}

static void free_arms(arms *a)
{
    for (size_t i = 5; i-- > 0;) wg_job_free(a->job[i]);
    wg_graph_free(a->g);
}

static void test_common_random_numbers(void **state)
{
    (void)state;
    arms a;
    run_arms(&a);
    const wg_results *b = &a.r[0];
    const size_t per_run = (size_t)b->steps * WG_NCOUNTS;
    double work[2 * 120];
    /* identical variants: every run's series is the base's, every paired difference 0 */
    for (size_t i = 1; i <= 2; i++) {
        assert_memory_equal(b->counts, a.r[i].counts, b->runs * per_run * sizeof *b->counts);
        for (int m = 0; m < WG_NCMP; m++) {
            for (uint32_t run = 0; run < b->runs; run++) {
                double x = wg_cmp_value(b, run, m, NEG(0.01));
                double y = wg_cmp_value(&a.r[i], run, m, NEG(0.01));
                assert_true(x == y || (isnan(x) && isnan(y)));
            }
            wg_cmp_row row;
            wg_cmp_paired(b, NEG(0.01), &a.r[i], NEG(0.01), m, work, &row);
            assert_true(row.diff_mean == 0 && row.diff_lo == 0 && row.diff_hi == 0);
            assert_true(row.p_better == 0.5);
        }
    }
    print_message("  2 identical variants: paired difference 0 in all %u runs, every metric\n",
                  b->runs);
    /* moving the answer from step 20 to 24: steps 0-19 byte for byte in every run */
    int later_differs = 0;
    for (uint32_t run = 0; run < b->runs; run++) {
        const uint32_t *x = b->counts + run * per_run, *y = a.r[3].counts + run * per_run;
        assert_memory_equal(x, y, (size_t)20 * WG_NCOUNTS * sizeof *x);
        later_differs |= memcmp(x, y, per_run * sizeof *x) != 0;
    }
    print_message("  answer moved from step 20 to 24: steps 0-19 identical in all %u runs\n",
                  b->runs);
    assert_true(later_differs);
    free_arms(&a);
}

/* Pairing: the interval of the difference from run pairs is narrower than
 * the one that ignores the pairing (Welch), because both arms share their
 * randomness. */
static void test_paired_narrower(void **state)
{
    (void)state;
    arms a;
    run_arms(&a);
    double work[2 * 120];
    for (int m = WG_CMP_REACH_POS; m <= WG_CMP_SENTIMENT; m++) {
        wg_cmp_row row;
        double lo, hi;
        wg_cmp_paired(&a.r[0], NEG(0.01), &a.r[4], NEG(0.01), m, work, &row);
        wg_cmp_unpaired(&a.r[0], NEG(0.01), &a.r[4], NEG(0.01), m, work, &lo, &hi);
        print_message("  early answer, %-15s diff %+9.3f  paired [%+9.3f, %+9.3f] width %8.3f"
                      "  unpaired [%+9.3f, %+9.3f] width %8.3f\n",
                      wg_cmp_metric_name(m), row.diff_mean, row.diff_lo, row.diff_hi,
                      row.diff_hi - row.diff_lo, lo, hi, hi - lo);
        assert_true(row.diff_hi - row.diff_lo < hi - lo);
        /* both are intervals around the same difference of means */
        assert_true(fabs((lo + hi) / 2 - row.diff_mean) < 1e-9 * (1 + fabs(row.diff_mean)));
    }
    free_arms(&a);
}

/* A results set of `runs` runs of one step with the given final counts. */
static void results_of(wg_results *r, uint32_t agents, uint32_t runs, const uint32_t *critics,
                       const uint32_t *advocates)
{
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_results_alloc(r, runs, 1, agents, &d), WG_OK);
    for (uint32_t i = 0; i < runs; i++) {
        uint32_t *c = r->counts + (size_t)i * WG_NCOUNTS;
        c[WG_C_CRITICS] = critics[i];
        c[WG_C_ADVOCATES] = advocates[i];
        c[WG_C_UNAWARE] = agents - critics[i] - advocates[i];
        r->steps_run[i] = 1;
    }
    wg_diag_free(&d);
}

/* Against hand computation: differences 1, 2, 3, 4 have mean 2.5, sd
 * 1.2909944, t(0.975, 3) = 3.1824463: half-width 2.0542603. p_better for
 * negative reach counts pairs where the variant has fewer; ties count half. */
static void test_interval_by_hand(void **state)
{
    (void)state;
    wg_results b, v;
    const uint32_t zero[4] = {0, 0, 0, 0};
    const uint32_t cb[4] = {10, 10, 10, 10}, cv[4] = {11, 12, 13, 14};
    results_of(&b, 100, 4, cb, zero);
    results_of(&v, 100, 4, cv, zero);
    double work[8];
    wg_cmp_row row;
    wg_cmp_paired(&b, NEG(0.105), &v, NEG(0.105), WG_CMP_REACH_NEG, work, &row);
    assert_true(fabs(row.diff_mean - 2.5) < 1e-12);
    assert_true(fabs(row.diff_lo - (2.5 - 2.0542603)) < 1e-6);
    assert_true(fabs(row.diff_hi - (2.5 + 2.0542603)) < 1e-6);
    assert_true(row.p_better == 0.0);   /* more critics in every pair: never better */
    assert_true(row.base_mean == 10 && row.variant_mean == 12.5);
    /* blow-up above 11.5 critics of 100 agents: base never, variant 3 of 4 */
    wg_cmp_paired(&b, NEG(0.115), &v, NEG(0.115), WG_CMP_BLOWUP, work, &row);
    assert_true(row.base_mean == 0 && row.variant_mean == 0.75);
    assert_true(row.p_better == 0.125);   /* one tie (half) in 4 pairs */
    /* positive reach: all ties */
    wg_cmp_paired(&b, NEG(0.105), &v, NEG(0.105), WG_CMP_REACH_POS, work, &row);
    assert_true(row.p_better == 0.5 && row.diff_lo == 0 && row.diff_hi == 0);
    /* sentiment leaves out runs that reached nobody */
    wg_cmp_paired(&b, NEG(0.105), &v, NEG(0.105), WG_CMP_SENTIMENT, work, &row);
    assert_int_equal(row.pairs, 4);
    assert_true(row.base_mean == -1 && row.diff_mean == 0);
    wg_results_free(&b);
    wg_results_free(&v);
    results_of(&b, 100, 4, zero, zero);
    results_of(&v, 100, 4, cv, zero);
    wg_cmp_paired(&b, NEG(0.01), &v, NEG(0.01), WG_CMP_SENTIMENT, work, &row);
    assert_int_equal(row.pairs, 0);
    assert_true(isnan(row.diff_mean) && isnan(row.p_better));
    wg_results_free(&b);
    wg_results_free(&v);
}

/* Wilson 95 % intervals: 0 of 10 gives [0, z²/(10 + z²)] = [0, 0.27754];
 * 5 of 10 gives [0.23659, 0.76341] (standard tables); 10 of 10 ends at 1. */
static void test_wilson(void **state)
{
    (void)state;
    const double z = 1.959963984540054;
    double lo, hi;
    wg_wilson(0, 10, z, &lo, &hi);
    assert_true(lo == 0 && fabs(hi - z * z / (10 + z * z)) < 1e-12);
    wg_wilson(5, 10, z, &lo, &hi);
    assert_true(fabs(lo - 0.23659) < 1e-5 && fabs(hi - 0.76341) < 1e-5);
    wg_wilson(10, 10, z, &lo, &hi);
    assert_true(hi == 1 && fabs(lo - 10 / (10 + z * z)) < 1e-12);
    wg_wilson(0, 0, z, &lo, &hi);
    assert_true(lo == 0 && hi == 1);
    /* blow-up shares: 3 of 4 runs above 10.5 critics */
    wg_results v;
    const uint32_t zero[4] = {0, 0, 0, 0}, cv[4] = {11, 12, 13, 10};
    results_of(&v, 100, 4, cv, zero);
    wg_blowup bl;
    wg_blowup_of(&v, NEG(0.105), &bl);
    assert_int_equal(bl.count, 3);
    assert_int_equal(bl.runs, 4);
    assert_true(bl.share == 0.75 && bl.agents_over == 10.5);
    wg_wilson(3, 4, z, &lo, &hi);
    assert_true(bl.lo == lo && bl.hi == hi && lo < 0.75 && hi > 0.75);
    wg_results_free(&v);
    /* blowup.valence positive: take-offs, 1 of 4 runs above 10.5 advocates, and
     * more of them is better */
    const uint32_t few[4] = {2, 0, 1, 0}, adv[4] = {3, 40, 10, 0};
    results_of(&v, 100, 4, few, adv);
    wg_blowup_of(&v, &(wg_blowup_rule){0.105, WG_POS, 0, 0}, &bl);
    assert_int_equal(bl.count, 1);
    assert_int_equal(bl.rule.valence, WG_POS);
    wg_blowup_of(&v, NEG(0.105), &bl);
    assert_int_equal(bl.count, 0);
    assert_int_equal(wg_cmp_direction(WG_CMP_BLOWUP, WG_POS), 1);
    assert_int_equal(wg_cmp_direction(WG_CMP_BLOWUP, WG_NEG), -1);
    wg_results_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common_random_numbers),
        cmocka_unit_test(test_paired_narrower),
        cmocka_unit_test(test_interval_by_hand),
        cmocka_unit_test(test_wilson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
