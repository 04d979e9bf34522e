/*
 * test_validate.c — the validation suite as a test: `waggle validate --quick`
 * passes every check (exit 0, a table on stdout, the same table as CSV), and
 * the suite has teeth: with every simulated share made 10 % too large
 * (theory unchanged) the checks whose theory depends on share fail: the SIR
 * final sizes, the exact Bass chain, IC and IC-N (every row), and bad news
 * (at least half its rows).
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
#include <unistd.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/validate.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "validate");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

/* Lines of text that contain needle (every line when needle is NULL). */
static size_t count_lines(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n'), *hit;
        if (!end) end = line + strlen(line);
        if (!needle || ((hit = strstr(line, needle)) && hit < end)) n++;
        line = *end ? end + 1 : end;
    }
    return n;
}

/* --quick: every check passes; the CSV holds one row per check, all "pass". */
static void test_quick_passes(void **state)
{
    (void)state;
    char csv_path[128], *out, *err;
    snprintf(csv_path, sizeof csv_path, "%s/validation.csv", tmp);
    int rc = wg_test_waggle(NULL, &out, &err, "validate --quick -t 2 --csv %s", csv_path);
    if (rc != 0) fprintf(stderr, "%s%s", out, err);
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(out, "FAIL"), 0);
    free(out);
    free(err);
    char *csv = wg_test_slurp(csv_path, NULL);
    assert_non_null(csv);
    const char header[] = "model,reference,quantity,theory,simulated,se,tolerance,z,pass,runs\n";
    assert_int_equal(strncmp(csv, header, strlen(header)), 0);
    size_t rows = count_lines(csv, NULL) - 1;
    assert_true(rows >= 30);                      /* seven models, two or more points each */
    assert_int_equal(count_lines(csv, ",pass,") - 1, rows);   /* the header has ",pass," too */
    const char *models[] = {"\"SIR\"", "\"Bass\"", "\"Maki-Thompson\"", "\"IC\"", "\"IC-N\"",
                            "\"SIS\"", "\"bad news\""};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        assert_true(count_lines(csv, models[i]) >= 2);
    free(csv);
}

/* Teeth: simulated shares 10 % too large. The checks whose theory depends on
 * share (SIR final size, Bass exact chain, IC, IC-N, bad news) must fail;
 * the command's exit status says so. */
static void test_share_error_fails(void **state)
{
    (void)state;
    wg_validate_opts o = {1, 2, 0.10};
    wg_validate_table t = {0};
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_validate_run(&o, &t, &d), WG_OK);
    size_t failed[5] = {0}, total[5] = {0};
    for (size_t i = 0; i < t.n; i++) {
        const wg_validate_row *r = &t.rows[i];
        int k = -1;
        if (strcmp(r->model, "SIR") == 0 && strstr(r->quantity, "final size")) k = 0;
        else if (strcmp(r->model, "Bass") == 0 && strstr(r->reference, "exact")) k = 1;
        else if (strcmp(r->model, "IC") == 0) k = 2;
        else if (strcmp(r->model, "IC-N") == 0) k = 3;
        else if (strcmp(r->model, "bad news") == 0) k = 4;
        if (k < 0) continue;
        total[k]++;
        failed[k] += !r->pass;
        print_message("  %-9s %-60s z %+8.2f %s\n", r->model, r->quantity, r->z,
                      r->pass ? "pass" : "FAIL");
    }
    /* every row of the first four groups fails; the bad-news rows (a
     * smaller effect on subcritical cascades) at least half */
    for (int k = 0; k < 5; k++) {
        assert_true(total[k] >= 2);
        if (k < 4) assert_int_equal(failed[k], total[k]);
        else assert_true(2 * failed[k] >= total[k]);
    }
    wg_validate_table_free(&t);
    wg_diag_free(&d);
}

/* A bad option: exit 2, and stderr names it. */
static void bad_option(const char *args, const char *needle)
{
    char *err;
    assert_int_equal(wg_test_waggle(NULL, NULL, &err, "validate %s", args), 2);
    if (needle) assert_int_equal(count_lines(err, needle), 1);
    free(err);
}

static void test_bad_option(void **state)
{
    (void)state;
    bad_option("--share-error lots", "--share-error");
    bad_option("--frobnicate", "unknown option");
    bad_option("-t 0", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_option),
        cmocka_unit_test(test_quick_passes),
        cmocka_unit_test(test_share_error_fails),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
