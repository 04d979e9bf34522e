/*
 * test_cli.c — end-to-end tests of the `waggle` command: outputs and their
 * columns, byte-identical results at 1, 2 and 8 threads, --set, help, and
 * every bad input of the foundation (clear message, exit 2, nothing written).
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
#include <zlib.h>
#include <cmocka.h>

#include "wg_test.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "cli");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static char *slurp(const char *path)
{
    return wg_test_slurp(path, NULL);
}

static void write_file(const char *name, const char *text)
{
    assert_int_equal(wg_test_write(tmp, name, text), 0);
}

/* Run `waggle ARGS` from the repository root with stdout and stderr captured
 * (into *out and *err, when not NULL); returns the exit status. */
#define run(out, err, ...) wg_test_waggle(NULL, out, err, __VA_ARGS__)

static int exists(const char *name)
{
    return wg_test_exists(tmp, name);
}

static const char small[] =
    "name: small test\n"
    "steps: 25\n"
    "runs: 16\n"
    "seed: 42\n"
    "network: {generate: barabasi-albert, nodes: 3000, edges_per_node: 3}\n"
    "model:\n"
    "  share: {positive: 0.05, negative: 0.08}\n"
    "  quality: 0.9\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n"
    "  - {step: 0, seed: {valence: positive, count: 3, by: degree}}\n";

static void test_help_and_version(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run(&out, NULL, "--help"), 0);
    assert_non_null(strstr(out, "run"));
    assert_non_null(strstr(out, "check"));
    free(out);
    assert_int_equal(run(&out, NULL, "--version"), 0);
    assert_non_null(strstr(out, "waggle "));
    free(out);
    const char *cmds[] = {"run", "check", "net"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(run(&out, NULL, "%s --help", cmds[i]), 0);
        assert_non_null(strstr(out, "usage: waggle"));
        free(out);
    }
    char *err;
    assert_int_equal(run(NULL, &err, "frobnicate"), 2);
    assert_non_null(strstr(err, "unknown command"));
    free(err);
    assert_int_equal(run(NULL, &err, "run"), 2);
    assert_non_null(strstr(err, "no scenario"));
    free(err);
}

static void test_outputs_and_threads(void **state)
{
    (void)state;
    write_file("small.yaml", small);
    const char *names[] = {"series.csv", "finals.csv", "summary.csv"};
    char *first[3] = {NULL, NULL, NULL};
    const int threads[] = {1, 2, 8};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(run(NULL, NULL, "run %s/small.yaml -o %s/t%d -t %d --quiet", tmp, tmp,
                             threads[k], threads[k]), 0);
        for (int i = 0; i < 3; i++) {
            char path[256];
            snprintf(path, sizeof path, "%s/t%d/%s", tmp, threads[k], names[i]);
            char *s = slurp(path);
            assert_non_null(s);
            if (k == 0) first[i] = s;
            else {
                if (strcmp(first[i], s) != 0) fail_msg("%s differs at -t %d", names[i], threads[k]);
                free(s);
            }
        }
    }
    static const char *const headers[3] = {
        "run,step,unaware,advocates,critics,supporters,rejecters,immune,new_positive,"
        "new_negative,exposures_positive,exposures_negative\n",
        "run,reach_positive,reach_negative,peak_critics,peak_step,steps",
        "step,metric,mean,sd,p05,p25,p50,p75,p95\n"};
    for (int i = 0; i < 3; i++)
        if (strncmp(first[i], headers[i], strlen(headers[i])) != 0)
            fail_msg("%s starts with the wrong header", names[i]);
    /* 16 runs × 25 steps plus the header */
    int lines = 0;
    for (char *p = first[0]; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 1 + 16 * 25);
    for (int i = 0; i < 3; i++) free(first[i]);
    char path[256];
    snprintf(path, sizeof path, "%s/t1/manifest.yaml", tmp);
    char *m = slurp(path);
    assert_non_null(m);
    assert_non_null(strstr(m, "seed: 42"));
    assert_non_null(strstr(m, "nodes: 3000"));
    assert_non_null(strstr(m, "small test"));
    free(m);
}

