/*
 * test_policy.c — standing response policies (`respond.policy`), their cost
 * and answers, and triggers (`when:`, `repeat`) inside the engine
 * (sim/engine/events.c), on small graphs whose outcome is known exactly;
 * then the same through the `waggle` command: a policy that answers nobody
 * leaves every byte of the base, the same bytes on 1 and 2 threads, and the
 * bad inputs the issue lists (file:line:col, exit 2, nothing written).
 *
 * Exact tests use share 0 or 1, quit 0, and win/calm 0 or 1, so that every
 * agent's state at every step is known.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waggle/engine.h"
#include "waggle/graph.h"
#include "waggle/job.h"
#include "waggle/scenario.h"
#include "wg_test.h"

/* ---- a scenario's timeline on a graph (wg_test_fx) --------------------------------- */

static void fx_open_threads(wg_test_fx *f, wg_graph *g, const char *body, int threads)
{
    wg_test_fx_open(f, g, "p.yaml", 11, body, threads);
}

static void fx_open(wg_test_fx *f, wg_graph *g, const char *body)
{
    fx_open_threads(f, g, body, 2);
}

static uint32_t fx_at(const wg_test_fx *f, uint32_t t, int column)
{
    return wg_test_fx_row(f, t)[column];
}

/* ---- policies ---------------------------------------------------------------------- */

/* Ten critics who stay critics when answered (win 0, calm 0): a policy of 3
 * a step answers 3, 3, 3, 1 and then nobody: never more than per_step, and
 * nobody twice (else it would go on answering 3 a step). */
static void test_per_step_and_nobody_twice(void **state)
{
    (void)state;
    wg_test_fx f;
    fx_open(&f, wg_test_star(10),
            "steps: 8\nmodel: {share: 0, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}\n"
            "  - {step: 0, respond: {policy: {per_step: 3}, win: 0, calm: 0}}\n");
    for (uint32_t run = 0; run < 3; run++) {
        wg_test_fx_run(&f, run);
        const uint32_t want[8] = {3, 3, 3, 1, 0, 0, 0, 0};
        for (uint32_t t = 0; t < 8; t++) assert_int_equal(fx_at(&f, t, WG_C_ANSWERS), want[t]);
        assert_int_equal(fx_at(&f, 7, WG_C_CRITICS), 10);
    }
    wg_test_fx_close(&f);
}

/* A chain of critics: agent k of the directed path starts talking at step k
 * (agent 0 seeded at step 0; share 1). With delay 2 agent k is answered at
 * step k + 2, never before: exactly one answer at each step from 2 on. */
static void test_delay(void **state)
{
    (void)state;
    wg_test_fx f;
    fx_open(&f, wg_test_path(10, 1),
            "steps: 14\nmodel: {share: 1, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
            "  - {step: 0, respond: {policy: {delay: 2, per_step: 5}, win: 0, calm: 0}}\n");
    wg_test_fx_run(&f, 0);
    for (uint32_t t = 0; t < 14; t++)
        assert_int_equal(fx_at(&f, t, WG_C_ANSWERS), t >= 2 && t <= 11 ? 1 : 0);
    wg_test_fx_close(&f);
    /* delay 0 answers the seed in its own step, before it talks: calm 1
     * makes it a rejecter, and nobody else is ever reached */
    fx_open(&f, wg_test_path(10, 1),
            "steps: 5\nmodel: {share: 1, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
            "  - {step: 0, respond: {policy: {per_step: 1}, win: 0, calm: 1}}\n");
    wg_test_fx_run(&f, 0);
    assert_int_equal(fx_at(&f, 0, WG_C_ANSWERS), 1);
    assert_int_equal(fx_at(&f, 4, WG_C_REJECTERS), 1);
    assert_int_equal(fx_at(&f, 4, WG_C_UNAWARE), 9);
    wg_test_fx_close(&f);
}

/* The orders: first (longest waiting), degree, reach (most contacts made),
 * random (keyed: the same agents on 1 and 2 threads, different runs may
 * differ); `until` ends the policy. win 1: an answered critic becomes a
 * supporter, so the final states say who was answered. */
