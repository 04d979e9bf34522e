/*
 * test_wgraph.c — waggle's binary network file: the XXH64 checksum against
 * its published values, a round trip of every array (directed, weighted,
 * with ids; undirected without), scenarios on an edge list and on the same
 * network saved as .wgraph giving identical series.csv and finals.csv, and
 * every bad file refused with its message and exit status 2: truncated,
 * longer, corrupted (payload and header), foreign, a later version, the
 * other byte order, directed or weighted asked of a file without them; and
 * a mapped file's pages out of the process after the check, and a block
 * copied out of it (a partitioned rank's) resident without the rest; and an
 * edge list saved through scratch files (--memory) the same bytes as one
 * saved from memory, at every size of the stretches of rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "wg_test.h"

#include "waggle/graph.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(dir, "wgraph");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(dir);
}

static const char *path_of(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void test_xxh64(void **state)
{
    (void)state;
    /* the values of the reference implementation (xxhsum -H64, seed 0) */
    assert_true(wg_xxh64("", 0, 0) == 0xEF46DB3751D8E999ull);
    assert_true(wg_xxh64("a", 1, 0) == 0xD24EC4F1A98C6E5Bull);
    assert_true(wg_xxh64("abc", 3, 0) == 0x44BC2CF5AD770999ull);
    const char *s = "Nobody inspects the spammish repetition";
    assert_true(wg_xxh64(s, strlen(s), 0) == 0xFBCEA83C8A378BF1ull);
    /* streaming in uneven pieces gives the one-shot value */
    unsigned char buf[1000];
    for (int i = 0; i < 1000; i++) buf[i] = (unsigned char)(i * 37 + 11);
    wg_xxh64_state h;
    wg_xxh64_init(&h, 0);
    for (size_t at = 0, step = 1; at < sizeof buf; at += step, step = step * 3 % 71 + 1)
        wg_xxh64_update(&h, buf + at, at + step > sizeof buf ? sizeof buf - at : step);
    assert_true(wg_xxh64_digest(&h) == wg_xxh64(buf, sizeof buf, 0));
}

static void save(const wg_graph *g, const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    wg_diag d = {0};
    assert_int_equal(wg_wgraph_write(g, f, path, &d), WG_OK);
    assert_int_equal(fclose(f), 0);
    wg_diag_free(&d);
}

static void same_graph(const wg_graph *a, const wg_graph *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->m, b->m);
    assert_int_equal(a->directed, b->directed);
    assert_memory_equal(a->out_off, b->out_off, ((size_t)a->n + 1) * sizeof *a->out_off);
    assert_memory_equal(a->out_adj, b->out_adj, a->m * sizeof *a->out_adj);
    assert_int_equal(a->out_w == NULL, b->out_w == NULL);
    if (a->out_w) assert_memory_equal(a->out_w, b->out_w, a->m * sizeof *a->out_w);
    assert_int_equal(a->label == NULL, b->label == NULL);
    if (a->label) assert_memory_equal(a->label, b->label, a->n * sizeof *a->label);
}