static void test_set_overrides(void **state)
{
    (void)state;
    write_file("small.yaml", small);
    assert_int_equal(run(NULL, NULL, "run %s/small.yaml -o %s/set --quiet --set steps=5 -r 3 "
                         "--set share.negative=0.2 --set network.nodes=500", tmp, tmp), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/set/series.csv", tmp);
    char *s = slurp(path);
    int lines = 0;
    for (char *p = s; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 1 + 3 * 5);
    /* 500 agents at step 0 of run 0 */
    char *row = strstr(s, "\n0,0,");
    assert_non_null(row);
    unsigned v[8];
    assert_int_equal(sscanf(row + 5, "%u,%u,%u,%u,%u,%u", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]),
                     6);
    assert_int_equal(v[0] + v[1] + v[2] + v[3] + v[4] + v[5], 500);
    free(s);
    char *err;
    assert_int_equal(run(NULL, &err, "run %s/small.yaml -o %s/set2 --set share.negative=2", tmp,
                         tmp), 2);
    assert_non_null(strstr(err, "share.negative"));
    assert_false(exists("set2"));
    free(err);
}

/* A bad input to `waggle COMMAND`: exit 2, the message names what is wrong, nothing written. */
static void expect_bad_with(const char *command, const char *scenario_text, const char *needle)
{
    write_file("bad.yaml", scenario_text);
    char *err;
    int rc = run(NULL, &err, "%s %s/bad.yaml -o %s/badout --quiet", command, tmp, tmp);
    if (rc != 2 || !strstr(err, needle))
        fail_msg("expected exit 2 and '%s', got %d and:\n%s", needle, rc, err);
    assert_false(exists("badout"));
    free(err);
}

static void expect_bad(const char *scenario_text, const char *needle)
{
    expect_bad_with("run", scenario_text, needle);
}

static void test_bad_scenarios(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(run(NULL, &err, "run %s/nope.yaml -o %s/badout", tmp, tmp), 2);
    assert_non_null(strstr(err, "nope.yaml"));
    assert_false(exists("badout"));
    free(err);
    expect_bad("name: x\nsteps: 10\nnetwork: {generate: ring, nodes: 10}\nmodle: {quality: 1}\n",
               "bad.yaml:4:1");
    expect_bad("name: x\nnetwork: {generate: ring, nodes: 10}\nmodel:\n  quality: 1.5\n",
               "bad.yaml:4:12");
    expect_bad("name: x\nruns: -5\nnetwork: {generate: ring, nodes: 10}\n", "bad.yaml:2:7");
    expect_bad("name: x\nnetwork: {file: missing.txt}\n", "missing.txt");
    expect_bad("name: x\nnetwork: {generate: ring, nodes: 10}\n"
               "events:\n  - {step: 0, seed: {valence: negative, count: 11, by: random}}\n",
               "larger than the 10 agents");
}

static void write_gz(const char *name, const char *text, size_t cut)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    gzFile g = gzopen(path, "wb");
    gzputs(g, text);
    gzclose(g);
    if (cut) {
        struct stat sb;
        stat(path, &sb);
        assert_int_equal(truncate(path, sb.st_size - (off_t)cut), 0);
    }
}

static void test_bad_networks(void **state)
{
    (void)state;
    write_file("loop.txt", "1 2\n2 3\n3 3\n");
    expect_bad("name: x\nnetwork: {file: loop.txt, self_loops: error}\n", "loop.txt:3");
    write_file("dup.txt", "1 2\n2 3\n2 1\n");
    expect_bad("name: x\nnetwork: {file: dup.txt, duplicates: error}\n", "dup.txt:3");
    write_file("big.txt", "1 2\n2 4294967295\n");
    expect_bad("name: x\nnetwork: {file: big.txt}\n", "4294967295");
    /* a long enough body that cutting its tail loses data */
    char body[20000];
    body[0] = '\0';
    for (int i = 0; i < 1500; i++) {
        char line[32];
        snprintf(line, sizeof line, "%d %d\n", i, i + 1);
        strcat(body, line);
    }
    write_gz("cut.txt.gz", body, 12);
    expect_bad("name: x\nnetwork: {file: cut.txt.gz}\n", "cut.txt.gz");
    /* and the same file whole, dropping loops with a note, runs */
    write_gz("whole.txt.gz", body, 0);
    write_file("ok.yaml", "name: x\nsteps: 3\nruns: 2\nnetwork: {file: whole.txt.gz}\n"
                          "events: [{step: 0, seed: {valence: positive, by: id, ids: [7]}}]\n");
    assert_int_equal(run(NULL, NULL, "run %s/ok.yaml -o %s/okout --quiet", tmp, tmp), 0);
    assert_true(exists("okout/series.csv"));
}

