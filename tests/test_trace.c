/*
 * test_trace.c — traced runs (DESIGN.md, `trace:`): the recorder never
 * changes a run's counts, the records agree with series.csv, every parent is
 * an in-neighbour of its child reached earlier and one generation before,
 * a hand-computed path checked agent by agent, the choice of the traced runs
 * (indices, median, p95), and the bad inputs (a run that does not exist:
 * exit 2, nothing written).
 *
 * Scenarios are scenario text run through the job, as the command runs them;
 * the checks read the job's records (wg_job_trace) and, for the files, the
 * command's output folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "waggle/job.h"
#include "waggle/output.h"
#include "wg_test.h"

static char tmp[128];

static wg_job *run_text(const char *text)
{
    wg_diag d;
    wg_job *j = NULL;
    wg_diag_init(&d);
    wg_status st = wg_job_open_text(text, strlen(text), "test.yaml", tmp, NULL, 0, &j, &d);
    if (st == WG_OK) st = wg_job_run(j, NULL, &d);
    if (st != WG_OK && d.count) fprintf(stderr, "%s\n", d.items[0].text);
    assert_int_equal(st, WG_OK);
    wg_diag_free(&d);
    return j;
}

/* The counts of run r at step t of a job. */
static const uint32_t *row_of(const wg_job *j, uint32_t r, uint32_t t)
{
    uint32_t runs, steps;
    const uint32_t *c = wg_job_series(j, &runs, &steps);
    return c + ((size_t)r * steps + t) * WG_NCOUNTS;
}

/* 1 when a is an in-neighbour of b (an arc a -> b). */
static int arc(const wg_graph *g, uint32_t a, uint32_t b)
{
    for (uint64_t k = g->out_off[a]; k < g->out_off[a + 1]; k++)
        if (g->out_adj[k] == b) return 1;
    return 0;
}

/* Every invariant of one traced run of job j (the i-th). With forgetting
 * (`forgets`), a parent may have forgotten and been reached again since it
 * talked: its record is then of its later reach, so the parent's step and
 * generation are not checked. */
static void check_trace(const wg_job *j, size_t i, int forgets)
{
    uint32_t run, runs, steps;
    const uint8_t *state;
    const wg_trace_rec *rec;
    const wg_graph *g = wg_job_graph(j);
    wg_job_series(j, &runs, &steps);
    assert_true(i < wg_job_trace(j, i, &run, &state, &rec));
    const uint32_t *last = row_of(j, run, steps - 1);
    uint32_t count[WG_NSTATES] = {0}, by_source[WG_NSOURCES] = {0}, reached = 0;
    for (uint32_t a = 0; a < g->n; a++) {
        count[state[a]]++;
        const wg_trace_rec *r = &rec[a];
        wg_source src = wg_trace_source(r);
        by_source[src]++;
        int in = state[a] != WG_UNAWARE && state[a] != WG_IMMUNE;
        /* in the reach exactly when the record has a source */
        assert_int_equal(in, src != WG_SRC_NONE);
        if (!in) {
            assert_int_equal(r->step_reached, WG_TRACE_NONE);
            assert_int_equal(r->parent, WG_TRACE_NONE);
            continue;
        }
        reached++;
        assert_true(r->step_reached < steps);
        if (src == WG_SRC_WORD_OF_MOUTH) {
            assert_int_not_equal(r->parent, WG_TRACE_NONE);
            const wg_trace_rec *p = &rec[r->parent];
            assert_true(arc(g, r->parent, a));
            if (forgets) continue;
            /* reached earlier: a seed talks in its own step, others from the next */
            if (wg_trace_source(p) == WG_SRC_SEED) assert_true(p->step_reached <= r->step_reached);
            else assert_true(p->step_reached < r->step_reached);
            assert_int_equal(wg_trace_generation(r), wg_trace_generation(p) + 1);
        } else {
            assert_int_equal(r->parent, WG_TRACE_NONE);
            assert_int_equal(wg_trace_generation(r), 0);
        }
    }
    for (int k = 0; k < WG_NSTATES; k++) assert_int_equal(count[k], last[k]);
    /* summary.csv's reach by source (the engine's counters, cumulative) is
     * the trace's, source by source and valence by valence, when nobody
     * left the reach */
    if (!forgets)
        for (int m = WG_M_FROM; m < WG_M_FROM_END; m++) {
            const int k = m - WG_M_FROM, v = k < 4 ? WG_NEG : WG_POS;
            uint32_t want = 0;
            for (uint32_t a = 0; a < g->n; a++)
                want += wg_trace_source(&rec[a]) == (wg_source)(WG_SRC_SEED + k % 4) &&
                        wg_trace_valence(&rec[a]) == v;
            assert_int_equal(wg_metric_value(wg_job_results(j), run, steps - 1, m), want);
        }
    /* step by step (when nobody left the reach): the agents reached by the end of
     * step t, by valence, are series.csv's reach of row t */
    for (uint32_t t = 0; !forgets && t < steps; t++) {
        const uint32_t *row = row_of(j, run, t);
        uint32_t have[2] = {0, 0};
        for (uint32_t a = 0; a < g->n; a++)
            if (rec[a].step_reached != WG_TRACE_NONE && rec[a].step_reached <= t)
                have[wg_trace_valence(&rec[a])]++;
        assert_int_equal(have[WG_POS], row[WG_C_ADVOCATES] + row[WG_C_SUPPORTERS]);
        assert_int_equal(have[WG_NEG], row[WG_C_CRITICS] + row[WG_C_REJECTERS]);
    }
    /* reach by source sums to the reach of series.csv's last row */
    uint32_t sum = 0;
    for (int k = 1; k < WG_NSOURCES; k++) sum += by_source[k];
    assert_int_equal(sum, reached);
    assert_int_equal(reached, last[WG_C_ADVOCATES] + last[WG_C_CRITICS] +
                                  last[WG_C_SUPPORTERS] + last[WG_C_REJECTERS]);
}

