/*
 * test_sweep.c — end-to-end tests of `waggle sweep` and `waggle merge`:
 * sweep.csv's shape and its bytes at 1 and 2 threads, as 3 shards merged,
 * and after a sweep killed with SIGKILL halfway is resumed; a sweep point
 * equals `waggle run` with the same --set (common random numbers); Sobol
 * designs (ranges, integer keys rounded); merge refusing bad shard sets and
 * every bad option (exit 2, nothing written); sweep.png for one and two
 * keys, drawn again by `waggle render` with the same bytes. The MPI build is tested by
 * tests/mpi/run.sh.
 *
 * The command is found at $BUILD/waggle (default build/waggle).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "wg_test.h"

#include "waggle/sweep.h"

static char tmp[64];
static const wg_test_how in_tmp = {.dir = tmp};

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "sweep");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

static char *slurp_path(const char *path)
{
    return wg_test_slurp(path, NULL);
}

/* The text of tmp/NAME, or NULL. */
static char *slurp(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    return slurp_path(path);
}

static void write_file(const char *name, const char *text)
{
    assert_int_equal(wg_test_write(tmp, name, text), 0);
}

/* Run `waggle ARGS` in the temporary folder with stderr captured (into *err,
 * when not NULL); returns the exit status. */
#define run(err, ...) wg_test_waggle(&in_tmp, NULL, err, __VA_ARGS__)

static int exists(const char *name)
{
    return wg_test_exists(tmp, name);
}

