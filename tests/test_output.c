/*
 * test_output.c — the results (sim/results/: files.c, series.c, summary.c):
 * CSV writers, summary statistics, final figures, the blow-up rule and
 * atomic files.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/output.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    return wg_test_mkdtemp(tmpdir, "output");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmpdir);
}

static char *slurp(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return wg_test_slurp(path, NULL);
}

/* Only real names in the folder: no temporary file left behind. */
static int hidden_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int k = 0;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) k++;
    closedir(d);
    return k;
}

static void test_stats(void **state)
{
    (void)state;
    double x[5] = {5, 1, 4, 2, 3}, w[5];
    wg_stats s;
    wg_stats_of(x, 5, w, &s);
    assert_int_equal(s.n, 5);
    assert_float_equal(s.mean, 3.0, 1e-12);
    assert_float_equal(s.sd, sqrt(2.5), 1e-12);
    assert_float_equal(s.p50, 3.0, 1e-12);
    assert_float_equal(s.p25, 2.0, 1e-12);
    assert_float_equal(s.p05, 1.2, 1e-12); /* 1 + 0.05 × 4 × (2 - 1) */
    assert_float_equal(s.p95, 4.8, 1e-12);
    double y[3] = {NAN, 2, NAN};
    wg_stats_of(y, 3, w, &s);
    assert_int_equal(s.n, 1);
    assert_float_equal(s.mean, 2.0, 0);
    assert_float_equal(s.sd, 0.0, 0);
    wg_stats_of(y, 1, w, &s);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mean));
}

static void fill(wg_results *r)
{
    /* run 0: 10 agents; step 0: 1 critic; step 1: 3 critics 1 advocate, 2 of them
     * answered (at 0.75 each); step 2: quiet; exposures (the last two counts):
     * run 0 4+ 7-, run 1 2+ */
    static const uint32_t rows[2][3][WG_NCOUNTS] = {
        {{9, 0, 1, 0, 0, 0, 0, 1, 0, 0, 5}, {6, 1, 3, 0, 0, 0, 1, 2, 2, 4, 2}, {6, 0, 0, 1, 3, 0, 0, 0, 0, 0, 0}},
        {{9, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0}, {9, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0}, {9, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}},
    };
    memcpy(r->counts, rows, sizeof rows);
    r->steps_run[0] = 3;
    r->steps_run[1] = 2;
    r->cost[0] = 1.5;
}

/* Two runs of three steps on 10 agents, as fill() says. */
static void results_filled(wg_results *r)
{
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_results_alloc(r, 2, 3, 10, &d), WG_OK);
    fill(r);
    wg_diag_free(&d);
}

