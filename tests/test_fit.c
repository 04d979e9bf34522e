/*
 * test_fit.c — tests of calibration: the observed-series reader, the Bass
 * fit on an exact Bass curve, `waggle fit` recovering parameters from a
 * series waggle itself generated, and every input it must refuse (clear
 * message, exit status 2, nothing written).
 *
 * The command is found at $BUILD/waggle (default build/waggle); the tests
 * run from the repository root, as `make check` runs them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/fit.h"

static char tmp[64];
static const wg_test_how in_tmp = {.dir = tmp};

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "fit");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static char *path_of(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", tmp, name);
    return path[k];
}

static void write_file(const char *name, const char *text)
{
    assert_int_equal(wg_test_write(tmp, name, text), 0);
}

static char *slurp(const char *path)
{
    return wg_test_slurp(path, NULL);
}

/* Run `waggle ARGS` in the temporary folder with stdout and stderr captured
 * (into *out and *err, when not NULL); returns the exit status. */
#define run(out, err, ...) wg_test_waggle(&in_tmp, out, err, __VA_ARGS__)

static int exists(const char *name)
{
    return wg_test_exists(tmp, name);
}

/* ---- the reader ------------------------------------------------------------------ */

static void test_obs_read(void **state)
{
    (void)state;
    wg_fit_obs o;
    wg_diag d;
    write_file("ok.csv", "# a comment\n\nday,date,views,source\n"
                         "1,2009-07-07,24000,\"a \"\"quoted\"\", source, with commas\"\n"
                         "3,2009-07-09,390000,blog\n"
                         "# a reading left out\n"
                         "4.5,2009-07-10,390000,x\n");
    wg_diag_init(&d);
    assert_int_equal(wg_fit_obs_read(path_of("ok.csv"), NULL, NULL, &o, &d), WG_OK);
    assert_int_equal(o.n, 3);
    assert_string_equal(o.xcol, "day");
    assert_string_equal(o.ycol, "views");
    assert_true(o.x[2] == 4.5 && o.y[0] == 24000 && o.y[2] == 390000);
    wg_fit_obs_free(&o);
    wg_diag_free(&d);

    static const struct {
        const char *text, *ycol, *needle;
    } bad[] = {
        {"day,views\n1,10\n2,5\n", NULL, "non-monotone"},
        {"day,views\n1,10\n2,0\n", NULL, "must be positive"},
        {"day,views\n1,-3\n", NULL, "must be positive"},
        {"day,views\n2,10\n1,12\n", NULL, "increasing order"},
        {"day,views\n1,10\n", "fans", "no column 'fans'"},
        {"step2,views\n1,10\n", NULL, "no column 'step'"},
        {"day,views\n1,ten\n", NULL, "expected a number"},
        {"day,date,views\n1,x\n", NULL, "missing column 'views'"},
        {"# only comments\n", NULL, "no header"},
        {"day,views\n", NULL, "no readings"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file("bad.csv", bad[i].text);
        wg_diag_init(&d);
        assert_int_equal(wg_fit_obs_read(path_of("bad.csv"), NULL, bad[i].ycol, &o, &d),
                         WG_EINPUT);
        if (!strstr(wg_diag_first(&d), bad[i].needle))
            fail_msg("case %zu: '%s' does not say '%s'", i, wg_diag_first(&d), bad[i].needle);
        assert_non_null(strstr(wg_diag_first(&d), "bad.csv"));
        assert_int_equal(o.n, 0);
        wg_diag_free(&d);
    }
    wg_diag_init(&d);
    assert_int_equal(wg_fit_obs_read(path_of("absent.csv"), NULL, NULL, &o, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "cannot open"));
    wg_diag_free(&d);
}

/* ---- Bass -------------------------------------------------------------------------- */

static void test_bass_recovers_exact_curve(void **state)
{
    (void)state;
    const double p = 0.003, q = 0.35, m = 5e5;
    double t[30], y[30];
    for (int i = 0; i < 30; i++) {
        t[i] = 1 + i;
        y[i] = wg_bass_cumulative(p, q, m, t[i]);
    }
    wg_bass_fit b;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_fit_bass(t, y, 30, &b, &d), WG_OK);
    /* exact data: the residuals vanish at (p, q, m), so only the solver's
     * stopping tolerances (1e-10 on the step) separate the fit from it */
    assert_true(fabs(b.p / p - 1) < 1e-4);
    assert_true(fabs(b.q / q - 1) < 1e-4);
    assert_true(fabs(b.m / m - 1) < 1e-4);
    assert_true(b.rms_log < 1e-6);
    assert_true(b.r2_log > 0.999999);
    wg_diag_free(&d);

    /* three parameters need four readings */
    wg_diag_init(&d);
    assert_int_equal(wg_fit_bass(t, y, 3, &b, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "at least 4"));
    wg_diag_free(&d);
}

