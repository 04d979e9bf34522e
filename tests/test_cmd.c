/*
 * test_cmd.c — the command line itself (cmd/): help of every command, GNU option
 * forms (--out=DIR, -r2, options after the scenario), options a command does not
 * take refused, a scenario on standard input, progress lines for batch logs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wg_test.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "cmd");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

#define run(out, err, ...) wg_test_waggle(NULL, out, err, __VA_ARGS__)

static const char *const commands[] = {"run",   "check", "net",   "validate", "compare",
                                       "fit",   "render", "sweep", "merge"};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* Every command's help says how to call it, its options and its exit status, and
 * `waggle help CMD` prints the same text as `waggle CMD --help`. */
static void test_every_help(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char *a = NULL, *b = NULL;
        assert_int_equal(run(&a, NULL, "%s --help", commands[i]), 0);
        assert_int_equal(run(&b, NULL, "help %s", commands[i]), 0);
        if (!strstr(a, "usage: waggle") || !strstr(a, "options:") || !strstr(a, "exit status:"))
            fail_msg("waggle %s --help lacks usage, options or exit status:\n%s", commands[i], a);
        assert_string_equal(a, b);
        assert_null(strstr(a, "%%"));   /* printed as text, not as a format */
        free(a);
        free(b);
    }
    char *err = NULL;
    assert_int_equal(run(NULL, &err, "help frobnicate"), 2);
    assert_non_null(strstr(err, "unknown command 'frobnicate'"));
    free(err);
}

static const char small[] =
    "name: cmd test\nsteps: 8\nruns: 5\nseed: 3\n"
    "network: {generate: erdos-renyi, nodes: 300, mean_degree: 4}\n"
    "events:\n  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n";

static char *file_in(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", tmp, dir, name);
    return wg_test_slurp(path, NULL);
}

/* --out=DIR, -r2, -t1 and options written after the scenario all work, and give
 * the bytes of the spelled-out forms. */
static void test_gnu_forms(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(tmp, "s.yaml", small), 0);
    assert_int_equal(run(NULL, NULL, "run %s/s.yaml --out=%s/a -r2 -t1 -q", tmp, tmp), 0);
    assert_int_equal(run(NULL, NULL, "run -q -o %s/b --runs 2 --threads 1 %s/s.yaml", tmp, tmp), 0);
    char *a = file_in("a", "series.csv"), *b = file_in("b", "series.csv");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\n1,7,"));      /* run 1 exists ... */
    assert_null(strstr(a, "\n2,0,"));          /* ... run 2 does not */
    free(a);
    free(b);
}

/* A command refuses the options it does not take, naming them. */
static void test_foreign_options(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(tmp, "s.yaml", small), 0);
    static const struct {
        const char *args, *says;
    } bad[] = {
        {"net -r 3 %s/s.yaml", "unknown option '-r'"},
        {"net -o x %s/s.yaml", "unknown option '-o'"},
        {"render --set runs=2 %s", "unknown option '--set'"},
        {"merge -t 2 %s", "unknown option '-t'"},
        {"run --frobnicate %s/s.yaml", "unknown option '--frobnicate'"},
        {"run %s/s.yaml --out", "needs a value"},
        {"run %s/s.yaml %s/s.yaml", "unexpected argument"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err = NULL;
        int rc = run(NULL, &err, bad[i].args, tmp, tmp);
        if (rc != 2 || !strstr(err, bad[i].says))
            fail_msg("waggle %s: exit %d, expected 2 and \"%s\"; said: %s", bad[i].args, rc,
                     bad[i].says, err);
        free(err);
    }
}