static void test_writers(void **state)
{
    (void)state;
    wg_results r;
    wg_diag d;
    wg_diag_init(&d);
    results_filled(&r);
    assert_int_equal(wg_write_series(tmpdir, &r, &d), WG_OK);
    assert_int_equal(wg_write_finals(tmpdir, &r, &(wg_blowup_rule){0.2, WG_NEG, 0, 0}, &d), WG_OK);
    assert_int_equal(wg_write_summary(tmpdir, &r, &d), WG_OK);
    char *s = slurp(tmpdir, "series.csv");
    assert_string_equal(s,
        "run,step,unaware,advocates,critics,supporters,rejecters,immune,new_positive,new_negative,"
        "exposures_positive,exposures_negative\n"
        "0,0,9,0,1,0,0,0,0,1,0,5\n0,1,6,1,3,0,0,0,1,2,4,2\n0,2,6,0,0,1,3,0,0,0,0,0\n"
        "1,0,9,1,0,0,0,0,1,0,0,0\n1,1,9,0,0,1,0,0,0,0,2,0\n1,2,9,0,0,1,0,0,0,0,0,0\n");
    free(s);
    s = slurp(tmpdir, "finals.csv");
    /* blow-up: negative reach above 0.2 × 10 agents */
    assert_string_equal(s, "run,reach_positive,reach_negative,peak_critics,peak_step,steps,blowup,"
                           "answers,cost,cumulative_exposures_positive,cumulative_exposures_negative\n"
                           "0,1,3,3,1,3,1,2,1.5,4,7\n1,1,0,0,0,2,0,0,0,2,0\n");
    free(s);
    /* blowup.valence positive: positive reach above 0.05 × 10 agents (both runs) */
    assert_int_equal(wg_write_finals(tmpdir, &r, &(wg_blowup_rule){0.05, WG_POS, 0, 0}, &d), WG_OK);
    s = slurp(tmpdir, "finals.csv");
    assert_string_equal(s, "run,reach_positive,reach_negative,peak_critics,peak_step,steps,blowup,"
                           "answers,cost,cumulative_exposures_positive,cumulative_exposures_negative\n"
                           "0,1,3,3,1,3,1,2,1.5,4,7\n1,1,0,0,0,2,1,0,0,2,0\n");
    free(s);
    assert_int_equal(wg_write_finals(tmpdir, &r, &(wg_blowup_rule){0.2, WG_NEG, 0, 0}, &d), WG_OK);
    s = slurp(tmpdir, "summary.csv");
    assert_non_null(strstr(s, "step,metric,mean,sd,p05,p25,p50,p75,p95\n"));
    /* step 1 critics: 3 and 0 */
    assert_non_null(strstr(s, "\n1,critics,1.5,2.121320344,0.15,0.75,1.5,2.25,2.85\n"));
    /* sentiment at step 0: run 0 all negative (-1), run 1 all positive (1) */
    assert_non_null(strstr(s, "\n0,sentiment,0,1.414213562,-0.9,-0.5,0,0.5,0.9\n"));
    /* exposures at step 1 (4 and 2), cumulative negative at step 2 (7 and 0) */
    assert_non_null(strstr(s, "\n1,exposures_positive,3,1.414213562,2.1,2.5,3,3.5,3.9\n"));
    assert_non_null(strstr(s, "\n2,cumulative_exposures_negative,3.5,4.949747468,0.35,1.75,3.5,5.25,6.65\n"));
    for (uint32_t run = 0; run < 2; run++)   /* wg_metric_value's own sum agrees */
        assert_true(wg_metric_value(&r, run, 2, WG_M_CUM_EXPOSURES_NEG) == (run ? 0 : 7));
    /* one line per step and metric, plus the header */
    int lines = 0;
    for (char *p = s; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 1 + 3 * WG_NMETRICS);
    free(s);
    assert_int_equal(hidden_files(tmpdir), 0);
    wg_results_free(&r);
    wg_diag_free(&d);
}

static void test_metric_names(void **state)
{
    (void)state;
    for (int m = 0; m < WG_NMETRICS; m++)
        assert_int_equal(wg_metric_from_name(wg_metric_name(m)), m);
    assert_int_equal(wg_metric_from_name("reach"), -1);
}

static void test_atomic_abort(void **state)
{
    (void)state;
    wg_out o;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_out_open(&o, tmpdir, "half.csv", &d), WG_OK);
    fputs("a,b\n1,", o.f);
    wg_out_abort(&o);
    char *s = slurp(tmpdir, "half.csv");
    assert_null(s);
    assert_int_equal(hidden_files(tmpdir), 0);
    /* a folder that cannot be made: below a file */
    char bad[128];
    snprintf(bad, sizeof bad, "%s/series.csv/sub", tmpdir);
    assert_int_equal(wg_mkdir_p(bad, &d), WG_EIO);
    assert_non_null(strstr(wg_diag_first(&d), "series.csv"));
    wg_diag_free(&d);
    /* a file where the folder should be */
    assert_int_equal(wg_out_open(&o, bad, "x.csv", &d), WG_EIO);
    wg_diag_free(&d);
}

