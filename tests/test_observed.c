/*
 * test_observed.c — tests of the one reader of observed series
 * (waggle/observed.h): the file's rules (comments, header, quoted fields,
 * the default columns), the fit's rules added by WG_OBSERVED_CUMULATIVE,
 * every refusal with its file and line, a scenario's `observed:` section,
 * and `waggle run` and `waggle fit` accepting and refusing the same files
 * (a two-column file without `y:` used to make `waggle run` exit 2 while
 * `waggle fit` ran).
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
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/observed.h"

static char tmp[64];
static const wg_test_how in_tmp = {.dir = tmp};

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "observed");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static const char *path_of(const char *name)
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

/* Read name with the rules; the status, with the first message in *msg
 * (a static copy, "" when there is none). */
static wg_status read_file(const char *name, const char *xcol, const char *ycol, unsigned rules,
                           wg_observed_series *o, const char **msg)
{
    static char first[1024];
    wg_diag d;
    wg_diag_init(&d);
    wg_status st = wg_observed_read(path_of(name), xcol, ycol, rules, o, &d);
    snprintf(first, sizeof first, "%s", wg_diag_first(&d));
    wg_diag_free(&d);
    if (msg) *msg = first;
    return st;
}

/* Run `waggle ARGS` in the temporary folder; its exit status, stderr in *err. */
#define run(err, ...) wg_test_waggle(&in_tmp, NULL, err, __VA_ARGS__)

/* ---- the file's rules ------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    wg_observed_series o;
    write_file("ok.csv", "# a comment\n\nday,date,views,source\n"
                         "1,2009-07-07,24000,\"a \"\"quoted\"\", source, with commas\"\n"
                         "  # an indented comment\r\n"
                         "3,2009-07-09,390000,blog\r\n"
                         "   \n"
                         "4.5, 2009-07-10, 390000 ,x\n");
    assert_int_equal(read_file("ok.csv", NULL, NULL, WG_OBSERVED_CUMULATIVE, &o, NULL), WG_OK);
    assert_int_equal(o.n, 3);
    assert_string_equal(o.xcol, "day");
    assert_string_equal(o.ycol, "views");   /* the third column */
    assert_true(o.x[0] == 1 && o.x[1] == 3 && o.x[2] == 4.5);
    assert_true(o.y[0] == 24000 && o.y[1] == 390000 && o.y[2] == 390000);
    wg_observed_free(&o);
    wg_observed_free(&o);   /* an empty series: a no-op */

    /* two columns: y is the second */
    write_file("two.csv", "day,views\n1,10\n2,30\n");
    assert_int_equal(read_file("two.csv", NULL, NULL, 0, &o, NULL), WG_OK);
    assert_string_equal(o.ycol, "views");
    assert_true(o.n == 2 && o.y[1] == 30);
    wg_observed_free(&o);

    /* no "day": x is "step"; named columns anywhere */
    write_file("step.csv", "views,step,fans\n10,1,100\n20,2,200\n");
    assert_int_equal(read_file("step.csv", NULL, "fans", 0, &o, NULL), WG_OK);
    assert_string_equal(o.xcol, "step");
    assert_true(o.n == 2 && o.x[1] == 2 && o.y[1] == 200);
    wg_observed_free(&o);
    assert_int_equal(read_file("step.csv", "step", "views", 0, &o, NULL), WG_OK);
    assert_true(o.y[0] == 10);
    wg_observed_free(&o);
}

/* Without the fit's rules any finite numbers are readings; with them,
 * only a cumulative series is. */
static void test_rules(void **state)
{
    (void)state;
    static const struct {
        const char *text, *needle;   /* needle: what the cumulative reader says */
    } fit_only[] = {
        {"day,views\n1,10\n2,5\n", "bad.csv:3: views falls from 10 to 5"},
        {"day,views\n1,10\n2,0\n", "bad.csv:3: views = 0: the fit compares logarithms"},
        {"day,views\n1,-3\n", "bad.csv:2: views = -3"},
        {"day,views\n2,10\n1,12\n", "bad.csv:3: day 1 comes after day 2"},
        {"day,views\n-1,10\n", "bad.csv:2: day: expected a step number >= 0, got '-1'"},
    };
    for (size_t i = 0; i < sizeof fit_only / sizeof *fit_only; i++) {
        wg_observed_series o;
        const char *msg;
        write_file("bad.csv", fit_only[i].text);
        assert_int_equal(read_file("bad.csv", NULL, NULL, 0, &o, NULL), WG_OK);
        assert_true(o.n >= 1);
        wg_observed_free(&o);
        assert_int_equal(read_file("bad.csv", NULL, NULL, WG_OBSERVED_CUMULATIVE, &o, &msg),
                         WG_EINPUT);
        if (!strstr(msg, fit_only[i].needle))
            fail_msg("case %zu: '%s' does not say '%s'", i, msg, fit_only[i].needle);
        assert_int_equal(o.n, 0);
        assert_null(o.x);
    }
}