static void test_orders(void **state)
{
    (void)state;
    wg_test_fx f;
    /* critics 7, 8, 9 from step 0, 4, 5, 6 from step 1, 1, 2, 3 from step 2;
     * the policy answers 3 at step 3 only */
    fx_open(&f, wg_test_star(10),
            "steps: 5\nmodel: {share: 0, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [7, 8, 9]}}\n"
            "  - {step: 1, seed: {valence: negative, by: id, ids: [4, 5, 6]}}\n"
            "  - {step: 2, seed: {valence: negative, by: id, ids: [1, 2, 3]}}\n"
            "  - {step: 3, respond: {policy: {per_step: 3, by: first, until: 3}, win: 1, calm: 0}}\n");
    wg_test_fx_run(&f, 0);
    for (uint32_t a = 1; a <= 10; a++)
        assert_int_equal(f.state[a], a >= 7 && a <= 9 ? WG_SUPPORTER : a == 10 ? WG_UNAWARE
                                                                                : WG_CRITIC);
    assert_int_equal(fx_at(&f, 4, WG_C_ANSWERS), 0);
    wg_test_fx_close(&f);

    /* by degree: the hub first */
    fx_open(&f, wg_test_star(10),
            "steps: 2\nmodel: {share: 0, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [0, 3, 4, 5]}}\n"
            "  - {step: 1, respond: {policy: {per_step: 1, by: degree}, win: 1, calm: 0}}\n");
    wg_test_fx_run(&f, 0);
    assert_int_equal(f.state[0], WG_SUPPORTER);
    assert_int_equal(fx_at(&f, 1, WG_C_CRITICS), 3);
    wg_test_fx_close(&f);

    /* by reach: the hub made 10 contacts at step 0, each leaf one */
    fx_open(&f, wg_test_star(10),
            "steps: 2\nmodel: {share: 1, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [1, 0, 2]}}\n"
            "  - {step: 1, respond: {policy: {per_step: 1, by: reach}, win: 1, calm: 0}}\n");
    wg_test_fx_run(&f, 0);
    assert_int_equal(f.state[0], WG_SUPPORTER);
    assert_int_equal(f.state[1], WG_CRITIC);
    wg_test_fx_close(&f);

    /* by random: 2 of 10, the same two at 1 and 2 threads; not the same two in every run */
    const char *body = "steps: 1\nmodel: {share: 0, quit: 0}\nevents:\n"
                       "  - {step: 0, seed: {valence: negative, by: id, ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}\n"
                       "  - {step: 0, respond: {policy: {per_step: 2, by: random}, win: 1, calm: 0}}\n";
    wg_test_fx one, two;
    fx_open_threads(&one, wg_test_star(10), body, 1);
    fx_open_threads(&two, wg_test_star(10), body, 2);
    int differ = 0;
    uint8_t first[11];
    for (uint32_t run = 0; run < 8; run++) {
        wg_test_fx_run(&one, run);
        wg_test_fx_run(&two, run);
        assert_memory_equal(one.state, two.state, 11);
        assert_int_equal(fx_at(&one, 0, WG_C_SUPPORTERS), 2);
        if (run == 0) memcpy(first, one.state, 11);
        else differ |= memcmp(first, one.state, 11) != 0;
    }
    assert_true(differ);
    wg_test_fx_close(&one);
    wg_test_fx_close(&two);
}

/* cost: answers × cost, per run, into the array wg_engine_set_costs gives. */
static void test_cost(void **state)
{
    (void)state;
    wg_test_fx f;
    fx_open(&f, wg_test_star(10),
            "steps: 8\nmodel: {share: 0, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}\n"
            "  - {step: 0, respond: {policy: {per_step: 3}, win: 0, calm: 0, cost: 2.5}}\n"
            "  - {step: 5, respond: {count: 2, by: random, win: 0, calm: 0, cost: 1}}\n");
    double cost[2] = {-1, -1};
    uint32_t counts[2 * 8 * WG_NCOUNTS], sr[2];
    wg_diag d;
    wg_diag_init(&d);
    wg_engine_set_costs(f.e, cost);
    assert_int_equal(wg_engine_run(f.e, 0, 2, counts, sr, NULL, NULL, NULL, &d), WG_OK);
    /* 10 standing answers, and the one-shot answer of 2 at step 5 (it may
     * answer again: one-shot picks count every critic) */
    assert_true(cost[0] == 10 * 2.5 + 2 && cost[1] == 10 * 2.5 + 2);
    assert_int_equal(counts[5 * WG_NCOUNTS + WG_C_ANSWERS], 2);
    wg_diag_free(&d);
    wg_test_fx_close(&f);
}

/* ---- triggers ---------------------------------------------------------------------- */

/* On the directed path with share 1 the counts at the start of step t are
 * known: critics t + 1 for t >= 1 (0 at step 0), new_negative of step t - 1
 * is 1 (t >= 1). A trigger that stops word of mouth (share.negative 0) at
 * step T leaves T + 1 critics: the final count says the step it fired. */