static void test_round_trip(void **state)
{
    (void)state;
    /* directed, weighted, with ids: 7 agents (an odd count, so the arrays need padding) */
    const uint32_t src[] = {0, 1, 2, 3, 4, 5, 6, 0, 3}, dst[] = {1, 2, 3, 4, 5, 6, 0, 4, 0};
    const float w[] = {0.5f, 1, 2, 3, 4, 5, 6, 7, 8};
    wg_graph *g = NULL, *h = NULL;
    wg_diag d = {0};
    assert_int_equal(wg_graph_from_edges(7, 9, src, dst, w, 1, &g, NULL, NULL, &d), WG_OK);
    g->label = malloc(7 * sizeof *g->label);
    for (int i = 0; i < 7; i++) g->label[i] = 1000 + 7 * (uint64_t)i;
    save(g, path_of("dw.wgraph"));
    assert_int_equal(wg_wgraph_map(path_of("dw.wgraph"), 1, 1, &h, &d), WG_OK);
    assert_non_null(h->map);
    same_graph(g, h);
    /* the transpose of a mapped graph is built beside it, and freed with it */
    assert_int_equal(wg_graph_transpose(h, &d), WG_OK);
    assert_int_equal(h->in_off[7], 9);
    wg_graph_free(h);
    wg_graph_free(g);
    /* undirected, no weights, no ids; and the empty graph */
    assert_int_equal(wg_graph_from_edges(7, 6, src, dst, NULL, 0, &g, NULL, NULL, &d), WG_OK);
    save(g, path_of("u.wgraph"));
    assert_int_equal(wg_wgraph_map(path_of("u.wgraph"), 0, 0, &h, &d), WG_OK);
    same_graph(g, h);
    wg_graph_free(h);
    wg_graph_free(g);
    g = wg_graph_alloc(0, 0, 0, 0);
    save(g, path_of("empty.wgraph"));
    assert_int_equal(wg_wgraph_map(path_of("empty.wgraph"), 0, 0, &h, &d), WG_OK);
    assert_int_equal(h->n, 0);
    wg_graph_free(h);
    wg_graph_free(g);
    assert_int_equal(d.errors, 0);
    wg_diag_free(&d);
}

/* ---- bad files ---------------------------------------------------------- */

static unsigned char *good_bytes(size_t *len)
{
    const uint32_t src[] = {0, 1, 2, 3, 4}, dst[] = {1, 2, 3, 4, 0};
    wg_graph *g = NULL;
    wg_diag d = {0};
    assert_int_equal(wg_graph_from_edges(5, 5, src, dst, NULL, 0, &g, NULL, NULL, &d), WG_OK);
    save(g, path_of("good.wgraph"));
    wg_graph_free(g);
    wg_diag_free(&d);
    unsigned char *b = (unsigned char *)wg_test_slurp(path_of("good.wgraph"), len);
    assert_non_null(b);
    return b;
}

static void write_bytes(const char *name, const unsigned char *b, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void refused(const char *name, int directed, int weighted, const char *words)
{
    wg_diag d = {0};
    wg_graph *g = (wg_graph *)1;
    assert_int_equal(wg_wgraph_map(path_of(name), directed, weighted, &g, &d), WG_EINPUT);
    assert_null(g);
    if (!strstr(wg_diag_first(&d), words)) print_error("%s: message: %s\n", name, wg_diag_first(&d));
    assert_non_null(strstr(wg_diag_first(&d), words));
    wg_diag_free(&d);
}

static void put32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void test_bad_files(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = good_bytes(&len), *c = malloc(len);
    refused("good.wgraph", 1, 0, "holds an undirected network");
    refused("good.wgraph", 0, 1, "holds an unweighted network");
    write_bytes("trunc.wgraph", b, len - 8);
    refused("trunc.wgraph", 0, 0, "truncated");
    write_bytes("trunc-header.wgraph", b, 20);
    refused("trunc-header.wgraph", 0, 0, "truncated");
    memcpy(c, b, len);
    c[len - 30] ^= 0x10;   /* a bit of the payload */
    write_bytes("corrupt.wgraph", c, len);
    refused("corrupt.wgraph", 0, 0, "checksum does not match: the file is corrupted");
    memcpy(c, b, len);
    c[25] ^= 1;   /* n */
    write_bytes("corrupt-header.wgraph", c, len);
    refused("corrupt-header.wgraph", 0, 0, "header's checksum does not match");
    memcpy(c, b, len);
    memcpy(c, "PK\3\4xxxx", 8);
    write_bytes("foreign.wgraph", c, len);
    refused("foreign.wgraph", 0, 0, "not a waggle network file");
    write_bytes("tiny.wgraph", (const unsigned char *)"0 1\n", 4);
    refused("tiny.wgraph", 0, 0, "not a waggle network file");
    memcpy(c, b, len);
    put32(c + 8, WG_WGRAPH_VERSION + 1);
    write_bytes("future.wgraph", c, len);
    refused("future.wgraph", 0, 0, "this waggle reads version 1 (the file is from a later waggle)");
    memcpy(c, b, len);
    put32(c + 12, 0x04030201u);
    write_bytes("swapped.wgraph", c, len);
    refused("swapped.wgraph", 0, 0, "other byte order");
    unsigned char *longer = malloc(len + 8);
    memcpy(longer, b, len);
    memset(longer + len, 0, 8);
    write_bytes("long.wgraph", longer, len + 8);
    refused("long.wgraph", 0, 0, "longer than it should be");
    refused("missing.wgraph", 0, 0, "cannot open the network file");
    free(longer);
    free(b);
    free(c);
    /* through the command: exit status 2 and the message */
    char *out = NULL, *err = NULL;
    wg_test_how how = {dir, NULL, 0, NULL};
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net corrupt.wgraph"), 2);
    assert_non_null(strstr(err, "corrupt.wgraph: the checksum does not match"));
    free(out);
    free(err);
}

/* ---- the same outputs from the edge list and from its .wgraph ------------ */

static void same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = wg_test_slurp(a, &la), *y = wg_test_slurp(b, &lb);
    assert_non_null(x);
    assert_non_null(y);
    if (la != lb || memcmp(x, y, la) != 0) print_error("%s and %s differ\n", a, b);
    assert_true(la == lb && memcmp(x, y, la) == 0);
    free(x);
    free(y);
}