/* The timeline's keys: each mistake at its line and column, through run and compare. */
static void test_bad_timelines(void **state)
{
    (void)state;
#define TL "name: x\nsteps: 10\nnetwork: {generate: ring, nodes: 10}\n" \
           "segments: [{name: fans, pick: {by: id, ids: [1, 2]}}]\nevents:\n"
    static const struct { const char *event, *needle; } cases[] = {
        {"  - {step: 0, sed: {valence: negative, count: 1}}",
         "bad.yaml:6:15: events.0.sed: unknown event type, did you mean 'seed'?"},
        {"  - {step: 12, seed: {valence: negative, count: 1}}",
         "bad.yaml:6:12: events.0.step: step 12 is beyond the last step 9"},
        {"  - {step: 0, seed: {valence: negative, count: 11, by: random}}",
         "bad.yaml:6:48: events.0.seed.count: count 11 is larger than the 10 agents"},
        {"  - {step: 1, respond: {count: 2, by: degree, win: 0.7, calm: 0.5}}",
         "bad.yaml:6:24: events.0.respond: win + calm must be at most 1"},
        {"  - {step: 1, seed: {valence: positive, count: 1, by: segment, segment: fanz}}",
         "bad.yaml:6:73: events.0.seed.segment: no segment named 'fanz', did you mean 'fans'?"},
        {"  - {step: 1, set: {key: quality, value: 0.5, segment: fanz}}",
         "bad.yaml:6:56: events.0.set.segment: no segment named 'fanz'"},
        {"  - {step: 1, seed: {valence: positive, by: id, ids: [3, 10]}}",
         "bad.yaml:6:54: events.0.seed.ids: id 10 is not in the network"},
    };
    char text[1024];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(text, sizeof text, TL "%s\nvariants: [{name: v}]\n", cases[i].event);
        expect_bad_with("run", text, cases[i].needle);
        expect_bad_with("compare", text, cases[i].needle);
    }
    /* a variant's own event, found only against the network */
    expect_bad_with("compare",
                    TL "  - {step: 0, seed: {valence: negative, count: 1}}\n"
                    "variants:\n  - {name: v, events: [{step: 2, respond: {count: 20, by: degree, "
                    "win: 0.1, calm: 0.1}}]}\n",
                    "bad.yaml:8:51: events.1.respond.count: count 20 is larger");
    expect_bad_with("compare", TL "  - {step: 0, seed: {valence: negative, count: 1}}\n",
                    "no variants to compare");
#undef TL
}

/* waggle compare: the folder layout, zero differences for a variant equal
 * to the base, a variant on a bigger network, and the same bytes at 1 and 2
 * threads. */