static void test_mkdir_nested(void **state)
{
    (void)state;
    char dir[128];
    wg_diag d;
    wg_diag_init(&d);
    snprintf(dir, sizeof dir, "%s/a/b/c", tmpdir);
    assert_int_equal(wg_mkdir_p(dir, &d), WG_OK);
    assert_int_equal(wg_mkdir_p(dir, &d), WG_OK);
    struct stat sb;
    assert_int_equal(stat(dir, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    wg_diag_free(&d);
}

static void test_csv_double(void **state)
{
    (void)state;
    char buf[64];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    wg_csv_double(f, 3.0);
    fputc(' ', f);
    wg_csv_double(f, 0.1);
    fputc(' ', f);
    wg_csv_double(f, NAN);
    fputc(' ', f);
    wg_csv_double(f, -2.5e-7);
    fclose(f);
    assert_string_equal(buf, "3 0.1 NaN -2.5e-07");
}

/* The blow-up rule: strictly above threshold × agents, on the reach of its valence. */
static void test_blowup_rule(void **state)
{
    (void)state;
    wg_blowup_rule rule;
    wg_blowup_rule_default(&rule);
    assert_true(rule.threshold == WG_BLOWUP_THRESHOLD_DEFAULT && rule.valence == WG_NEG);
    /* 1 % of 1000 agents is 10: 10 negative agents is not a blow-up, 11 is */
    assert_int_equal(wg_blowup_test(&rule, 500, 10, 1000), 0);
    assert_int_equal(wg_blowup_test(&rule, 0, 11, 1000), 1);
    rule.valence = WG_POS;   /* a take-off counts the positive reach */
    assert_int_equal(wg_blowup_test(&rule, 11, 0, 1000), 1);
    assert_int_equal(wg_blowup_test(&rule, 10, 500, 1000), 0);
    rule.threshold = 0.5;
    assert_int_equal(wg_blowup_test(&rule, 501, 0, 1000), 1);
    assert_int_equal(wg_blowup_test(&rule, 500, 0, 1000), 0);
}

/* The final figures: values as finals.csv writes them, names as its header. */
static void test_final_values(void **state)
{
    (void)state;
    wg_results r;
    results_filled(&r);
    double v[WG_NFINALS];
    const wg_blowup_rule neg = {0.2, WG_NEG, 0, 0}, pos = {0.05, WG_POS, 0, 0};
    wg_final_values(&r, 0, &neg, v);
    const double want0[WG_NFINALS] = {1, 3, 3, 1, 3, 1, 2, 1.5, 4, 7};
    assert_memory_equal(v, want0, sizeof v);
    wg_final_values(&r, 1, &neg, v);
    const double want1[WG_NFINALS] = {1, 0, 0, 0, 2, 0, 0, 0, 2, 0};
    assert_memory_equal(v, want1, sizeof v);
    wg_final_values(&r, 1, &pos, v);
    assert_true(v[WG_F_BLOWUP] == 1);
    static const char *const names[WG_NFINALS] = {
        "reach_positive", "reach_negative", "peak_critics", "peak_step", "steps", "blowup",
        "answers", "cost", "cumulative_exposures_positive", "cumulative_exposures_negative"};
    for (int m = 0; m < WG_NFINALS; m++) assert_string_equal(wg_final_metric_name(m), names[m]);
    assert_string_equal(wg_final_metric_name(WG_NFINALS), "?");
    assert_string_equal(wg_final_metric_name(-1), "?");
    wg_results_free(&r);
}

/* wg_out_open with a whole path: the temporary file beside it, then renamed. */
static void test_out_path(void **state)
{
    (void)state;
    char path[128];
    wg_out o;
    wg_diag d;
    wg_diag_init(&d);
    snprintf(path, sizeof path, "%s/whole.csv", tmpdir);
    assert_int_equal(wg_out_open(&o, NULL, path, &d), WG_OK);
    assert_non_null(strstr(o.tmp, "/.whole.csv.tmp."));
    fputs("x\n1\n", o.f);
    assert_int_equal(hidden_files(tmpdir), 1);
    assert_int_equal(wg_out_commit(&o, &d), WG_OK);
    char *s = slurp(tmpdir, "whole.csv");
    assert_string_equal(s, "x\n1\n");
    free(s);
    assert_int_equal(hidden_files(tmpdir), 0);
    snprintf(path, sizeof path, "%s/none/whole.csv", tmpdir);
    assert_int_equal(wg_out_open(&o, NULL, path, &d), WG_EIO);
    assert_non_null(strstr(wg_diag_first(&d), "none/whole.csv: cannot write"));
    wg_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_metric_names),
        cmocka_unit_test(test_atomic_abort),
        cmocka_unit_test(test_mkdir_nested),
        cmocka_unit_test(test_csv_double),
        cmocka_unit_test(test_blowup_rule),
        cmocka_unit_test(test_final_values),
        cmocka_unit_test(test_out_path),
    };
    return cmocka_run_group_tests_name("output", tests, setup, teardown);
}