/* ---- waggle fit -------------------------------------------------------------------- */

static const char truth[] =
    "name: fit truth\n"
    "steps: 30\n"
    "runs: 40\n"
    "seed: 7\n"
    "network: {generate: barabasi-albert, nodes: 3000, edges_per_node: 3}\n"
    "model:\n"
    "  share: {positive: 0.06, negative: 0.05}\n"
    "  quit: {positive: 0.25, negative: 0.2}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: positive, count: 5, by: random}}\n";

/* The same scenario, started away from the truth, reading obs.csv. */
static const char start[] =
    "# a start far from the truth\n"
    "name: fit truth\n"
    "steps: 30\n"
    "runs: 40\n"
    "seed: 7\n"
    "network: {generate: barabasi-albert, nodes: 3000, edges_per_node: 3}\n"
    "model:\n"
    "  share: {positive: 0.03, negative: 0.05}   # positive is fitted\n"
    "  quit: {positive: 0.25, negative: 0.2}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: positive, count: 5, by: random}}\n"
    "observed:\n"
    "  file: obs.csv\n"
    "  y: fans\n";

/* obs.csv: every third step of the median positive reach of `truth`, × 10. */
static void make_observed(void)
{
    write_file("truth.yaml", truth);
    assert_int_equal(run(NULL, NULL, "run truth.yaml -o truth -q"), 0);
    FILE *in = fopen(path_of("truth/summary.csv"), "r");
    FILE *out = fopen(path_of("obs.csv"), "w");
    assert_non_null(in);
    assert_non_null(out);
    char line[512];
    fputs("# generated by waggle run truth.yaml: 10 fans per reached agent\nday,fans\n", out);
    while (fgets(line, sizeof line, in)) {
        unsigned step;
        char metric[64];
        double mean, sd, p05, p25, p50;
        if (sscanf(line, "%u,%63[^,],%lf,%lf,%lf,%lf,%lf", &step, metric, &mean, &sd, &p05, &p25,
                   &p50) == 7 &&
            !strcmp(metric, "reach_positive") && step % 3 == 1)
            fprintf(out, "%u,%.17g\n", step, 10 * p50);
    }
    fclose(in);
    fclose(out);
}

static double param_of(const char *csv, const char *name)
{
    char key[128];
    snprintf(key, sizeof key, "\nwaggle,%s,", name);
    const char *p = strstr(csv, key);
    return p ? atof(p + strlen(key)) : -1;
}

static void test_fit_recovers_generated(void **state)
{
    (void)state;
    make_observed();
    write_file("start.yaml", start);
    char *out, *err;
    int rc = run(&out, &err, "fit start.yaml --fit share.positive,observed.scale --bass -q "
                 "-o fitted");
    if (rc != 0) fail_msg("waggle fit: exit %d: %s", rc, err);
    char *params = slurp(path_of("fitted/params.csv"));
    assert_non_null(params);
    double share = param_of(params, "share.positive"), scale = param_of(params, "observed.scale");
    /* Same seed and runs as the series (common random numbers): the objective
     * is exactly zero at the truth (0.06, 10). What separates the fit from it
     * is the simplex's stopping size (2e-3 on the logit scale, 0.2 % of the
     * value) and the flat steps of an objective made of whole agents, a few
     * tenths of a percent here; 2 % is well beyond both and far below the
     * factor 2 of the start. */
    if (fabs(share / 0.06 - 1) > 0.02 || fabs(scale / 10 - 1) > 0.02)
        fail_msg("fitted share.positive %g (truth 0.06), scale %g (truth 10)", share, scale);
    assert_non_null(strstr(out, "RMS log error"));
    assert_non_null(strstr(out, "Bass (1969)"));
    assert_non_null(strstr(params, "\nbass,q,"));
    /* the calibrated copy keeps the comments and holds the fitted values */
    char *yaml = slurp(path_of("fitted/start.yaml"));
    assert_non_null(yaml);
    assert_non_null(strstr(yaml, "# Calibrated with waggle"));
    assert_non_null(strstr(yaml, "--fit share.positive,observed.scale"));
    assert_non_null(strstr(yaml, "# a start far from the truth"));
    assert_non_null(strstr(yaml, "# positive is fitted"));
    assert_null(strstr(yaml, "positive: 0.03,"));
    assert_non_null(strstr(yaml, "  scale: "));
    /* which loads and runs where the original lived */
    char *copy = malloc(strlen(yaml) + 1);
    strcpy(copy, yaml);
    write_file("calibrated.yaml", copy);
    free(err);   /* the first run's, before the second's replaces it */
    assert_int_equal(run(NULL, &err, "check calibrated.yaml"), 0);
    char *fit = slurp(path_of("fitted/fit.csv"));
    assert_non_null(fit);
    assert_true(strncmp(fit, "step,observed,fitted_p05,fitted_p50,fitted_p95,bass\n", 52) == 0);
    free(fit);
    /* the calibrated run folder, with its chart of the fit */
    assert_true(exists("fitted/run/curves.png"));
    assert_true(exists("fitted/run/observed.csv"));
    free(copy);
    free(yaml);
    free(params);
    free(out);
    free(err);
}

