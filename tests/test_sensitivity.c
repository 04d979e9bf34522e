/*
 * test_sensitivity.c — Sobol indices: the estimator against the closed-form
 * indices of the Ishigami function (through the library), Saltelli's design,
 * and `waggle sweep` with `sobol: {indices: true}`: a key that cannot change
 * the outcome gets a total index within its interval of 0, a key that drives
 * it a large one; shards merged give the same sensitivity.csv; bad keys are
 * refused with their place in the file (exit 2, nothing written).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/sensitivity.h"
#include "wg_test.h"

/* The design: A, AB_1 .. AB_d, B per base sample; AB_i is A but for column i. */
static void test_design(void **state)
{
    (void)state;
    wg_diag d;
    wg_diag_init(&d);
    const size_t k = 3, n = 64, per = k + 2;
    double *x = malloc(n * per * k * sizeof *x);
    assert_int_equal(wg_sens_design(k, n, x, &d), WG_OK);
    for (size_t j = 0; j < n; j++) {
        const double *a = x + j * per * k, *b = a + (k + 1) * k;
        for (size_t i = 0; i < k; i++) {
            const double *ab = a + (1 + i) * k;
            for (size_t c = 0; c < k; c++) assert_true(ab[c] == (c == i ? b[c] : a[c]));
            assert_true(a[i] >= 0 && a[i] < 1 && b[i] >= 0 && b[i] < 1);
        }
    }
    assert_int_equal(wg_sens_design(0, n, x, &d), WG_EINPUT);
    assert_int_equal(wg_sens_design(21, n, x, &d), WG_EINPUT);
    free(x);
    wg_diag_free(&d);
}

/*
 * Ishigami: f = sin x1 + a sin² x2 + b x3⁴ sin x1, x_i uniform on [-π, π],
 * a = 7, b = 0.1 (Ishigami & Homma 1990). Closed forms (Sobol' & Levitan
 * 1999): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8,
 * V3 = 0, V13 = 8b²π⁸/225; S_i = V_i / V, ST1 = (V1 + V13)/V, ST2 = S2,
 * ST3 = V13/V. With N = 2^14 base samples of the Sobol sequence, Jansen's
 * estimators are within 0.01 of these in published comparisons (Saltelli et al.
 * 2010, fig. 2: errors of 10^-3 to 10^-2 at N of 10^4); the tolerance is 0.02,
 * twice that, and each exact value must lie in its 95 % bootstrap interval
 * (which treats the quasi-random rows as random, hence is wider than the
 * error: a check that can fail only if the estimator is wrong).
 */
static void test_ishigami(void **state)
{
    (void)state;
    const double a = 7, b = 0.1, pi = M_PI;
    const double V = a * a / 8 + b * pow(pi, 4) / 5 + b * b * pow(pi, 8) / 18 + 0.5;
    const double V1 = 0.5 * pow(1 + b * pow(pi, 4) / 5, 2), V2 = a * a / 8,
                 V13 = 8 * b * b * pow(pi, 8) / 225;
    const double S[3] = {V1 / V, V2 / V, 0}, ST[3] = {(V1 + V13) / V, V2 / V, V13 / V};
    const size_t k = 3, n = 1 << 14, per = k + 2;
    double *x = malloc(n * per * k * sizeof *x), *y = malloc(n * per * sizeof *y);
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_sens_design(k, n, x, &d), WG_OK);
    for (size_t p = 0; p < n * per; p++) {
        double x1 = -pi + 2 * pi * x[p * k], x2 = -pi + 2 * pi * x[p * k + 1],
               x3 = -pi + 2 * pi * x[p * k + 2];
        y[p] = sin(x1) + a * sin(x2) * sin(x2) + b * pow(x3, 4) * sin(x1);
    }
    wg_sens_index ix[3];
    assert_int_equal(wg_sens_indices(y, k, n, 300, 42, ix, &d), WG_OK);
    for (size_t i = 0; i < k; i++) {
        print_message("x%zu: S %.4f [%.4f, %.4f] exact %.4f; ST %.4f [%.4f, %.4f] exact %.4f\n",
                      i + 1, ix[i].first, ix[i].first_lo, ix[i].first_hi, S[i], ix[i].total,
                      ix[i].total_lo, ix[i].total_hi, ST[i]);
        assert_true(fabs(ix[i].first - S[i]) < 0.02);
        assert_true(fabs(ix[i].total - ST[i]) < 0.02);
        assert_true(ix[i].first_lo <= S[i] && S[i] <= ix[i].first_hi);
        assert_true(ix[i].total_lo <= ST[i] && ST[i] <= ix[i].total_hi);
    }
    /* keyed resampling: the same seed gives the same intervals, another seed others */
    wg_sens_index again[3], other[3];
    assert_int_equal(wg_sens_indices(y, k, n, 300, 42, again, &d), WG_OK);
    assert_memory_equal(ix, again, sizeof ix);
    assert_int_equal(wg_sens_indices(y, k, n, 300, 43, other, &d), WG_OK);
    assert_true(other[0].first_lo != ix[0].first_lo);
    /* outputs that do not vary: no index */
    for (size_t p = 0; p < n * per; p++) y[p] = 3;
    assert_int_equal(wg_sens_indices(y, k, n, 10, 42, ix, &d), WG_OK);
    assert_true(isnan(ix[0].first) && isnan(ix[0].total));
    free(x);
    free(y);
    wg_diag_free(&d);
}