/* tmp/A and tmp/B have the same bytes (text or binary). */
static void assert_same_file(const char *a, const char *b)
{
    char pa[256], pb[256];
    snprintf(pa, sizeof pa, "%s/%s", tmp, a);
    snprintf(pb, sizeof pb, "%s/%s", tmp, b);
    FILE *x = fopen(pa, "rb"), *y = fopen(pb, "rb");
    assert_non_null(x);
    assert_non_null(y);
    long n = 0;
    int cx, cy;
    do {
        cx = fgetc(x);
        cy = fgetc(y);
        n++;
    } while (cx == cy && cx != EOF);
    if (cx != cy) fprintf(stderr, "%s and %s differ at byte %ld\n", a, b, n);
    assert_int_equal(cx, cy);
    fclose(x);
    fclose(y);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* 3 × 3 = 9 points: a probability and the step of a respond event. */
static const char grid[] =
    "name: grid test\n"
    "steps: 30\n"
    "runs: 24\n"
    "seed: 7\n"
    "network: {generate: barabasi-albert, nodes: 1500, edges_per_node: 3}\n"
    "model:\n"
    "  share: {positive: 0.04, negative: 0.07}\n"
    "  quality: 0.95\n"
    "events:\n"
    "  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n"
    "  - {step: 0, seed: {valence: positive, count: 5, by: random}}\n"
    "  - {step: 3, respond: {count: 5, by: degree, win: 0.1, calm: 0.4}}\n"
    "sweep:\n"
    "  grid: {share.negative: [0.05, 0.1, 0.2], events.2.step: {from: 1, to: 7, count: 3}}\n";

static void test_grid_threads_and_shape(void **state)
{
    (void)state;
    write_file("grid.yaml", grid);
    assert_int_equal(run(NULL, "sweep grid.yaml -o t1 -t 1 -q"), 0);
    assert_int_equal(run(NULL, "sweep grid.yaml -o t2 -t 2 -q"), 0);
    assert_same_file("t1/sweep.csv", "t2/sweep.csv");
    assert_false(exists("t1/.sweep-journal.0"));   /* removed once the sweep is written */
    char *csv = slurp("t1/sweep.csv");
    assert_non_null(csv);
    assert_true(strncmp(csv, "point,share.negative,events.2.step,metric,mean,sd,p05,p50,p95\n",
                        62) == 0);
    assert_int_equal(count_lines(csv), 1 + 9 * 6);
    /* the last key varies fastest; integer keys print as integers */
    assert_non_null(strstr(csv, "\n0,0.05,1,reach_positive,"));
    assert_non_null(strstr(csv, "\n1,0.05,4,reach_positive,"));
    assert_non_null(strstr(csv, "\n8,0.2,7,blowup,"));
    /* blowup is a share: its mean is in [0, 1]; the means of reach_negative grow with
     * share.negative between the first and the last point of the same step */
    const char *b = strstr(csv, "\n0,0.05,1,blowup,");
    assert_non_null(b);
    double mean = strtod(b + strlen("\n0,0.05,1,blowup,"), NULL);
    assert_true(mean >= 0 && mean <= 1);
    free(csv);
    char *man = slurp("t1/manifest.yaml");
    assert_non_null(strstr(man, "\nsweep: {hash: \""));
    assert_non_null(strstr(man, "points: 9, shard: 0, shards: 1}"));
    free(man);
}

/* Mean of column col (0-based) of a finals.csv text. */
static double finals_mean(const char *text, int col)
{
    const char *p = strchr(text, '\n') + 1;
    double sum = 0;
    int n = 0;
    while (*p) {
        const char *q = p;
        for (int c = 0; c < col; c++) q = strchr(q, ',') + 1;
        sum += strtod(q, NULL);
        n++;
        p = strchr(p, '\n') + 1;
    }
    return sum / n;
}

static void test_point_equals_run(void **state)
{
    (void)state;
    /* point 5 is share.negative 0.1, events.2.step 7; a network key forces one graph per point */
    write_file("grid.yaml", grid);
    assert_int_equal(run(NULL, "sweep grid.yaml -o pt -q"), 0);
    assert_int_equal(run(NULL, "run grid.yaml -o r5 -q --set share.negative=0.1 --set "
                               "events.2.step=7"), 0);
    char *csv = slurp("pt/sweep.csv"), *fin = slurp("r5/finals.csv");
    const char *row = strstr(csv, "\n5,0.1,7,reach_negative,");
    assert_non_null(row);
    double mean = strtod(row + strlen("\n5,0.1,7,reach_negative,"), NULL);
    /* the CSV prints 10 significant digits */
    assert_true(fabs(mean - finals_mean(fin, 2)) <= 1e-9 * fabs(mean) + 1e-12);
    free(csv);
    free(fin);

    static const char net[] =
        "name: network sweep\nsteps: 20\nruns: 10\nseed: 3\n"
        "network: {generate: erdos-renyi, nodes: 400, mean_degree: 4}\n"
        "events: [{step: 0, seed: {valence: negative, count: 2, by: random}}]\n"
        "sweep: {grid: {network.nodes: [300, 600]}}\n";
    write_file("net.yaml", net);
    assert_int_equal(run(NULL, "sweep net.yaml -o nt -q"), 0);
    assert_int_equal(run(NULL, "run net.yaml -o n1 -q --set network.nodes=600"), 0);
    csv = slurp("nt/sweep.csv");
    fin = slurp("n1/finals.csv");
    row = strstr(csv, "\n1,600,reach_positive,");
    assert_non_null(row);
    const char *neg = strstr(csv, "\n1,600,reach_negative,");
    mean = strtod(neg + strlen("\n1,600,reach_negative,"), NULL);
    assert_true(fabs(mean - finals_mean(fin, 2)) <= 1e-9 * fabs(mean) + 1e-12);
    free(csv);
    free(fin);
}

static void test_shards_and_merge(void **state)
{
    (void)state;
    write_file("grid.yaml", grid);
    assert_int_equal(run(NULL, "sweep grid.yaml -o full -q"), 0);
    for (int k = 0; k < 3; k++)
        assert_int_equal(run(NULL, "sweep grid.yaml -o s%d --shard %d/3 -q", k, k), 0);
    assert_int_equal(run(NULL, "merge s2 s0 s1 -o merged"), 0);
    assert_same_file("full/sweep.csv", "merged/sweep.csv");
    char *man = slurp("merged/manifest.yaml");
    assert_non_null(strstr(man, "shard: 0, shards: 1}"));
    free(man);
    /* a merged sweep is itself a complete sweep: merging it alone gives the same bytes */
    assert_int_equal(run(NULL, "merge merged -o again"), 0);
    assert_same_file("full/sweep.csv", "again/sweep.csv");

    /* bad shard sets: exit 2, a clear message, nothing written */
    char *err;
    assert_int_equal(run(&err, "merge s0 s1 -o bad"), 2);
    assert_non_null(strstr(err, "shard 2/3 is missing"));
    free(err);
    assert_int_equal(run(&err, "merge s0 s1 s1 s2 -o bad"), 2);
    assert_non_null(strstr(err, "overlapping"));
    free(err);
    assert_int_equal(run(NULL, "sweep grid.yaml -o seed2 --shard 2/3 -s 8 -q"), 0);
    assert_int_equal(run(&err, "merge s0 s1 seed2 -o bad"), 2);
    assert_non_null(strstr(err, "seed 8"));
    free(err);
    assert_int_equal(run(NULL, "sweep grid.yaml -o other --shard 2/3 --set quality=0.8 -q"), 0);
    assert_int_equal(run(&err, "merge s0 s1 other -o bad"), 2);
    assert_non_null(strstr(err, "different scenario"));
    free(err);
    assert_int_equal(run(NULL, "sweep grid.yaml -o four --shard 2/4 -q"), 0);
    assert_int_equal(run(&err, "merge s0 s1 four -o bad"), 2);
    assert_non_null(strstr(err, "different numbers of shards"));
    free(err);
    assert_int_equal(run(&err, "merge s0 s1 nowhere -o bad"), 2);
    assert_non_null(strstr(err, "not a finished sweep folder"));
    free(err);
    /* a shard whose sweep.csv lost its last point */
    assert_int_equal(run(NULL, "sweep grid.yaml -o cut --shard 2/3 -q"), 0);
    char *c = slurp("cut/sweep.csv");
    char *last = c + strlen(c) - 1;
    for (int i = 0; i < 6; i++) {
        *last = '\0';
        last = strrchr(c, '\n');
    }
    last[1] = '\0';
    write_file("cut/sweep.csv", c);
    free(c);
    assert_int_equal(run(&err, "merge s0 s1 cut -o bad"), 2);
    assert_non_null(strstr(err, "2 points, shard 2/3 of 9 points has 3"));
    free(err);
    assert_false(exists("bad"));
}

static int journal_lines(const char *dir)
{
    char name[128];
    snprintf(name, sizeof name, "%s/.sweep-journal.0", dir);
    char *j = slurp(name);
    int n = j ? (int)count_lines(j) : 0;
    free(j);
    return n;
}

static void test_kill_and_resume(void **state)
{
    (void)state;
    /* 40 points of 60 runs on 3000 agents: long enough to kill it halfway */
    static const char big[] =
        "name: resume test\nsteps: 40\nruns: 60\nseed: 11\n"
        "network: {generate: barabasi-albert, nodes: 3000, edges_per_node: 3}\n"
        "model: {share: {positive: 0.05, negative: 0.08}, quality: 0.9}\n"
        "events: [{step: 0, seed: {valence: negative, count: 2, by: random}}]\n"
        "sweep: {grid: {share.negative: {from: 0.02, to: 0.2, count: 8}, "
        "quit.negative: [0.1, 0.15, 0.2, 0.25, 0.3]}}\n";
    write_file("big.yaml", big);
    assert_int_equal(run(NULL, "sweep big.yaml -o whole -q"), 0);

    wg_test_proc p;
    assert_int_equal(wg_test_start(&p, &in_tmp, "sweep big.yaml -o killed -q -t 1"), 0);
    /* wait for a few finished points, then kill it without warning */
    int lines = 0;
    for (int i = 0; i < 6000 && (lines = journal_lines("killed")) < 4; i++) usleep(5000);
    kill(p.pid, SIGKILL);
    assert_int_equal(wg_test_finish(&p, NULL, NULL), 128 + SIGKILL);
    lines = journal_lines("killed");
    assert_true(lines >= 4 && lines < 40);
    assert_false(exists("killed/sweep.csv"));
    /* a torn last line (a write cut short) is skipped, its point run again */
    char name[128];
    snprintf(name, sizeof name, "%s/killed/.sweep-journal.0", tmp);
    FILE *f = fopen(name, "a");
    fputs("wg1 0123456789abcdef 39 0x1p+0", f);
    fclose(f);
    char *err;
    assert_int_equal(run(&err, "sweep big.yaml -o killed --resume"), 0);
    assert_non_null(strstr(err, "resuming:"));
    assert_non_null(strstr(err, "damaged line skipped"));
    free(err);
    assert_same_file("whole/sweep.csv", "killed/sweep.csv");

    /* a journal of another sweep (here: other runs) is refused */
    assert_int_equal(wg_test_start(&p, &in_tmp, "sweep big.yaml -o killed3 -q -t 1"), 0);
    for (int i = 0; i < 6000 && journal_lines("killed3") < 1; i++) usleep(5000);
    kill(p.pid, SIGKILL);
    wg_test_finish(&p, NULL, NULL);
    assert_int_equal(run(&err, "sweep big.yaml -o killed3 --resume -r 5"), 2);
    assert_non_null(strstr(err, "belongs to another sweep"));
    free(err);
}

static void test_sobol(void **state)
{
    (void)state;
    static const char sob[] =
        "name: sobol test\nsteps: 20\nruns: 8\nseed: 5\n"
        "network: {generate: watts-strogatz, nodes: 500, neighbours: 3, rewire: 0.1}\n"
        "events:\n"
        "  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n"
        "  - {step: 2, respond: {count: 3, by: degree, win: 0.1, calm: 0.4}}\n"
        "sweep: {sobol: {points: 12, ranges: {share.negative: [0.01, 0.3], "
        "events.1.step: [1, 15]}}}\n";
    write_file("sob.yaml", sob);
    assert_int_equal(run(NULL, "sweep sob.yaml -o so1 -t 1 -q"), 0);
    assert_int_equal(run(NULL, "sweep sob.yaml -o so2 -t 2 -q"), 0);
    assert_same_file("so1/sweep.csv", "so2/sweep.csv");
    char *csv = slurp("so1/sweep.csv");
    assert_int_equal(count_lines(csv), 1 + 12 * 6);
    const char *p = strchr(csv, '\n') + 1;
    int distinct_steps = 0, seen[16] = {0};
    while (*p) {
        char *end;
        strtoul(p, &end, 10);
        double share = strtod(end + 1, &end);
        double step = strtod(end + 1, &end);
        assert_true(share >= 0.01 && share <= 0.3);
        assert_true(step >= 1 && step <= 15);
        assert_true(step == floor(step));   /* an integer key: rounded */
        assert_int_equal(*end, ',');
        if (!seen[(int)step]++) distinct_steps++;
        p = strchr(p, '\n') + 1;
    }
    assert_true(distinct_steps >= 6);   /* a quasi-random design spreads over the range */
    free(csv);
}

static void test_sweep_png(void **state)
{
    (void)state;
    /* two keys: a heat map; drawn again by `waggle render` with the same bytes */
    write_file("grid.yaml", grid);
    assert_int_equal(run(NULL, "sweep grid.yaml -o png2 -q"), 0);
    assert_true(exists("png2/sweep.png"));
    char from[256], to[256];
    snprintf(from, sizeof from, "%s/png2/sweep.png", tmp);
    snprintf(to, sizeof to, "%s/png2/first.png", tmp);
    assert_int_equal(rename(from, to), 0);
    assert_int_equal(run(NULL, "render png2"), 0);
    assert_same_file("png2/sweep.png", "png2/first.png");
    /* one key: curves against the key; three keys: no chart */
    static const char one[] =
        "name: one key\nsteps: 15\nruns: 6\nseed: 2\n"
        "network: {generate: erdos-renyi, nodes: 300, mean_degree: 4}\n"
        "events: [{step: 0, seed: {valence: negative, count: 2, by: random}}]\n"
        "sweep: {grid: {share.negative: [0.05, 0.1, 0.2]}}\n";
    write_file("one.yaml", one);
    assert_int_equal(run(NULL, "sweep one.yaml -o png1 -q"), 0);
    assert_true(exists("png1/sweep.png"));
    assert_int_equal(run(NULL, "sweep one.yaml -o png3 -q --set "
                               "'sweep.grid={share.negative: [0.1], quality: [0.9], "
                               "quit.negative: [0.2, 0.3]}'"), 0);
    assert_true(exists("png3/sweep.csv"));
    assert_false(exists("png3/sweep.png"));
}

/* The library side: the design's order and values, the hash, and every
 * allocation failure of making a design reported as WG_ENOMEM. */
static void test_design(void **state)
{
    (void)state;
    wg_scenario *s = NULL, *t = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_parse(grid, strlen(grid), "grid.yaml", NULL, NULL, 0, &s, &d),
                     WG_OK);
    wg_sweep_design z;
    assert_int_equal(wg_sweep_design_make(s, &z, &d), WG_OK);
    assert_int_equal(z.npoints, 9);
    assert_int_equal(z.naxes, 2);
    static const double want[9][2] = {{0.05, 1}, {0.05, 4}, {0.05, 7}, {0.1, 1}, {0.1, 4},
                                      {0.1, 7},  {0.2, 1},  {0.2, 4},  {0.2, 7}};
    for (int p = 0; p < 9; p++) {
        assert_true(z.values[p * 2] == want[p][0]);
        assert_true(z.values[p * 2 + 1] == want[p][1]);
    }
    wg_sweep_design_free(&z);
    for (long k = 1; k < 8; k++) {
        wg_malloc_fail_after(k);
        wg_status st = wg_sweep_design_make(s, &z, &d);
        wg_malloc_fail_after(0);
        assert_true(st == WG_OK || st == WG_ENOMEM);
        wg_sweep_design_free(&z);
    }
    /* the hash changes with the seed and with a swept range */
    const char *seed8 = "seed=8";
    assert_int_equal(wg_scenario_parse(grid, strlen(grid), "grid.yaml", NULL, &seed8, 1, &t, &d),
                     WG_OK);
    assert_true(wg_sweep_hash(s) != wg_sweep_hash(t));
    assert_true(wg_sweep_hash(s) == wg_sweep_hash(s));
    wg_scenario_free(t);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

static void test_bad_input(void **state)
{
    (void)state;
    write_file("grid.yaml", grid);
    char *err;
    assert_int_equal(run(&err, "sweep grid.yaml -o b1 --shard 3/3"), 2);
    assert_non_null(strstr(err, "0 <= K < N"));
    free(err);
    assert_int_equal(run(&err, "sweep grid.yaml -o b1 --shard two"), 2);
    free(err);
    assert_int_equal(run(&err, "sweep grid.yaml -o b1 --shard"), 2);
    free(err);
    write_file("nosweep.yaml", "name: n\nnetwork: {generate: ring, nodes: 10}\n");
    assert_int_equal(run(&err, "sweep nosweep.yaml -o b1"), 2);
    assert_non_null(strstr(err, "no sweep: section"));
    free(err);
    assert_int_equal(run(&err, "sweep grid.yaml -o b1 --set events.2.step=99"), 2);
    free(err);
    assert_int_equal(run(&err, "merge"), 2);
    assert_non_null(strstr(err, "no shard folders"));
    free(err);
    assert_int_equal(run(&err, "merge --frob x"), 2);
    free(err);
    assert_false(exists("b1"));
    assert_false(exists("out"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_threads_and_shape),
        cmocka_unit_test(test_point_equals_run),
        cmocka_unit_test(test_shards_and_merge),
        cmocka_unit_test(test_kill_and_resume),
        cmocka_unit_test(test_sobol),
        cmocka_unit_test(test_sweep_png),
        cmocka_unit_test(test_design),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