static void test_bass_alone(void **state)
{
    (void)state;
    FILE *f = fopen(path_of("bass.csv"), "w");
    assert_non_null(f);
    fputs("day,adopters\n", f);
    for (int t = 1; t <= 20; t++) fprintf(f, "%d,%.17g\n", t, wg_bass_cumulative(0.01, 0.3, 1e4, t));
    fclose(f);
    char *out, *err;
    int rc = run(&out, &err, "fit --bass --observed bass.csv -o bassout -q");
    if (rc != 0) fail_msg("exit %d: %s", rc, err);
    assert_non_null(strstr(out, "p (innovation)"));
    char *params = slurp(path_of("bassout/params.csv"));
    assert_non_null(params);
    const char *q = strstr(params, "\nbass,q,");
    assert_non_null(q);
    assert_true(fabs(atof(q + 8) / 0.3 - 1) < 1e-4);
    free(params);
    free(out);
    free(err);
}

static void test_fit_refuses(void **state)
{
    (void)state;
    write_file("truth.yaml", truth);
    write_file("two.csv", "day,fans\n1,10\n4,30\n");
    write_file("fall.csv", "day,fans\n1,10\n4,30\n7,20\n10,40\n");
    write_file("nocol.csv", "day,views\n1,10\n4,30\n7,40\n");
    write_file("zero.csv", "day,fans\n1,0\n4,30\n7,40\n");
    write_file("ok.csv", "day,fans\n1,10\n4,30\n7,40\n10,80\n");
    write_file("late.csv", "day,fans\n1,10\n4,30\n7,40\n40,80\n");
    static const struct {
        const char *args, *needle;
    } bad[] = {
        {"--observed two.csv --y fans --fit share.positive,observed.scale", "need at least 3"},
        {"--observed fall.csv --y fans --fit share.positive", "non-monotone"},
        {"--observed nocol.csv --y fans --fit share.positive", "no column 'fans'"},
        {"--observed zero.csv --y fans --fit share.positive", "must be positive"},
        {"--observed ok.csv --fit shear.positive", "did you mean 'share'"},
        {"--observed ok.csv --fit share.sideways", "share.sideways"},
        {"--observed ok.csv --fit name", "not a number"},
        {"--observed ok.csv", "--fit"},
        {"--observed ok.csv --fit quality,quality", "twice"},
        {"--observed late.csv --fit share.positive", "raise steps"},
        {"--fit share.positive", "no observed series"},
        {"--observed two.csv --y fans --fit share.positive --bass", "at least 4"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *err;
        int rc = run(NULL, &err, "fit truth.yaml %s -o refused -q", bad[i].args);
        if (rc != 2 || !strstr(err, bad[i].needle))
            fail_msg("case %zu (%s): exit %d, '%s' (expected exit 2 and '%s')", i, bad[i].args,
                     rc, err, bad[i].needle);
        assert_false(exists("refused"));
        free(err);
    }
    char *err;
    assert_int_equal(run(NULL, &err, "fit --observed ok.csv -o refused"), 2);
    assert_non_null(strstr(err, "no scenario"));
    free(err);
    assert_int_equal(run(NULL, &err, "fit --bass --observed two.csv -o refused"), 2);
    assert_non_null(strstr(err, "at least 4"));
    assert_false(exists("refused"));
    free(err);
    char *out;
    assert_int_equal(run(&out, NULL, "fit --help"), 0);
    assert_non_null(strstr(out, "usage: waggle fit"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_obs_read),
        cmocka_unit_test(test_bass_recovers_exact_curve),
        cmocka_unit_test(test_fit_recovers_generated),
        cmocka_unit_test(test_bass_alone),
        cmocka_unit_test(test_fit_refuses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