static void test_compare(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof text, "%s"
             "  - {step: 12, respond: {count: 20, by: degree, win: 0.2, calm: 0.5}}\n"
             "variants:\n"
             "  - {name: Same as base}\n"
             "  - {name: \"Answer early, loud\", set: {events.2.step: 2}}\n"
             "  - {name: bigger, set: {network.nodes: 4000}}\n", small);
    write_file("cmp.yaml", text);
    char *out = NULL, *err = NULL;
    assert_int_equal(run(&out, &err, "compare %s/cmp.yaml -o %s/cmp1 -t 1", tmp, tmp), 0);
    assert_non_null(strstr(out, "Answer early, loud (vs base, 16 run pairs)"));
    free(out);
    free(err);
    assert_int_equal(run(NULL, NULL, "compare %s/cmp.yaml -o %s/cmp2 -t 2 --quiet", tmp, tmp), 0);
    static const char *const files[] = {
        "compare.csv", "compare-series.csv", "blowup.csv", "manifest.yaml", "compare.png",
        "base/series.csv", "base/summary.csv", "base/finals.csv", "base/manifest.yaml",
        "same-as-base/series.csv", "answer-early-loud/finals.csv", "bigger/series.csv",
    };
    char path[256], path2[256];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "cmp1/%s", files[i]);
        if (!exists(path)) fail_msg("%s is missing", path);
    }
    snprintf(path, sizeof path, "%s/cmp1/compare.csv", tmp);
    snprintf(path2, sizeof path2, "%s/cmp2/compare.csv", tmp);
    char *c1 = slurp(path), *c2 = slurp(path2);
    assert_string_equal(c1, c2);
    static const char columns[] =
        "variant,metric,base_mean,variant_mean,diff_mean,diff_lo,diff_hi,p_better,p_better_lo,"
        "p_better_hi\n";
    assert_true(strncmp(c1, columns, sizeof columns - 1) == 0);
    /* 3 variants × (5 paired metrics + reach_negative_p95, saved, lost) */
    int rows = 0;
    for (const char *p = c1; *p; p++) rows += *p == '\n';
    assert_int_equal(rows, 1 + 3 * 8);
    assert_non_null(strstr(c1, "Same as base,reach_negative,"));
    assert_non_null(strstr(c1, "\"Answer early, loud\",peak_critics,"));
    /* the identical variant: difference 0, interval [0, 0], p_better one half (its Wilson
     * interval over 16 pairs follows); no agent saved or lost, the same 95th percentile */
    int same = 0;
    for (const char *p = strstr(c1, "Same as base,"); p && strncmp(p, "Same as base,", 13) == 0;
         p = strchr(p, '\n') + 1) {
        const char *tail = strchr(p, '\n');
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)(tail - p), p);
        if (strstr(line, ",reach_negative_p95,")) {
            assert_non_null(strstr(line, ",0,0,0,NaN,NaN,NaN"));
        } else if (strstr(line, ",saved,") || strstr(line, ",lost,")) {
            assert_non_null(strstr(line, ",NaN,NaN,0,0,0,NaN,NaN,NaN"));
        } else {
            char *cut = strrchr(line, ',');
            *cut = '\0';
            cut = strrchr(line, ',');
            *cut = '\0';
            size_t len = strlen(line);
            assert_true(len > 10 && strcmp(line + len - 10, ",0,0,0,0.5") == 0);
        }
        same++;
    }
    assert_int_equal(same, 8);
    /* a variant on another network (4000 agents, not the base's 3000): no agent-by-agent
     * saved and lost */
    assert_non_null(strstr(c1, "\nbigger,saved,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN\n"));
    assert_null(strstr(c1, "Answer early, loud\",saved,NaN,NaN,NaN"));
    /* the early answer's final difference of negative reach, as compare.csv has it */
    const char *early = strstr(c1, "\"Answer early, loud\",reach_negative,");
    assert_non_null(early);
    char diff_neg[64];
    assert_int_equal(sscanf(early + strlen("\"Answer early, loud\",reach_negative,"),
                            "%*[^,],%*[^,],%63[^,]", diff_neg), 1);
    free(c1);
    free(c2);
    /* compare-series.csv: the paired difference per step, the same bytes at 1 and 2 threads */
    snprintf(path, sizeof path, "%s/cmp1/compare-series.csv", tmp);
    snprintf(path2, sizeof path2, "%s/cmp2/compare-series.csv", tmp);
    c1 = slurp(path);
    c2 = slurp(path2);
    assert_string_equal(c1, c2);
    static const char shead[] = "variant,step,metric,diff_mean,diff_lo,diff_hi\n"
                                "Same as base,0,critics,0,0,0\n";
    assert_true(strncmp(c1, shead, sizeof shead - 1) == 0);
    /* the answer moved to step 2: steps 0 and 1 are the base's; the last step's difference
     * of negative reach is compare.csv's */
    assert_non_null(strstr(c1, "\n\"Answer early, loud\",1,reach_negative,0,0,0\n"));
    char last[128];
    snprintf(last, sizeof last, "\n\"Answer early, loud\",24,reach_negative,%s,", diff_neg);
    assert_non_null(strstr(c1, last));
    free(c1);
    free(c2);
    snprintf(path, sizeof path, "%s/cmp1/blowup.csv", tmp);
    c1 = slurp(path);
    static const char head[] =
        "variant,folder,threshold,agents_over,runs,blowups,share,lo,hi\nbase,base,0.01,30,16,";
    assert_true(strncmp(c1, head, sizeof head - 1) == 0);
    assert_non_null(strstr(c1, "\nbigger,bigger,0.01,40,16,"));
    free(c1);
    /* the bigger network really is bigger: 4000 agents at step 0 */
    snprintf(path, sizeof path, "%s/cmp1/bigger/manifest.yaml", tmp);
    c1 = slurp(path);
    assert_non_null(strstr(c1, "nodes: 4000"));
    assert_non_null(strstr(c1, "blowup: {threshold: 0.01, agents_over: 40, runs: 16,"));
    free(c1);
    /* waggle run reports the blow-up share too */
    assert_int_equal(run(NULL, &err, "run %s/cmp.yaml -o %s/cmprun", tmp, tmp), 0);
    assert_non_null(strstr(err, "blow-ups: "));
    assert_non_null(strstr(err, "95 % Wilson interval"));
    free(err);
    snprintf(path, sizeof path, "%s/cmprun/manifest.yaml", tmp);
    c1 = slurp(path);
    assert_non_null(strstr(c1, "blowup: {threshold: 0.01, agents_over: 30, runs: 16,"));
    free(c1);
}