/* 0 - 1 - 2 - 3, share 1, nobody quits, agent 0 seeded: worked by hand.
 * Step 0: 0 tells 1. Step 1: 0 -> 1 (aware), 1 -> 0, 1 tells 2. Step 2:
 * 2 tells 3; 1 hears from 0 and 2 ... Exposures are the contacts each
 * receives: agent 1 from 0 at steps 0-3 and from 2 at steps 2-3. */
static void test_path_by_hand(void **state)
{
    (void)state;
    wg_job *j = run_text("name: path\nsteps: 4\nruns: 1\nseed: 7\n"
                         "network: {generate: path, nodes: 4}\n"
                         "model: {share: {negative: 1}, quit: {negative: 0}}\n"
                         "events:\n  - {step: 0, seed: {valence: negative, by: id, ids: [0]}}\n"
                         "trace: {runs: [0]}\n");
    uint32_t run;
    const uint8_t *st;
    const wg_trace_rec *rec;
    assert_int_equal(wg_job_trace(j, 0, &run, &st, &rec), 1);
    assert_int_equal(run, 0);
    static const uint32_t step[4] = {0, 0, 1, 2}, parent[4] = {WG_TRACE_NONE, 0, 1, 2};
    static const unsigned gen[4] = {0, 1, 2, 3}, talked[4] = {4, 3, 2, 1}, expo[4] = {3, 6, 4, 2};
    static const wg_source src[4] = {WG_SRC_SEED, WG_SRC_WORD_OF_MOUTH, WG_SRC_WORD_OF_MOUTH,
                                     WG_SRC_WORD_OF_MOUTH};
    for (int a = 0; a < 4; a++) {
        assert_int_equal(st[a], WG_CRITIC);
        assert_int_equal(rec[a].step_reached, step[a]);
        assert_int_equal(rec[a].parent, parent[a]);
        assert_int_equal(wg_trace_generation(&rec[a]), gen[a]);
        assert_int_equal(wg_trace_source(&rec[a]), src[a]);
        assert_int_equal(wg_trace_valence(&rec[a]), WG_NEG);
        assert_int_equal(rec[a].talked_steps, talked[a]);
        assert_int_equal(rec[a].exposures, expo[a]);
    }
    check_trace(j, 0, 0);
    wg_job_free(j);
}

/* The invariants on richer cases: both valences, quality, media (sources
 * seed, word of mouth, media), forgetting, stifling, contact one, and the
 * fractional exposure; quantile picks. */
