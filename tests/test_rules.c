/*
 * test_rules.c — the rules of issue #20 through the command: a seeded agent
 * is not a blow-up; blowup.by_step tests at a step; a pick by k-core on a
 * network whose core numbers are all equal says so; two seeds on one agent
 * in one step (the later wins, with a note; seed_conflict: error refuses).
 * Every scenario here is deterministic in what is checked (share 1 or 0).
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

static char tmp[128];

/* Run `waggle ARGS` in tmp; its exit status, stderr into *err (free it). */
static int waggle(char **err, const char *args)
{
    return wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, err, "%s", args);
}

/* The blowup column of DIR/finals.csv (found by its header) summed over its
 * runs; -1 when unreadable. */
static int blowups_of(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/finals.csv", tmp, dir);
    char *t = wg_test_slurp(path, NULL);
    if (!t) return -1;
    int col = 0, sum = 0;
    for (const char *p = t; *p && *p != '\n' && strncmp(p, "blowup", 6) != 0; p++) col += *p == ',';
    const char *line = strchr(t, '\n');
    while (line && line[1]) {
        const char *p = line + 1;
        for (int k = 0; k < col && p; k++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
        if (!p) break;
        sum += *p == '1';
        line = strchr(p, '\n');
    }
    free(t);
    return sum;
}

static size_t count(const char *s, const char *needle)
{
    size_t k = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle)) k++;
    return k;
}

/* 50 critics seeded on 1,000 agents (5 %, past a 1 % threshold): without
 * word of mouth nobody else hears, and no run blows up; with share 1 the
 * story spreads past the threshold and every run does. */
static void test_seeds_are_not_blowups(void **state)
{
    (void)state;
    char *err;
    static const char *const fmt =
        "name: seeds\nsteps: 6\nruns: 4\nseed: 3\n"
        "blowup: {threshold: 0.01}\n"
        "network: {generate: ring, nodes: 1000}\n"
        "model: {contact: all, share: {negative: %s}, quit: {negative: 0}}\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 50, by: random}}\n";
    char text[512];
    snprintf(text, sizeof text, fmt, "0");
    assert_int_equal(wg_test_write(tmp, "quiet.yaml", text), 0);
    snprintf(text, sizeof text, fmt, "1");
    assert_int_equal(wg_test_write(tmp, "loud.yaml", text), 0);
    assert_int_equal(waggle(&err, "run quiet.yaml -o quiet -q"), 0);
    free(err);
    assert_int_equal(blowups_of("quiet"), 0);
    assert_int_equal(waggle(&err, "run loud.yaml -o loud -q"), 0);
    free(err);
    assert_int_equal(blowups_of("loud"), 4);
}

/* One critic on a ring, share 1: reach 1 + 2(t + 1) at the end of step t.
 * Past 10 new agents only from step 5 on: by_step 2 sees no blow-up, the
 * last step (19) sees one in every run. Bad by_step: exit 2 at its place. */
static void test_by_step(void **state)
{
    (void)state;
    char *err;
    static const char *const fmt =
        "name: ring\nsteps: 20\nruns: 3\nseed: 5\n"
        "blowup: %s\n"
        "network: {generate: ring, nodes: 1000}\n"
        "model: {contact: all, share: {negative: 1}, quit: {negative: 0}}\n"
        "events:\n  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n";
    char text[512];
    snprintf(text, sizeof text, fmt, "{threshold: 0.01, by_step: 2}");
    assert_int_equal(wg_test_write(tmp, "early.yaml", text), 0);
    snprintf(text, sizeof text, fmt, "{threshold: 0.01}");
    assert_int_equal(wg_test_write(tmp, "late.yaml", text), 0);
    snprintf(text, sizeof text, fmt, "{by_step: 6}");
    assert_int_equal(wg_test_write(tmp, "six.yaml", text), 0);
    assert_int_equal(waggle(&err, "run early.yaml -o early -q"), 0);
    free(err);
    assert_int_equal(blowups_of("early"), 0);
    assert_int_equal(waggle(&err, "run late.yaml -o late -q"), 0);
    free(err);
    assert_int_equal(blowups_of("late"), 3);
    /* by_step alone: the default threshold (1 %); 14 new agents by step 6 */
    assert_int_equal(waggle(&err, "run six.yaml -o six -q"), 0);
    free(err);
    assert_int_equal(blowups_of("six"), 3);
    /* the scenario written back into the manifest keeps it */
    char path[512];
    snprintf(path, sizeof path, "%s/early/manifest.yaml", tmp);
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    assert_non_null(strstr(t, "by_step: 2}"));
    free(t);

    static const struct {
        const char *blowup, *where, *what;
    } bad[] = {
        {"{threshold: 0.01, by_step: 20}", "bad.yaml:5:36:", "beyond the last step 19"},
        {"{by_step: -1}", "bad.yaml:5:19:", "blowup.by_step"},
        {"{by_step: soon}", "bad.yaml:5:19:", "blowup.by_step"},
        {"{by_stepp: 3}", "bad.yaml:5:10:", "by_stepp"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, fmt, bad[i].blowup);
        assert_int_equal(wg_test_write(tmp, "bad.yaml", text), 0);
        assert_int_equal(waggle(&err, "run bad.yaml -o bad -q"), 2);
        if (!strstr(err, bad[i].where) || !strstr(err, bad[i].what))
            fail_msg("%s: want %s ... %s in: %s", bad[i].blowup, bad[i].where, bad[i].what, err);
        free(err);
        assert_false(wg_test_exists(tmp, "bad"));
    }
}