/* `waggle run -` reads the scenario from standard input: the same bytes as the file. */
static void test_stdin(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(tmp, "s.yaml", small), 0);
    assert_int_equal(run(NULL, NULL, "run %s/s.yaml -q -o %s/file", tmp, tmp), 0);
    assert_int_equal(run(NULL, NULL, "run - -q -o %s/stdin < %s/s.yaml", tmp, tmp), 0);
    char *a = file_in("file", "series.csv"), *b = file_in("stdin", "series.csv");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);
    char *out = NULL, *err = NULL;
    assert_int_equal(run(&out, &err, "check - < %s/s.yaml", tmp), 0);
    assert_non_null(strstr(out, "-: valid"));
    free(out);
    free(err);
    /* a bad scenario on standard input names "-" as its file, with line and column */
    assert_int_equal(wg_test_write(tmp, "bad.yaml", "name: x\nsteps: -3\n"), 0);
    assert_int_equal(run(NULL, &err, "run - -q -o %s/bad < %s/bad.yaml", tmp, tmp), 2);
    assert_non_null(strstr(err, "-:2:"));
    free(err);
    assert_int_equal(wg_test_exists(tmp, "bad"), 0);
    assert_int_equal(run(NULL, &err, "fit - --fit share.negative < %s/s.yaml", tmp), 2);
    assert_non_null(strstr(err, "not standard input"));
    free(err);
}

/* On a non-terminal, --progress prints progress lines (a batch log); without it,
 * nothing but the closing lines. */
static void test_progress_lines(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(tmp, "s.yaml", small), 0);
    char *err = NULL;
    assert_int_equal(run(NULL, &err, "run %s/s.yaml -o %s/p --progress", tmp, tmp), 0);
    assert_non_null(strstr(err, "waggle: 5/5 runs,"));
    free(err);
    assert_int_equal(run(NULL, &err, "run %s/s.yaml -o %s/p", tmp, tmp), 0);
    assert_null(strstr(err, "/5 runs,"));
    free(err);
    /* -q wins: nothing of waggle's own (a sanitizer build may add its summary) */
    assert_int_equal(run(NULL, &err, "run %s/s.yaml -o %s/p --progress -q", tmp, tmp), 0);
    assert_null(strstr(err, "waggle:"));
    free(err);
}

/* `run --partition` without MPI is one rank's partitioned run: the bytes of the
 * plain run; what cannot be partitioned is refused with exit 2 and nothing
 * written. */
static void test_partition_one_rank(void **state)
{
    (void)state;
    static const char sc[] =
        "name: partition\nsteps: 20\nruns: 4\nseed: 8\n"
        "network: {generate: barabasi-albert, nodes: 2000, edges_per_node: 3}\n"
        "model: {share: {positive: 0.06, negative: 0.09}, quality: 0.9, stifle: 0.1}\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 3, by: random}}\n"
        "  - {step: 2, respond: {policy: {per_step: 4, by: degree}, win: 0.1, calm: 0.4}}\n";
    assert_int_equal(wg_test_write(tmp, "p.yaml", sc), 0);
    assert_int_equal(run(NULL, NULL, "run %s/p.yaml -q -t 1 -o %s/plain", tmp, tmp), 0);
    assert_int_equal(run(NULL, NULL, "run %s/p.yaml -q -t 2 --partition -o %s/part", tmp, tmp), 0);
    static const char *const files[] = {"series.csv", "summary.csv", "finals.csv"};
    for (size_t i = 0; i < 3; i++) {
        char *a = file_in("plain", files[i]), *b = file_in("part", files[i]);
        assert_non_null(a);
        assert_non_null(b);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    char *err = NULL;
    assert_int_equal(run(NULL, &err, "run %s/p.yaml -q --partition --trace 0 -o %s/traced", tmp, tmp), 2);
    assert_non_null(strstr(err, "cannot trace"));
    free(err);
    assert_int_equal(wg_test_exists(tmp, "traced"), 0);
    static const char reach[] =
        "name: partition\nsteps: 20\nruns: 4\nseed: 8\n"
        "network: {generate: barabasi-albert, nodes: 2000, edges_per_node: 3}\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 3, by: random}}\n"
        "  - {step: 2, respond: {policy: {per_step: 4, by: reach}, win: 0.1, calm: 0.4}}\n";
    assert_int_equal(wg_test_write(tmp, "r.yaml", reach), 0);
    assert_int_equal(run(NULL, &err, "run %s/r.yaml -q --partition -o %s/reach", tmp, tmp), 2);
    assert_non_null(strstr(err, "by reach cannot run partitioned"));
    free(err);
    assert_int_equal(wg_test_exists(tmp, "reach"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_help),
        cmocka_unit_test(test_gnu_forms),
        cmocka_unit_test(test_foreign_options),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_progress_lines),
        cmocka_unit_test(test_partition_one_rank),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