static void test_invariants(void **state)
{
    (void)state;
    static const char *const models[] = {
        "model: {share: {positive: 0.08, negative: 0.1}, quit: {positive: 0.3, negative: 0.25}, "
        "quality: 0.8, media: {negative: 0.002}}\n",
        "model: {share: {positive: 0.1, negative: 0.1}, quit: {positive: 0.2, negative: 0.2}, "
        "forget: 0.05, stifle: 0.1}\n",
        "model: {contact: one, share: {positive: 0.6, negative: 0.7}, quit: {positive: 0.2, "
        "negative: 0.2}, media: {positive: 0.001}}\n",
        "model: {exposure: fractional, share: {positive: 0.5, negative: 0.6}, quit: {positive: "
        "0.3, negative: 0.3}, media: {negative: 0.001}}\n",
    };
    for (size_t m = 0; m < sizeof models / sizeof *models; m++) {
        char text[2048];
        snprintf(text, sizeof text,
                 "name: mix\nsteps: 30\nruns: 9\nseed: 11\n"
                 "network: {generate: barabasi-albert, nodes: 3000, edges_per_node: 3}\n%s"
                 "events:\n  - {step: 0, seed: {valence: negative, count: 2, by: random}}\n"
                 "  - {step: 1, seed: {valence: positive, count: 3, by: random}}\n"
                 "trace: {runs: [median, p95, 4, max, 4]}\n",
                 models[m]);
        wg_job *j = run_text(text);
        size_t n = wg_job_trace(j, 0, NULL, NULL, NULL);
        assert_true(n >= 2 && n <= 4);   /* 4 named twice; quantiles may coincide */
        int media = 0;
        for (size_t i = 0; i < n; i++) {
            check_trace(j, i, strstr(models[m], "forget") != NULL);
            const wg_trace_rec *rec;
            wg_job_trace(j, i, NULL, NULL, &rec);
            for (uint32_t a = 0; a < wg_job_graph(j)->n; a++)
                media += wg_trace_source(&rec[a]) == WG_SRC_MEDIA;
        }
        if (strstr(models[m], "media: {negative")) assert_true(media > 0);
        wg_job_free(j);
    }
}

/* The median and p95 picks: the runs of the nearest rank of the final
 * negative reach, ties by index. */
static void test_quantile_picks(void **state)
{
    (void)state;
    wg_job *j = run_text("name: picks\nsteps: 20\nruns: 21\nseed: 3\n"
                         "network: {generate: barabasi-albert, nodes: 500, edges_per_node: 2}\n"
                         "model: {share: {negative: 0.15}, quit: {negative: 0.3}}\n"
                         "events:\n  - {step: 0, seed: {valence: negative, count: 1}}\n"
                         "trace: {runs: [median, p95, p05]}\n");
    uint32_t reach[21], order[21];
    for (uint32_t r = 0; r < 21; r++) {
        const uint32_t *last = row_of(j, r, 19);
        reach[r] = last[WG_C_CRITICS] + last[WG_C_REJECTERS];
        order[r] = r;
    }
    for (int a = 0; a < 21; a++)   /* sort by (reach, index) */
        for (int b = a + 1; b < 21; b++)
            if (reach[order[b]] < reach[order[a]] ||
                (reach[order[b]] == reach[order[a]] && order[b] < order[a])) {
                uint32_t x = order[a];
                order[a] = order[b];
                order[b] = x;
            }
    uint32_t want[3] = {order[10], order[19], order[1]}, got[3];
    size_t n = wg_job_trace(j, 0, NULL, NULL, NULL), k = 0;
    for (size_t i = 0; i < n; i++) wg_job_trace(j, i, &got[i], NULL, NULL);
    for (int i = 0; i < 3; i++) {
        if (i && (want[i] == want[0] || (i == 2 && want[2] == want[1]))) continue;
        assert_int_equal(got[k++], want[i]);
    }
    assert_int_equal(k, n);
    wg_job_free(j);
}

/* The command: trace files written, series.csv the same bytes as without
 * a trace; a run that does not exist is refused, exit 2, nothing written. */