/* A Barabási–Albert network (m = 3): every agent has core number 3, and
 * `by: kcore` says once that it picks at random, in a comparison too; a
 * configuration model with heavy-tailed degrees has a core, and no note. */
static void test_kcore_note(void **state)
{
    (void)state;
    char *err;
    static const char *const fmt =
        "name: core\nsteps: 3\nruns: 2\nseed: 9\n"
        "network: %s\n"
        "events:\n  - {step: 0, seed: {valence: negative, count: 5, by: kcore}}\n"
        "variants:\n  - {name: same, set: {share.negative: 0.2}}\n";
    char text[512];
    snprintf(text, sizeof text, fmt, "{generate: barabasi-albert, nodes: 500, edges_per_node: 3}");
    assert_int_equal(wg_test_write(tmp, "ba.yaml", text), 0);
    snprintf(text, sizeof text, fmt,
             "{generate: configuration, nodes: 2000, degrees: {power_law: 2.5, min: 2, cutoff: "
             "100}}");
    assert_int_equal(wg_test_write(tmp, "cm.yaml", text), 0);
    assert_int_equal(waggle(&err, "run ba.yaml -o ba -q"), 0);
    assert_int_equal(count(err, "every agent has core number 3; `by: kcore` picks at random"), 1);
    free(err);
    assert_int_equal(waggle(&err, "compare ba.yaml -o bac -q"), 0);
    assert_int_equal(count(err, "every agent has core number 3"), 1);
    free(err);
    assert_int_equal(waggle(&err, "run cm.yaml -o cm -q"), 0);
    assert_int_equal(count(err, "core number"), 0);
    free(err);
}

/* Two seeds of one step on agent 7: the later (positive) wins, with one
 * note; seed_conflict: error refuses, exit 2, nothing written; seeds on
 * one agent at different steps are no conflict. */
static void test_seed_conflict(void **state)
{
    (void)state;
    char *err;
    static const char *const fmt =
        "name: clash\nsteps: 2\nruns: 3\nseed: 1\n%s"
        "network: {generate: ring, nodes: 100}\n"
        "model: {share: {positive: 0, negative: 0}}\n"
        "events:\n  - {step: 0, seed: {valence: negative, by: id, ids: [7]}}\n"
        "  - {step: %d, seed: {valence: positive, by: id, ids: [7, 8]}}\n";
    char text[512];
    snprintf(text, sizeof text, fmt, "", 0);
    assert_int_equal(wg_test_write(tmp, "clash.yaml", text), 0);
    assert_int_equal(waggle(&err, "run clash.yaml -o clash -q"), 0);
    assert_int_equal(count(err, "two seeds picked one agent in one step 3 times in 3 runs "
                                "(first: agent 7, step 0, run 0); the later seed wins"),
                     1);
    free(err);
    char path[512];
    snprintf(path, sizeof path, "%s/clash/finals.csv", tmp);
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    /* two positive (7 and 8), no critic */
    assert_non_null(strstr(t, "\n0,2,0,"));
    free(t);

    snprintf(text, sizeof text, fmt, "seed_conflict: error\n", 0);
    assert_int_equal(wg_test_write(tmp, "strict.yaml", text), 0);
    assert_int_equal(waggle(&err, "run strict.yaml -o strict -q"), 2);
    assert_non_null(strstr(err, "two seeds picked agent 7 at step 0 of run 0"));
    free(err);
    assert_false(wg_test_exists(tmp, "strict"));

    snprintf(text, sizeof text, fmt, "seed_conflict: error\n", 1);
    assert_int_equal(wg_test_write(tmp, "apart.yaml", text), 0);
    assert_int_equal(waggle(&err, "run apart.yaml -o apart -q"), 0);
    assert_int_equal(count(err, "two seeds"), 0);
    free(err);

    snprintf(text, sizeof text, fmt, "seed_conflict: later\n", 0);
    assert_int_equal(wg_test_write(tmp, "bad.yaml", text), 0);
    assert_int_equal(waggle(&err, "run bad.yaml -o bad -q"), 2);
    assert_non_null(strstr(err, "bad.yaml:5:16:"));
    assert_non_null(strstr(err, "seed_conflict"));
    free(err);
    assert_false(wg_test_exists(tmp, "bad"));
}

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "rules");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_are_not_blowups),
        cmocka_unit_test(test_by_step),
        cmocka_unit_test(test_kcore_note),
        cmocka_unit_test(test_seed_conflict),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