static void test_check_reports_all(void **state)
{
    (void)state;
    write_file("three.yaml", "name: x\nsteps: 0\nnetwork: {generate: ring, nodes: 10}\n"
                             "model: {quality: 2, contact: sometimes}\n");
    char *err;
    assert_int_equal(run(NULL, &err, "check %s/three.yaml", tmp), 2);
    assert_non_null(strstr(err, "3 errors"));
    assert_non_null(strstr(err, "three.yaml:2:"));
    assert_non_null(strstr(err, "three.yaml:4:"));
    free(err);
    write_file("small.yaml", small);
    char *out;
    assert_int_equal(run(&out, NULL, "check %s/small.yaml --network", tmp), 0);
    assert_non_null(strstr(out, "valid"));
    free(out);
}

/* The scenarios shipped in scenarios/ stay valid, networks and picks included, and each
 * case has its standing-policy variants (scenarios/README.md measures them). */
static void test_case_scenarios(void **state)
{
    (void)state;
    static const char *const cases[] = {"one-bad-experience", "united-breaks-guitars",
                                        "coke-fan-page", "ford-fiesta", "threadless",
                                        "every-lever", "demo", "my-sweep", "how-fast",
                                        "karate-classroom"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL, *err = NULL, path[128];
        snprintf(path, sizeof path, "scenarios/%s.yaml", cases[i]);
        int rc = run(&out, &err, "check %s --network", path);
        if (rc != 0) print_error("%s: %s\n", path, err ? err : "");
        assert_int_equal(rc, 0);
        assert_non_null(strstr(out, "valid"));
        free(out);
        free(err);
        char *text = slurp(path);
        assert_non_null(text);
        if (i < 6) {   /* the cases: answering within 1 step and within 10, 20 a step */
            assert_non_null(strstr(text, "policy: {delay: 1, per_step: 20, by: first}"));
            assert_non_null(strstr(text, "policy: {delay: 10, per_step: 20, by: first}"));
        }
        free(text);
        /* and the cases' README tells its story: it names the file */
        if (strcmp(cases[i], "demo") != 0 && strcmp(cases[i], "my-sweep") != 0) {
            char *readme = slurp("scenarios/README.md"), name[64];
            assert_non_null(readme);
            snprintf(name, sizeof name, "`%s.yaml`", cases[i]);
            if (!strstr(readme, name)) fail_msg("scenarios/README.md does not name %s", name);
            free(readme);
        }
    }
}

static void test_net(void **state)
{
    (void)state;
    write_file("karate.yaml", "name: karate\nnetwork: {generate: famous, name: karate}\n");
    char *out;
    assert_int_equal(run(&out, NULL, "net %s/karate.yaml", tmp), 0);
    assert_non_null(strstr(out, "nodes              34\n"));
    assert_non_null(strstr(out, "edges              78 (undirected)"));
    assert_non_null(strstr(out, "components         1 "));
    free(out);
    write_file("tri.txt", "# a triangle and a pendant\n10 20\n20 30\n30 10\n30 40\n");
    assert_int_equal(run(&out, NULL, "net %s/tri.txt", tmp), 0);
    assert_non_null(strstr(out, "nodes              4\n"));
    assert_non_null(strstr(out, "degree max         3\n"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_outputs_and_threads),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_bad_scenarios),
        cmocka_unit_test(test_bad_networks),
        cmocka_unit_test(test_bad_timelines),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_check_reports_all),
        cmocka_unit_test(test_case_scenarios),
        cmocka_unit_test(test_net),
    };
    return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