static void test_command(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(wg_test_write(tmp, "s.yaml",
                                   "name: cmd\nsteps: 25\nruns: 6\nseed: 5\n"
                                   "network: {generate: barabasi-albert, nodes: 800, "
                                   "edges_per_node: 3}\n"
                                   "model: {share: {positive: 0.1, negative: 0.12}, quit: "
                                   "{positive: 0.3, negative: 0.3}, media: {negative: 0.001}}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, count: 1}}\n"
                                   "  - {step: 0, seed: {valence: positive, count: 2}}\n"),
                     0);
    assert_int_equal(wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, &err,
                                 "run s.yaml -o plain -q -t 2"),
                     0);
    free(err);
    assert_int_equal(wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, &err,
                                 "run s.yaml -o traced -q -t 2 --trace median,1,p95"),
                     0);
    free(err);
    char path[256];
    size_t la, lb;
    snprintf(path, sizeof path, "%s/plain/series.csv", tmp);
    char *a = wg_test_slurp(path, &la);
    snprintf(path, sizeof path, "%s/traced/series.csv", tmp);
    char *b = wg_test_slurp(path, &lb);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
    assert_true(wg_test_exists(tmp, "traced/trace-1.csv"));
    snprintf(path, sizeof path, "%s/traced/trace-1.csv", tmp);
    char *t = wg_test_slurp(path, NULL);
    assert_non_null(t);
    static const char head[] = "agent,id,state,valence,step_reached,source,parent,generation,"
                               "talked_steps,exposures\n0,0,";
    assert_true(strncmp(t, head, sizeof head - 1) == 0);
    size_t lines = 0;
    for (char *p = t; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 801);
    free(t);
    /* bad: run 6 of 6 runs, in the file and on the command line */
    assert_int_equal(wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, &err,
                                 "run s.yaml -o bad1 -q --trace 6"),
                     2);
    assert_non_null(strstr(err, "run 6 does not exist"));
    free(err);
    assert_false(wg_test_exists(tmp, "bad1"));
    assert_int_equal(wg_test_write(tmp, "b.yaml",
                                   "name: bad\nsteps: 5\nruns: 3\n"
                                   "network: {generate: ring, nodes: 50}\n"
                                   "trace: {runs: [median, 3]}\n"),
                     0);
    assert_int_equal(wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, &err,
                                 "run b.yaml -o bad2 -q"),
                     2);
    assert_non_null(strstr(err, "b.yaml:5:24:"));
    assert_non_null(strstr(err, "run 3 does not exist"));
    free(err);
    assert_false(wg_test_exists(tmp, "bad2"));
    assert_int_equal(wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, &err,
                                 "run b.yaml -o bad3 -q --trace mean"),
                     2);
    assert_non_null(strstr(err, "median, p05, p95, max"));
    free(err);
    assert_false(wg_test_exists(tmp, "bad3"));
}

/* Above 10^5 agents the trace is trace-R.csv.gz (and no trace-R.csv): read back
 * with zlib, one row per agent, the seed and its neighbours as worked by hand. */
static void test_gzip(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(wg_test_write(tmp, "big.yaml",
                                   "name: big\nsteps: 3\nruns: 2\nseed: 9\n"
                                   "network: {generate: ring, nodes: 100001}\n"
                                   "model: {share: {negative: 1}, quit: {negative: 0}}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, by: id, "
                                   "ids: [7]}}\n"),
                     0);
    assert_int_equal(wg_test_waggle(&(wg_test_how){tmp, NULL, 0, NULL}, NULL, &err,
                                 "run big.yaml -o big -q --trace 1"),
                     0);
    free(err);
    assert_false(wg_test_exists(tmp, "big/trace-1.csv"));
    assert_false(wg_test_exists(tmp, "big/trace-0.csv.gz"));
    char path[256];
    snprintf(path, sizeof path, "%s/big/trace-1.csv.gz", tmp);
    gzFile z = gzopen(path, "rb");
    assert_non_null(z);
    static const char magic[2] = {0x1f, (char)0x8b};
    FILE *f = fopen(path, "rb");
    char m[2];
    assert_int_equal(fread(m, 1, 2, f), 2);
    fclose(f);
    assert_memory_equal(m, magic, 2);   /* compressed, not plain text under a .gz name */
    char line[512];
    size_t rows = 0;
    assert_non_null(gzgets(z, line, sizeof line));
    assert_string_equal(line, "agent,id,state,valence,step_reached,source,parent,generation,"
                              "talked_steps,exposures\n");
    /* share 1 on a ring: agent 7 seeded at step 0 tells 6 and 8 at step 0, they tell 5 and 9
     * at step 1, and those 4 and 10 at step 2 */
    while (gzgets(z, line, sizeof line)) {
        char want[128];
        unsigned a = (unsigned)rows;
        if (a == 7) snprintf(want, sizeof want, "7,7,critic,negative,0,seed,,0,3,");
        else if (a >= 4 && a <= 10) {
            unsigned hop = a > 7 ? a - 7 : 7 - a, par = a > 7 ? a - 1 : a + 1;
            snprintf(want, sizeof want, "%u,%u,critic,negative,%u,word_of_mouth,%u,%u,%u,", a, a,
                     hop - 1, par, hop, 3 - hop);
        } else snprintf(want, sizeof want, "%u,%u,unaware,,,,,,0,", a, a);
        assert_true(strncmp(line, want, strlen(want)) == 0);
        rows++;
    }
    gzclose(z);
    assert_int_equal(rows, 100001);
}

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "trace");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_by_hand),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_quantile_picks),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_gzip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