static uint32_t fired_at(const char *when)
{
    char body[512];
    snprintf(body, sizeof body,
             "steps: 18\nmodel: {share: 1, quit: 0}\nevents:\n"
             "  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
             "  - {when: %s, set: {share.negative: 0}}\n", when);
    wg_test_fx f;
    fx_open(&f, wg_test_path(20, 1), body);
    wg_test_fx_run(&f, 0);
    uint32_t c = fx_at(&f, 17, WG_C_CRITICS);
    wg_test_fx_close(&f);
    return c - 1;
}

static void test_trigger_first_step(void **state)
{
    (void)state;
    assert_int_equal(fired_at("{critics_above: 4}"), 4);          /* 5 > 4 at step 4 */
    assert_int_equal(fired_at("{critics_above: 0.25}"), 5);       /* a share: 6 > 0.25 × 20 */
    assert_int_equal(fired_at("{reach_negative_above: 7}"), 7);
    assert_int_equal(fired_at("{new_negative_above: 0}"), 1);     /* step 0 made one */
    assert_int_equal(fired_at("{critics_above: 1000}"), 18);      /* never: 19 critics after 18 steps */
}

/* repeat: every step whose starting state meets it; without, only the first. */
static void test_trigger_repeat(void **state)
{
    (void)state;
    for (int repeat = 0; repeat < 2; repeat++) {
        char body[512];
        snprintf(body, sizeof body,
                 "steps: 8\nmodel: {share: 1, quit: 0}\nevents:\n"
                 "  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
                 "  - {when: {critics_above: 2},%s respond: {count: 1, by: random, win: 0, "
                 "calm: 0}}\n", repeat ? " repeat: true," : "");
        wg_test_fx f;
        fx_open(&f, wg_test_path(20, 1), body);
        wg_test_fx_run(&f, 0);
        for (uint32_t t = 0; t < 8; t++)
            assert_int_equal(fx_at(&f, t, WG_C_ANSWERS), repeat ? t >= 2 : t == 2);
        wg_test_fx_close(&f);
    }
    /* a triggered policy answers from the step it fired: critics above 3 at step 3 */
    wg_test_fx f;
    fx_open(&f, wg_test_path(20, 1),
            "steps: 8\nmodel: {share: 1, quit: 0}\nevents:\n"
            "  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
            "  - {when: {critics_above: 3}, respond: {policy: {per_step: 1}, win: 0, calm: 0}}\n");
    wg_test_fx_run(&f, 0);
    for (uint32_t t = 0; t < 8; t++) assert_int_equal(fx_at(&f, t, WG_C_ANSWERS), t >= 3);
    wg_test_fx_close(&f);
}

/* ---- the command --------------------------------------------------------------------- */

static char tmp[128];

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "policy");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static const char *const base_yaml =
    "name: policy bytes\nsteps: 30\nruns: 40\nseed: 5\n"
    "network: {generate: barabasi-albert, nodes: 2000, edges_per_node: 2}\n"
    "model: {share: {positive: 0.05, negative: 0.1}, quit: 0.25}\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
    "  - {step: 0, seed: {valence: positive, count: 3, by: random}}\n";

static void assert_same_file(const char *a, const char *b, const char *name)
{
    char pa[512], pb[512];
    size_t la, lb;
    snprintf(pa, sizeof pa, "%s/%s/%s", tmp, a, name);
    snprintf(pb, sizeof pb, "%s/%s/%s", tmp, b, name);
    char *x = wg_test_slurp(pa, &la), *y = wg_test_slurp(pb, &lb);
    assert_non_null(x);
    assert_non_null(y);
    if (la != lb || memcmp(x, y, la) != 0) fail_msg("%s differs from %s", pa, pb);
    free(x);
    free(y);
}

/* A policy that answers nobody (its delay is longer than the run) gives the
 * base's bytes; a policy's outputs are the same on 1 and 2 threads. */