/* Entries of folder whose name holds words. */
static int files_named(const char *folder, const char *words)
{
    DIR *dd = opendir(folder);
    assert_non_null(dd);
    int k = 0;
    for (struct dirent *e; (e = readdir(dd));) k += strstr(e->d_name, words) != NULL;
    closedir(dd);
    return k;
}

static int temp_files_in(const char *folder)
{
    return files_named(folder, ".tmp.");
}

static void run_pair(const char *net_a, const char *net_b, const char *name)
{
    char text[2048];
    const char *body = "steps: 30\nruns: 20\nseed: 7\n"
                       "model: {share: {positive: 0.2, negative: 0.3}, quit: {positive: 0.2, negative: 0.2}}\n"
                       "events:\n  - {step: 0, seed: {valence: negative, count: 3, by: random}}\n"
                       "  - {step: 0, seed: {valence: positive, count: 3, by: degree}}\n";
    snprintf(text, sizeof text, "name: a\nnetwork: %s\n%s", net_a, body);
    char fa[64], fb[64];
    snprintf(fa, sizeof fa, "%s-a.yaml", name);
    snprintf(fb, sizeof fb, "%s-b.yaml", name);
    assert_int_equal(wg_test_write(dir, fa, text), 0);
    snprintf(text, sizeof text, "name: a\nnetwork: %s\n%s", net_b, body);
    assert_int_equal(wg_test_write(dir, fb, text), 0);
    wg_test_how how = {dir, NULL, 0, NULL};
    char *err = NULL;
    int rc = wg_test_waggle(&how, NULL, &err, "run %s -o out-%s-a -q -t 2", fa, name);
    if (rc) print_error("%s\n", err);
    assert_int_equal(rc, 0);
    free(err);
    rc = wg_test_waggle(&how, NULL, &err, "run %s -o out-%s-b -q -t 1", fb, name);
    if (rc) print_error("%s\n", err);
    assert_int_equal(rc, 0);
    free(err);
    char a[256], b[256];
    for (int i = 0; i < 2; i++) {
        const char *f = i ? "finals.csv" : "series.csv";
        snprintf(a, sizeof a, "%s/out-%s-a/%s", dir, name, f);
        snprintf(b, sizeof b, "%s/out-%s-b/%s", dir, name, f);
        same_file(a, b);
    }
}