/* Files no reader accepts: each message names the file (and the line). */
static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *ycol, *needle;
    } bad[] = {
        {"day,views\n1,10\n", "fans", "bad.csv:1: no column 'fans' for the counts (columns: day, views)"},
        {"step2,views\n1,10\n", NULL, "bad.csv:1: no column 'step' for the steps"},
        {"# c\nday\n10\n", NULL, "bad.csv:2: only one column (day)"},
        {"day,views\n1,ten\n", NULL, "bad.csv:2: views: expected a number, got 'ten'"},
        {"day,views\n1,nan\n", NULL, "bad.csv:2: views: expected a number, got 'nan'"},
        {"day,views\ninf,3\n", NULL, "bad.csv:2: day: expected a "},
        {"day,views\n1,\n", NULL, "bad.csv:2: views: expected a number, got ''"},
        {"day,date,views\n1,x\n", NULL, "bad.csv:2: 2 fields, expected at least 3 (missing column 'views')"},
        {"# only comments\n\n", NULL, "bad.csv: no header line"},
        {"", NULL, "bad.csv: no header line"},
        {"day,views\n# none\n", NULL, "bad.csv: no readings below the header"},
    };
    for (int rules = 0; rules < 2; rules++)
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            wg_observed_series o;
            const char *msg;
            write_file("bad.csv", bad[i].text);
            unsigned r = rules ? WG_OBSERVED_CUMULATIVE : 0;
            assert_int_equal(read_file("bad.csv", NULL, bad[i].ycol, r, &o, &msg), WG_EINPUT);
            if (!strstr(msg, bad[i].needle))
                fail_msg("case %zu (rules %d): '%s' does not say '%s'", i, rules, msg,
                         bad[i].needle);
            assert_int_equal(o.n, 0);
        }
    wg_observed_series o;
    const char *msg;
    assert_int_equal(read_file("absent.csv", NULL, NULL, 0, &o, &msg), WG_EINPUT);
    assert_non_null(strstr(msg, "absent.csv: cannot read the observed series"));
}

/* A scenario's `observed:` section, without y: the second of two columns. */
static void test_scenario_section(void **state)
{
    (void)state;
    static const char base[] = "name: t\nnetwork: {generate: ring, nodes: 10}\n";
    char text[512];
    wg_scenario *s;
    wg_observed_series o;
    wg_diag d;
    write_file("two.csv", "day,views\n1,10\n3,40\n");
    snprintf(text, sizeof text, "%sobserved: {file: two.csv}\n", base);
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_parse(text, strlen(text), "t.yaml", tmp, NULL, 0, &s, &d), WG_OK);
    assert_null(s->observed.y);
    assert_int_equal(wg_observed_read_scenario(s, 0, &o, &d), WG_OK);
    assert_int_equal(o.n, 2);
    assert_string_equal(o.xcol, "day");
    assert_string_equal(o.ycol, "views");
    assert_true(o.x[1] == 3 && o.y[1] == 40);
    wg_observed_free(&o);
    wg_scenario_free(s);
    /* no section: nothing to read */
    assert_int_equal(wg_scenario_parse(base, strlen(base), "t.yaml", tmp, NULL, 0, &s, &d), WG_OK);
    assert_int_equal(wg_observed_read_scenario(s, 0, &o, &d), WG_OK);
    assert_int_equal(o.n, 0);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* ---- the commands: run and fit read alike ------------------------------------------ */

static const char scenario[] =
    "name: two columns\n"
    "steps: 8\n"
    "runs: 4\n"
    "seed: 3\n"
    "network: {generate: barabasi-albert, nodes: 300, edges_per_node: 2}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 3, by: random}}\n"
    "observed: {file: views.csv}\n";

static void test_run_and_fit_agree(void **state)
{
    (void)state;
    char *err;
    write_file("s.yaml", scenario);
    write_file("views.csv", "# day,views: no y: in the scenario\nday,views\n1,30\n3,90\n5,200\n");
    int rc = run(&err, "run s.yaml -o out -q -t 1");
    if (rc != 0) fail_msg("waggle run: exit %d: %s", rc, err);
    free(err);
    char *obs = wg_test_slurp(path_of("out/observed.csv"), NULL);
    assert_non_null(obs);
    assert_string_equal(obs, "day,observed\n1,30\n3,90\n5,200\n");
    free(obs);
    rc = run(&err, "fit s.yaml --fit observed.scale -o fitted -q -t 1");
    if (rc != 0) fail_msg("waggle fit: exit %d: %s", rc, err);
    free(err);
    char *fit = wg_test_slurp(path_of("fitted/fit.csv"), NULL);
    assert_non_null(fit);
    assert_non_null(strstr(fit, "\n3,90,"));
    free(fit);

    /* a bad reading: both refuse, with the file and line, and write nothing */
    write_file("views.csv", "day,views\n1,30\n3,many\n");
    const char *cmds[] = {"run s.yaml -o out2 -q -t 1", "fit s.yaml --fit observed.scale -o fit2 -q"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(run(&err, "%s", cmds[i]), 2);
        if (!strstr(err, "views.csv:3: views: expected a number, got 'many'"))
            fail_msg("%s: %s", cmds[i], err);
        free(err);
    }
    assert_false(wg_test_exists(tmp, "out2"));
    assert_false(wg_test_exists(tmp, "fit2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_scenario_section),
        cmocka_unit_test(test_run_and_fit_agree),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