static void test_nobody_answered_same_bytes(void **state)
{
    (void)state;
    char text[2048];
    assert_int_equal(wg_test_write(tmp, "base.yaml", base_yaml), 0);
    snprintf(text, sizeof text, "%s  - {step: 0, respond: {policy: {delay: 100, per_step: 5}, "
             "win: 0.1, calm: 0.5, cost: 3}}\n", base_yaml);
    assert_int_equal(wg_test_write(tmp, "never.yaml", text), 0);
    snprintf(text, sizeof text, "%s  - {step: 1, respond: {policy: {delay: 1, per_step: 5, "
             "by: reach}, win: 0.1, calm: 0.5, cost: 3}}\n"
             "  - {when: {critics_above: 0.01}, respond: {policy: {per_step: 2, by: random}, "
             "win: 0.1, calm: 0.5}}\n", base_yaml);
    assert_int_equal(wg_test_write(tmp, "busy.yaml", text), 0);
    wg_test_how how = {.dir = tmp};
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "run base.yaml -o base -q -t 2"), 0);
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "run never.yaml -o never -q -t 2"), 0);
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "run busy.yaml -o busy1 -q -t 1"), 0);
    assert_int_equal(wg_test_waggle(&how, NULL, NULL, "run busy.yaml -o busy2 -q -t 2"), 0);
    static const char *const files[] = {"series.csv", "summary.csv", "finals.csv"};
    for (int i = 0; i < 3; i++) {
        assert_same_file("base", "never", files[i]);
        assert_same_file("busy1", "busy2", files[i]);
    }
    /* the busy policy answered someone, at cost 3 each for the first */
    char path[512];
    snprintf(path, sizeof path, "%s/busy1/finals.csv", tmp);
    char *fin = wg_test_slurp(path, NULL);
    assert_non_null(fin);
    assert_non_null(strstr(fin, ",blowup,answers,cost,cumulative_exposures_positive,"));
    free(fin);
    snprintf(path, sizeof path, "%s/busy1/series.csv", tmp);
    char *a = wg_test_slurp(path, NULL);
    snprintf(path, sizeof path, "%s/base/series.csv", tmp);
    char *b = wg_test_slurp(path, NULL);
    assert_true(a && b && strcmp(a, b) != 0);
    free(a);
    free(b);
}

/* Bad input: file:line:col, exit 2, nothing written. */
static void test_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *event, *expect;
    } cases[] = {
        {"  - {step: 0, respond: {policy: {per_step: 0}, win: 0.1, calm: 0.5}}\n",
         "bad.yaml:10:44: events.2.respond.policy.per_step: expected a whole number in [1,"},
        {"  - {step: 0, respond: {policy: {delay: -1, per_step: 5}, win: 0.1, calm: 0.5}}\n",
         "bad.yaml:10:41: events.2.respond.policy.delay: expected a whole number in [0,"},
        {"  - {when: {critic_above: 100}, respond: {policy: {per_step: 5}, win: 0.1, calm: 0.5}}\n",
         "bad.yaml:10:13: events.2.when.critic_above: unknown condition, did you mean "
         "'critics_above'?"},
        {"  - {step: 2, when: {critics_above: 100}, respond: {count: 5, win: 0.1, calm: 0.5}}\n",
         "bad.yaml:10:21: events.2.when: give either step or when, not both"},
        {"  - {step: 2, repeat: true, block: {count: 5}}\n",
         "bad.yaml:10:23: events.2.repeat: repeat is for triggers"},
        {"  - {step: 0, respond: {count: 3, policy: {per_step: 5}, win: 0.1, calm: 0.5}}\n",
         "bad.yaml:10:32: events.2.respond.count: a standing policy picks its own critics"},
        {"  - {step: 9, respond: {policy: {per_step: 5, until: 3}, win: 0.1, calm: 0.5}}\n",
         "events.2.respond.policy.until: the policy ends (step 3) before it starts (step 9)"},
        {"  - {step: 0, respond: {policy: {per_step: 5, by: loudest}, win: 0.1, calm: 0.5}}\n",
         "events.2.respond.policy.by: expected one of first, degree, reach, random"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[2048], *err = NULL;
        snprintf(text, sizeof text, "%s%s", base_yaml, cases[i].event);
        assert_int_equal(wg_test_write(tmp, "bad.yaml", text), 0);
        wg_test_how how = {.dir = tmp};
        int rc = wg_test_waggle(&how, NULL, &err, "run bad.yaml -o bad-out -q");
        if (rc != 2 || !strstr(err, cases[i].expect))
            fail_msg("case %zu: exit %d, expected 2 and \"%s\" in:\n%s", i, rc, cases[i].expect,
                     err);
        assert_false(wg_test_exists(tmp, "bad-out"));
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_step_and_nobody_twice),
        cmocka_unit_test(test_delay),
        cmocka_unit_test(test_orders),
        cmocka_unit_test(test_cost),
        cmocka_unit_test(test_trigger_first_step),
        cmocka_unit_test(test_trigger_repeat),
        cmocka_unit_test(test_nobody_answered_same_bytes),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