static void test_same_outputs(void **state)
{
    (void)state;
    /* an edge list with sparse ids, comments and a duplicate */
    char text[20000] = "# ids far apart\n";
    uint64_t x = 12345;
    for (int i = 0; i < 600; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned a = (unsigned)(x >> 40) % 300, b2 = (unsigned)(x >> 20) % 300;
        snprintf(text + strlen(text), 40, "%u %u %u.5\n", 1000 + 3 * a, 1000 + 3 * b2, 1 + a % 4);
    }
    strcat(text, "1000 1003 1.5\n1000 1003 1.5\n");
    assert_int_equal(wg_test_write(dir, "e.txt", text), 0);
    wg_test_how how = {dir, NULL, 0, NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net e.txt --save g.wgraph"), 0);
    free(out);
    free(err);
    assert_int_equal(temp_files_in(dir), 0);
    run_pair("{file: e.txt}", "{file: g.wgraph}", "u");
    /* format: wgraph on a file named otherwise */
    assert_int_equal(rename(path_of("g.wgraph"), path_of("g.bin")), 0);
    run_pair("{file: e.txt}", "{file: g.bin, format: wgraph}", "f");
    /* directed and weighted: saved from a scenario that reads them */
    assert_int_equal(wg_test_write(dir, "dw.yaml",
                                   "name: dw\nsteps: 5\nnetwork: {file: e.txt, directed: true, weight: 3}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, count: 3, by: random}}\n"),
                     0);
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net dw.yaml --save dw.wgraph"), 0);
    free(out);
    free(err);
    run_pair("{file: e.txt, directed: true, weight: 3}", "{file: dw.wgraph}", "dw");
    run_pair("{file: e.txt, directed: true, weight: 3}", "{file: dw.wgraph, directed: true, weight: 3}", "dw2");
    /* a run on a bad .wgraph is bad input and writes nothing */
    assert_int_equal(wg_test_write(dir, "bad.wgraph", "WGGRAPH\n"), 0);
    assert_int_equal(wg_test_write(dir, "bad.yaml", "name: bad\nsteps: 5\nnetwork: {file: bad.wgraph}\n"), 0);
    assert_int_equal(wg_test_waggle(&how, &out, &err, "run bad.yaml -o out-bad -q"), 2);
    assert_non_null(strstr(err, "bad.wgraph: truncated"));
    assert_false(wg_test_exists(dir, "out-bad/series.csv"));
    free(out);
    free(err);
}

/* ---- saving an edge list through scratch files (--memory) ----------------- */

/* What wg_import_save reported of its progress. */
typedef struct progress_seen {
    unsigned calls[2];
    uint64_t done[2], total[2];
    int backwards;   /* a report below the one before, or a phase after the last */
    int phase;
} progress_seen;

static void note_progress(void *ud, int phase, uint64_t done, uint64_t total)
{
    progress_seen *p = ud;
    if (phase < p->phase || (p->calls[phase] && done < p->done[phase]) || done > total) p->backwards = 1;
    p->phase = phase;
    p->calls[phase]++;
    p->done[phase] = done;
    p->total[phase] = total;
}

/* wg_import_save of spec into path with budget: its status, the number of
 * stretches in *buckets, the first message in msg (when not NULL). */
static wg_status save_streamed(const wg_netspec *spec, uint64_t budget, const char *path, uint32_t *buckets,
                               char *msg, size_t len)
{
    FILE *f = fopen(path, "w+b");
    assert_non_null(f);
    wg_diag d = {0};
    wg_import_saved saved = {0, 0, 0};
    wg_graph *deg = NULL;
    progress_seen seen;
    memset(&seen, 0, sizeof seen);
    wg_status st = wg_import_save(spec, budget, dir, f, path, &saved, &deg, note_progress, &seen, &d);
    assert_int_equal(fclose(f), 0);
    if (st == WG_OK) {   /* the offsets handed back are the file's */
        wg_graph *h = NULL;
        wg_diag dm = {0};
        assert_int_equal(wg_wgraph_map(path, spec->directed, 0, &h, &dm), WG_OK);
        assert_int_equal(deg->n, h->n);
        assert_int_equal(deg->m, h->m);
        assert_null(deg->out_adj);
        assert_memory_equal(deg->out_off, h->out_off, ((size_t)h->n + 1) * sizeof *h->out_off);
        wg_graph_free(h);
        wg_diag_free(&dm);
        /* the passes' end, then each stretch once, in order */
        assert_false(seen.backwards);
        assert_true(seen.calls[0] >= 1);
        assert_true(seen.done[0] == seen.total[0]);
        assert_int_equal(seen.calls[1], saved.buckets);
        assert_true(seen.done[1] == saved.buckets && seen.total[1] == saved.buckets);
    } else {
        assert_null(deg);
    }
    wg_graph_free(deg);
    if (buckets) *buckets = saved.buckets;
    if (msg) snprintf(msg, len, "%s", st == WG_OK ? "" : wg_diag_first(&d));
    if (st != WG_OK && !msg) print_error("%s\n", wg_diag_first(&d));
    wg_diag_free(&d);
    return st;
}

static void test_save_streamed(void **state)
{
    (void)state;
    /* 700 agents with sparse ids, a hub, duplicates (both ways too), self-loops,
     * comments and blank lines; a weight column */
    size_t cap = 1 << 20, at = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    at += (size_t)snprintf(text + at, cap - at, "# a test network\n\n");
    uint64_t x = 99;
    for (int i = 0; i < 9000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned a = (unsigned)(x >> 40) % 700, b = i % 5 == 0 ? 17 : (unsigned)(x >> 18) % 700;
        at += (size_t)snprintf(text + at, cap - at, "%u %u %u.25\n", 5 + 11 * a, 5 + 11 * b, 1 + (unsigned)(x >> 8) % 9);
        if (i % 97 == 0) at += (size_t)snprintf(text + at, cap - at, "%u %u 2\n", 5 + 11 * b, 5 + 11 * a);
    }
    assert_int_equal(wg_test_write(dir, "s.txt", text), 0);
    free(text);
    char s_txt[256], big_txt[256], t_txt[256], g_graphml[256];   /* path_of's buffers turn over */
    snprintf(s_txt, sizeof s_txt, "%s", path_of("s.txt"));
    snprintf(big_txt, sizeof big_txt, "%s", path_of("big.txt"));
    snprintf(t_txt, sizeof t_txt, "%s", path_of("t.txt"));
    snprintf(g_graphml, sizeof g_graphml, "%s", path_of("g.graphml"));
    for (int directed = 0; directed < 2; directed++)
        for (int weighted = 0; weighted < 2; weighted++) {
            wg_netspec spec;
            memset(&spec, 0, sizeof spec);
            spec.kind = WG_NET_FILE;
            spec.file = s_txt;
            spec.directed = directed;
            spec.weight = weighted ? (char *)"3" : NULL;
            wg_graph *g = NULL;
            wg_diag d = {0};
            assert_int_equal(wg_graph_build(&spec, 1, &g, &d), WG_OK);
            save(g, path_of("mem.wgraph"));
            wg_graph_free(g);
            wg_diag_free(&d);
            /* each row its own stretch, a few rows, a few stretches, all at once */
            const uint64_t budget[] = {1, 600, 20000, UINT64_C(1) << 30};
            uint32_t prev = UINT32_MAX;
            for (int k = 0; k < 4; k++) {
                uint32_t buckets = 0;
                assert_int_equal(save_streamed(&spec, budget[k], path_of("disk.wgraph"), &buckets, NULL, 0),
                                 WG_OK);
                same_file(path_of("mem.wgraph"), path_of("disk.wgraph"));
                assert_true(buckets < prev);
                prev = buckets;
                if (k == 0) assert_int_equal(buckets, 700);
                if (k == 3) assert_int_equal(buckets, 1);
                assert_int_equal(files_named(dir, ".waggle-scratch"), 0);
            }
        }
    /* refused, writing nothing beside: too many stretches, text ids, a GraphML
     * file, duplicates in error mode, a missing scratch folder */
    wg_netspec spec;
    char msg[512];
    memset(&spec, 0, sizeof spec);
    spec.kind = WG_NET_FILE;
    spec.file = s_txt;
    spec.duplicates_error = 1;
    assert_int_equal(save_streamed(&spec, 1 << 20, path_of("x.wgraph"), NULL, msg, sizeof msg), WG_EINPUT);
    assert_non_null(strstr(msg, "duplicate edges (duplicates: error)"));
    {
        FILE *f = fopen(big_txt, "w");
        assert_non_null(f);
        for (int i = 0; i < 1100; i++) fprintf(f, "%d %d\n", i, i + 1);
        fclose(f);
    }
    spec.duplicates_error = 0;
    spec.file = big_txt;
    assert_int_equal(save_streamed(&spec, 1, path_of("x.wgraph"), NULL, msg, sizeof msg), WG_EINPUT);
    assert_non_null(strstr(msg, "more than 1024 pieces"));
    assert_int_equal(wg_test_write(dir, "t.txt", "alice bob\nbob carol\n"), 0);
    spec.file = t_txt;
    assert_int_equal(save_streamed(&spec, 1 << 20, path_of("x.wgraph"), NULL, msg, sizeof msg), WG_EINPUT);
    assert_non_null(strstr(msg, "text ids"));
    assert_int_equal(wg_test_write(dir, "g.graphml",
                                   "<?xml version=\"1.0\"?>\n<graphml><graph edgedefault=\"undirected\">"
                                   "<node id=\"a\"/><node id=\"b\"/><edge source=\"a\" target=\"b\"/>"
                                   "</graph></graphml>\n"),
                     0);
    spec.file = g_graphml;
    assert_int_equal(save_streamed(&spec, 1 << 20, path_of("x.wgraph"), NULL, msg, sizeof msg), WG_EINPUT);
    assert_non_null(strstr(msg, "edge list or CSV"));
    assert_int_equal(files_named(dir, ".waggle-scratch"), 0);
    {
        spec.file = s_txt;
        FILE *f = fopen(path_of("x.wgraph"), "w+b");
        wg_diag d = {0};
        wg_import_saved saved;
        assert_int_equal(wg_import_save(&spec, 1 << 20, path_of("no-such-folder"), f, "x.wgraph", &saved, NULL,
                                        NULL, NULL, &d),
                         WG_EIO);
        assert_non_null(strstr(wg_diag_first(&d), "scratch files in"));
        wg_diag_free(&d);
        fclose(f);
    }
    /* the command: the same bytes as --save alone; --memory needs --save and a size */
    wg_test_how how = {dir, NULL, 0, NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net s.txt --save cmd-a.wgraph"), 0);
    free(out);
    free(err);
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net s.txt --save cmd-b.wgraph --memory 1M"), 0);
    assert_non_null(strstr(out, "clustering         not computed"));
    assert_non_null(strstr(err, "sorted in 1 stretch of rows"));
    free(out);
    free(err);
    same_file(path_of("cmd-a.wgraph"), path_of("cmd-b.wgraph"));
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net s.txt --memory 1G"), 2);
    assert_non_null(strstr(err, "--memory 1G goes with --save"));
    free(out);
    free(err);
    assert_int_equal(wg_test_waggle(&how, &out, &err, "net s.txt --save c.wgraph --memory 100K"), 2);
    assert_non_null(strstr(err, "expected a size of at least 1M"));
    assert_false(wg_test_exists(dir, "c.wgraph"));
    free(out);
    free(err);
    assert_int_equal(temp_files_in(dir), 0);
    assert_int_equal(files_named(dir, ".waggle-scratch"), 0);
}

/* ---- what a mapped file leaves resident ----------------------------------- */

/* This process's resident bytes (Linux /proc/self/statm: file pages mapped
 * and anonymous ones). */
static double resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long size = 0, res = 0;
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%llu %llu", &size, &res), 2);
    fclose(f);
    return (double)res * (double)sysconf(_SC_PAGESIZE);
}

static void test_mapped_residency(void **state)
{
    (void)state;
    /* 2^18 agents on a ring with 15 chords each: 8 MiB of arcs, 2 MiB of offsets */
    const uint32_t n = 1u << 18, per = 16;
    const size_t m = (size_t)n * per;
    uint32_t *src = malloc(m * sizeof *src), *dst = malloc(m * sizeof *dst);
    assert_non_null(src);
    assert_non_null(dst);
    for (size_t k = 0; k < m; k++) {
        src[k] = (uint32_t)(k / per);
        dst[k] = (uint32_t)((k / per + 1 + (k % per) * 977) % n);
    }
    wg_graph *g = NULL, *h = NULL, *bg = NULL, *bh = NULL;
    wg_diag d = {0};
    assert_int_equal(wg_graph_from_edges(n, m, src, dst, NULL, 1, &g, NULL, NULL, &d), WG_OK);
    free(src);
    free(dst);
    save(g, path_of("big.wgraph"));
    const double file = (double)g->m * 4 + ((double)n + 1) * 8;
    const double before = resident_bytes();
    assert_int_equal(wg_wgraph_map(path_of("big.wgraph"), 1, 0, &h, &d), WG_OK);
    /* the check read every page, and none stays in the process (a quarter
     * of the file leaves room for the allocator and the pages of the end) */
    const double mapped = resident_bytes();
    assert_true(mapped - before < 0.25 * file);
    same_graph(g, h);   /* still readable: the pages come back from the page cache */
    /* a quarter of the agents, stripe 1 of every 4 of 2,048 agents: its copy
     * resident, not the file */
    const uint32_t stripe = 2048, stride = 4, first = 1;
    wg_graph *fresh = NULL;
    assert_int_equal(wg_wgraph_map(path_of("big.wgraph"), 1, 0, &fresh, &d), WG_OK);
    uint64_t arcs = 0;   /* of the stripes */
    for (uint32_t lo = first * stripe; lo < n; lo += stride * stripe)
        arcs += fresh->out_off[lo + stripe < n ? lo + stripe : n] - fresh->out_off[lo];
    const double start = resident_bytes();
    assert_int_equal(wg_graph_stripes(fresh, stripe, stride, first, 0, &bh, &d), WG_OK);
    const double grown = resident_bytes() - start;
    /* the block: a quarter of the arcs and all the offsets, copied; at most
     * a piece of the source stays mapped */
    const double block = (double)arcs * 4 + ((double)n + 1) * 8;
    assert_true(grown < block + 0.15 * file);
    assert_true(grown > 0.5 * block);
    /* the same rows as the stripes of the graph on the heap, and g's rows */
    assert_int_equal(wg_graph_stripes(g, stripe, stride, first, 0, &bg, &d), WG_OK);
    assert_int_equal(bg->m, bh->m);
    assert_int_equal(bg->m, arcs);
    assert_memory_equal(bg->out_off, bh->out_off, ((size_t)n + 1) * sizeof *bg->out_off);
    assert_memory_equal(bg->out_adj, bh->out_adj, bg->m * sizeof *bg->out_adj);
    for (uint32_t a = 0; a < n; a++) {
        const uint64_t len = bg->out_off[a + 1] - bg->out_off[a];
        assert_int_equal(len, a / stripe % stride == first ? g->out_off[a + 1] - g->out_off[a] : 0);
        if (len)
            assert_memory_equal(bg->out_adj + bg->out_off[a], g->out_adj + g->out_off[a],
                                len * sizeof *g->out_adj);
    }
    wg_graph_free(bg);
    wg_graph_free(bh);
    wg_graph_free(fresh);
    wg_graph_free(h);
    wg_graph_free(g);
    assert_int_equal(d.errors, 0);
    wg_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xxh64),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_same_outputs),
        cmocka_unit_test(test_mapped_residency),
        /* after the residency test, which reads this process's growth: this
         * one leaves freed heap behind that a later allocation would reuse */
        cmocka_unit_test(test_save_streamed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
