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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/validate.h"

static char tmp[64];
static char waggle[256];

static int setup(void **state)
{
    (void)state;
    if (wg_test_find_waggle(waggle, sizeof waggle, 0, "test_validate") != 0) return -1;
    return wg_test_mkdtemp(tmp, "validate");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static int run_cmd(const char *args, const char *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s > %s 2>&1", waggle, args, out);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static size_t count_lines(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, f))
        if (!needle || strstr(line, needle)) n++;
    fclose(f);
    return n;
}

/* --quick: every check passes; the CSV holds one row per check, all "pass". */
static void test_quick_passes(void **state)
{
    (void)state;
    char out[128], csv[128], args[256];
    snprintf(out, sizeof out, "%s/table.txt", tmp);
    snprintf(csv, sizeof csv, "%s/validation.csv", tmp);
    snprintf(args, sizeof args, "validate --quick -t 2 --csv %s", csv);
    int rc = run_cmd(args, out);
    if (rc != 0) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "cat %s", out);
        assert_int_equal(system(cmd), 0);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(out, "FAIL"), 0);
    FILE *f = fopen(csv, "r");
    assert_non_null(f);
    char header[256];
    assert_non_null(fgets(header, sizeof header, f));
    fclose(f);
    assert_string_equal(header, "model,reference,quantity,theory,simulated,se,tolerance,z,pass,runs\n");
    size_t rows = count_lines(csv, NULL) - 1;
    assert_true(rows >= 30);                      /* seven models, two or more points each */
    assert_int_equal(count_lines(csv, ",pass,") - 1, rows);   /* the header has ",pass," too */
    const char *models[] = {"\"SIR\"", "\"Bass\"", "\"Maki-Thompson\"", "\"IC\"", "\"IC-N\"",
                            "\"SIS\"", "\"bad news\""};
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        assert_true(count_lines(csv, models[i]) >= 2);
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

static void test_bad_option(void **state)
{
    (void)state;
    char out[128];
    snprintf(out, sizeof out, "%s/bad.txt", tmp);
    assert_int_equal(run_cmd("validate --share-error lots", out), 2);
    assert_int_equal(count_lines(out, "--share-error"), 1);
    assert_int_equal(run_cmd("validate --frobnicate", out), 2);
    assert_int_equal(count_lines(out, "unknown option"), 1);
    assert_int_equal(run_cmd("validate -t 0", out), 2);
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