/* ---- the sweep ------------------------------------------------------------------------ */

static char dir[96];

/* One critic and no advocate: quit.positive cannot change anything (no one
 * ever talks positive: quality 1, no positive media); share.negative drives
 * the critics' reach. */
static const char sweep[] =
    "name: what matters\nsteps: 25\nruns: 20\nseed: 99\n"
    "network: {generate: barabasi-albert, nodes: 300, edges_per_node: 2}\n"
    "model: {share: {positive: 0.1, negative: 0.1}, quit: 0.3}\n"
    "events:\n  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
    "sweep:\n"
    "  sobol:\n"
    "    points: 32\n"
    "    indices: true\n"
    "    ranges: {share.negative: [0.02, 0.4], quit.negative: [0.2, 0.6], "
    "quit.positive: [0.1, 0.9]}\n";

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    if (wg_test_mkdtemp(dir, "sensitivity")) return -1;
    return wg_test_write(dir, "s.yaml", sweep);
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(dir);
}

static char *slurp_in(const char *sub, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
    return wg_test_slurp(path, NULL);
}

/* The row of metric and key in sensitivity.csv: its six numbers. */
static void row_of(const char *csv, const char *metric, const char *key, double v[6])
{
    char needle[128];
    snprintf(needle, sizeof needle, "\n%s,%s,", metric, key);
    const char *at = strstr(csv, needle);
    assert_non_null(at);
    at += strlen(needle);
    for (int i = 0; i < 6; i++) {
        char *end;
        v[i] = strtod(at, &end);
        assert_true(end != at);
        at = end + 1;
    }
}

static void test_sweep_indices(void **state)
{
    (void)state;
    wg_test_how how = {dir, NULL, 0, NULL};
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "sweep s.yaml -o all -q -t 1"), 0);
    char *csv = slurp_in("all", "sensitivity.csv");
    assert_non_null(csv);
    assert_memory_equal(csv, "metric,key,first_order,first_lo,first_hi,total,total_lo,total_hi\n",
                        65);
    char *sw = slurp_in("all", "sweep.csv");
    size_t lines = 0;
    for (const char *c = sw; *c; c++) lines += *c == '\n';
    assert_int_equal(lines, 1 + 32 * 5 * 6);   /* N (keys + 2) points × 6 metrics */
    free(sw);
    double inert[6], driver[6];
    row_of(csv, "reach_negative", "quit.positive", inert);
    row_of(csv, "reach_negative", "share.negative", driver);
    print_message("reach_negative: share.negative ST %.3f [%.3f, %.3f]; quit.positive ST %.3f "
                  "[%.3f, %.3f]\n", driver[3], driver[4], driver[5], inert[3], inert[4],
                  inert[5]);
    assert_true(inert[4] <= 0 && 0 <= inert[5]);           /* within its interval of 0 */
    assert_true(fabs(inert[3]) < 1e-12);                   /* exactly: the runs are the same */
    assert_true(driver[3] > 0.5 && driver[4] > 0.3);       /* large, and surely so */
    assert_true(wg_test_exists(dir, "all/sensitivity.png"));
    /* two shards merged: the same numbers, hence the same bytes */
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "sweep s.yaml -o s0 --shard 0/2 -q -t 1"), 0);
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "sweep s.yaml -o s1 --shard 1/2 -q -t 1"), 0);
    assert_false(wg_test_exists(dir, "s0/sensitivity.csv"));
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "merge s0 s1 -o merged"), 0);
    char *merged = slurp_in("merged", "sensitivity.csv");
    assert_non_null(merged);
    assert_string_equal(merged, csv);
    free(merged);
    free(csv);
}

static void expect_refusal(const char *name, const char *text, const char *needle)
{
    wg_test_how how = {dir, NULL, 0, NULL};
    char *err = NULL;
    assert_int_equal(wg_test_write(dir, name, text), 0);
    int rc = wg_test_waggle(&how, NULL, &err, "sweep %s -o bad -q", name);
    if (rc != 2 || !strstr(err, needle)) fprintf(stderr, "%s: %d %s", name, rc, err);
    assert_int_equal(rc, 2);
    assert_non_null(strstr(err, needle));
    assert_false(wg_test_exists(dir, "bad"));
    free(err);
}

static void test_bad_keys(void **state)
{
    (void)state;
    const char *head = "name: x\nsteps: 5\nnetwork: {generate: ring, nodes: 20}\n"
                       "events:\n  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n";
    char text[1024];
    snprintf(text, sizeof text, "%ssweep:\n  sobol: {points: 8, indices: maybe, ranges: "
             "{share.negative: [0.1, 0.2]}}\n", head);
    expect_refusal("b1.yaml", text, "b1.yaml:7:31: sweep.sobol.indices: expected true or false");
    snprintf(text, sizeof text, "%ssweep:\n  sobol: {points: 1, indices: true, ranges: "
             "{share.negative: [0.1, 0.2]}}\n", head);
    expect_refusal("b2.yaml", text, "b2.yaml:7:19: sweep.sobol.points: Sobol indices need at "
                   "least 2 base samples");
    snprintf(text, sizeof text, "%ssweep:\n  grid: {share.negative: [0.1, 0.2], indices: "
             "true}\n", head);
    expect_refusal("b3.yaml", text, "indices");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design),
        cmocka_unit_test(test_ishigami),
        cmocka_unit_test(test_sweep_indices),
        cmocka_unit_test(test_bad_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
