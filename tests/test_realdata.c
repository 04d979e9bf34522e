/*
 * test_realdata.c — customer data as people have it, through the command:
 * names and e-mails as node ids (picked by id, written back in traces and in
 * optimize's chosen seeds), a file's declared direction, signed ties, node
 * attribute tables. Small files written here; the Bitcoin OTC network of
 * ../shared/data is read when present.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "wg_test.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    if (!wg_test_waggle_path()) return -1;
    return wg_test_mkdtemp(tmp, "realdata");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(tmp);
}

#define run(out, err, ...) wg_test_waggle(NULL, out, err, __VA_ARGS__)

static char *file_in(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s/%s", tmp, dir, name);
    return wg_test_slurp(path, NULL);
}

/* A small friendship network with names: a ring of 40 people and chords. */
static void write_names(void)
{
    char text[8192];
    size_t len = 0;
    len += (size_t)snprintf(text + len, sizeof text - len, "source,target\n");
    for (int i = 0; i < 40; i++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "person%02d@example.com,person%02d@example.com\n",
                                i, (i + 1) % 40);
        if (i % 3 == 0)
            len += (size_t)snprintf(text + len, sizeof text - len, "person%02d@example.com,\"O'Hara, Kim\"\n", i);
    }
    assert_int_equal(wg_test_write(tmp, "people.csv", text), 0);
}

/* Seeds by text id; the trace writes the ids back as the file had them. */
static void test_text_ids_run(void **state)
{
    (void)state;
    write_names();
    assert_int_equal(wg_test_write(tmp, "s.yaml",
                                   "name: names\nsteps: 6\nruns: 3\nseed: 5\n"
                                   "network: {file: people.csv}\n"
                                   "trace: {runs: [0]}\n"
                                   "model: {share: 0.9}\n"
                                   "events:\n  - {step: 0, seed: {valence: positive, by: id, "
                                   "ids: [person07@example.com, \"O'Hara, Kim\"]}}\n"),
                     0);
    char *err = NULL;
    assert_int_equal(run(NULL, &err, "run %s/s.yaml -q -t 1 -o %s/a", tmp, tmp), 0);
    free(err);
    char *tr = file_in("a", "trace-0.csv");
    assert_non_null(tr);
    /* the seeds' rows (Kim is agent 2, after person00 and person01), sources "seed" */
    const char *kim = strstr(tr, "\n2,\"O'Hara, Kim\",");
    assert_non_null(kim);
    assert_non_null(strstr(kim, ",seed,,0,"));
    assert_true(strstr(kim, ",seed,,0,") < strchr(kim + 1, '\n'));
    const char *p07 = strstr(tr, "\n8,person07@example.com,");
    assert_non_null(p07);
    assert_true(strstr(p07, ",seed,,0,") < strchr(p07 + 1, '\n'));
    /* a parent is written by its id too */
    assert_non_null(strstr(tr, ",word_of_mouth,person07@example.com,1,"));
    assert_non_null(strstr(tr, ",word_of_mouth,\"O'Hara, Kim\",1,"));
    free(tr);
    /* an id the network does not have: the scenario's line, exit 2, nothing written */
    assert_int_equal(wg_test_write(tmp, "bad.yaml",
                                   "name: names\nsteps: 6\nruns: 3\n"
                                   "network: {file: people.csv}\n"
                                   "events:\n  - {step: 0, seed: {valence: positive, by: id, "
                                   "ids: [nobody@example.com]}}\n"),
                     0);
    assert_int_equal(run(NULL, &err, "run %s/bad.yaml -q -o %s/bad", tmp, tmp), 2);
    assert_non_null(strstr(err, "bad.yaml:6:"));
    assert_non_null(strstr(err, "id \"nobody@example.com\" is not in the network"));
    free(err);
    assert_int_equal(wg_test_exists(tmp, "bad"), 0);
}

/* optimize's chosen seeds are written with the ids of the file. */
static void test_text_ids_optimize(void **state)
{
    (void)state;
    write_names();
    assert_int_equal(wg_test_write(tmp, "o.yaml",
                                   "name: names\nsteps: 6\nruns: 3\nseed: 5\n"
                                   "network: {file: people.csv}\n"
                                   "model: {share: 0.5}\n"
                                   "events:\n  - {step: 0, seed: {valence: positive, count: 1, by: random}}\n"),
                     0);
    char *out = NULL, *err = NULL;
    assert_int_equal(run(&out, &err, "optimize %s/o.yaml --choose seeds --budget 2 -r 4 -t 1 -q -o %s/opt",
                         tmp, tmp), 0);
    /* the chosen, by the ids of the file (person.. or Kim, never an agent number) */
    char *ch = file_in("opt", "chosen.csv");
    assert_non_null(ch);
    assert_true(strstr(ch, "\n1,person") || strstr(ch, "\n1,\"O'Hara, Kim\",14,"));
    assert_true(strstr(ch, "\n2,person") || strstr(ch, "\n2,\"O'Hara, Kim\",14,"));
    free(ch);
    free(out);
    free(err);
}

/* The file's own direction: a directed GraphML keeps every arc; a scenario
 * that says otherwise is an error with the file and the key. */
static void test_declared_direction(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(tmp, "d.graphml",
                                   "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                                   "<graph edgedefault=\"directed\"><node id=\"n0\"/><node id=\"n1\"/><node id=\"n2\"/>"
                                   "<edge source=\"n0\" target=\"n1\"/><edge source=\"n1\" target=\"n0\"/>"
                                   "<edge source=\"n1\" target=\"n2\"/></graph></graphml>\n"),
                     0);
    char *out = NULL, *err = NULL;
    assert_int_equal(run(&out, &err, "net %s/d.graphml", tmp), 0);
    assert_non_null(strstr(out, "directed"));
    assert_null(strstr(out, "undirected"));
    free(out);
    free(err);
    assert_int_equal(wg_test_write(tmp, "d.yaml",
                                   "name: d\nsteps: 3\nruns: 2\n"
                                   "network: {file: d.graphml, directed: false}\n"
                                   "events:\n  - {step: 0, seed: {valence: positive, by: id, ids: [n0]}}\n"),
                     0);
    assert_int_equal(run(NULL, &err, "run %s/d.yaml -q -o %s/d", tmp, tmp), 2);
    assert_non_null(strstr(err, "d.graphml: the file says its network is directed"));
    assert_non_null(strstr(err, "network.directed is false"));
    free(err);
    assert_int_equal(wg_test_exists(tmp, "d"), 0);
}

/* negative_ties: flip: an advocate's word over distrust ties reaches its
 * neighbours as negative, over trust ties as positive; drop leaves those
 * ties out; the default refuses the file with its line. */
static void test_signed_flip(void **state)
{
    (void)state;
    char text[2048];
    size_t len = (size_t)snprintf(text, sizeof text, "from,to,trust\n");
    for (int i = 0; i < 12; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "hub,%s%d,%d\n", i % 2 ? "foe" : "friend", i,
                                i % 2 ? -3 : 2);
    assert_int_equal(wg_test_write(tmp, "star.csv", text), 0);
    static const char yaml[] =
        "name: star\nsteps: 2\nruns: 2\nseed: 9\n"
        "network: {file: star.csv, weight: trust%s}\n"
        "trace: {runs: [0]}\nmodel: {share: 1, quit: 0}\n"
        "events:\n  - {step: 0, seed: {valence: positive, by: id, ids: [hub]}}\n";
    char sc[512];
    snprintf(sc, sizeof sc, yaml, ", negative_ties: flip");
    assert_int_equal(wg_test_write(tmp, "flip.yaml", sc), 0);
    char *err = NULL;
    assert_int_equal(run(NULL, &err, "run %s/flip.yaml -q -t 2 -o %s/flip", tmp, tmp), 0);
    free(err);
    char *tr = file_in("flip", "trace-0.csv");
    assert_non_null(tr);
    int friends = 0, foes = 0;
    for (char *line = strtok(strchr(tr, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, ",word_of_mouth,hub,")) continue;
        int neg = strstr(line, ",negative,") != NULL;
        if (strstr(line, ",friend")) friends += !neg;
        else if (strstr(line, ",foe")) foes += neg;
        else fail_msg("a row that is neither a friend's nor a foe's: %s", line);
    }
    free(tr);
    assert_int_equal(friends, 6);   /* share 1, weights >= 1: every neighbour is reached at step 0 */
    assert_int_equal(foes, 6);
    /* threshold contagion reads the flags too: the hub is a foe's only neighbour, so its
     * share of negative neighbours is 1 */
    assert_int_equal(wg_test_write(tmp, "thr.yaml",
                                   "name: star\nsteps: 2\nruns: 1\nseed: 9\n"
                                   "network: {file: star.csv, weight: trust, negative_ties: flip}\n"
                                   "trace: {runs: [0]}\nmodel: {exposure: threshold, threshold: 0.5, quit: 0}\n"
                                   "events:\n  - {step: 0, seed: {valence: positive, by: id, ids: [hub]}}\n"),
                     0);
    assert_int_equal(run(NULL, &err, "run %s/thr.yaml -q -t 1 -o %s/thr", tmp, tmp), 0);
    free(err);
    tr = file_in("thr", "trace-0.csv");
    assert_non_null(tr);
    friends = foes = 0;
    for (char *line = strtok(strchr(tr, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, ",threshold,hub,")) continue;
        int neg = strstr(line, ",negative,") != NULL;
        if (strstr(line, ",friend")) friends += !neg;
        else if (strstr(line, ",foe")) foes += neg;
    }
    free(tr);
    assert_int_equal(friends, 6);
    assert_int_equal(foes, 6);
    snprintf(sc, sizeof sc, yaml, ", negative_ties: drop");
    assert_int_equal(wg_test_write(tmp, "drop.yaml", sc), 0);
    assert_int_equal(run(NULL, &err, "run %s/drop.yaml -t 1 -o %s/drop", tmp, tmp), 0);
    assert_non_null(strstr(err, "star.csv: 6 negative ties dropped"));
    free(err);
    char *fi = file_in("drop", "finals.csv");
    assert_non_null(strstr(fi, "\n0,7,0,"));   /* the hub and its six friends, nobody negative */
    free(fi);
    snprintf(sc, sizeof sc, yaml, "");
    assert_int_equal(wg_test_write(tmp, "err.yaml", sc), 0);
    assert_int_equal(run(NULL, &err, "run %s/err.yaml -q -o %s/err", tmp, tmp), 2);
    assert_non_null(strstr(err, "star.csv:3: a negative tie (weight \"-3\")"));
    free(err);
    assert_int_equal(wg_test_exists(tmp, "err"), 0);
}

/* The Bitcoin OTC trust network (ratings -10..+10, SNAP): read signed with
 * its ratings as signs, 3563 of its 35592 arcs are distrust; with flip a
 * positive launch among its most-connected traders gets a negative reach,
 * with drop none; the bytes do not depend on the threads. */
static void test_bitcoin_otc(void **state)
{
    (void)state;
    static const char data[] = "../shared/data/bitcoin-otc-signed.csv";
    FILE *f = fopen(data, "rb");
    if (!f) {
        print_message("skipped: %s is absent (the signed-network case needs it)\n", data);
        skip();
    }
    fclose(f);
    char cwd[512], sc[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    static const char yaml[] =
        "name: otc\nsteps: 15\nruns: 4\nseed: 1\n"
        "network: {file: %s/%s, directed: true, sign: 3, negative_ties: %s}\n"
        "model: {share: 0.3}\n"
        "events:\n  - {step: 0, seed: {valence: positive, count: 20, by: degree}}\n";
    char *err = NULL;
    snprintf(sc, sizeof sc, yaml, cwd, data, "flip");
    assert_int_equal(wg_test_write(tmp, "otc.yaml", sc), 0);
    assert_int_equal(run(NULL, &err, "run %s/otc.yaml -t 1 -o %s/otc1", tmp, tmp), 0);
    assert_non_null(strstr(err, "3563 of 35592 arcs are distrust ties"));
    free(err);
    assert_int_equal(run(NULL, NULL, "run %s/otc.yaml -q -t 2 -o %s/otc2", tmp, tmp), 0);
    char *a = file_in("otc1", "series.csv"), *b = file_in("otc2", "series.csv");
    assert_string_equal(a, b);
    free(a);
    free(b);
    char *fi = file_in("otc1", "finals.csv");
    assert_null(strstr(fi, ",0,0,0,15,"));   /* reach_negative, peak_critics, peak_step: not all 0 */
    free(fi);
    snprintf(sc, sizeof sc, yaml, cwd, data, "drop");
    assert_int_equal(wg_test_write(tmp, "otcd.yaml", sc), 0);
    assert_int_equal(run(NULL, NULL, "run %s/otcd.yaml -q -t 2 -o %s/otcd", tmp, tmp), 0);
    fi = file_in("otcd", "finals.csv");
    /* four runs, each with reach_negative 0 */
    int zeros = 0;
    for (char *line = strtok(strchr(fi, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        const char *c = strchr(strchr(line, ',') + 1, ',');   /* run,reach_positive,reach_negative */
        zeros += strncmp(c, ",0,", 3) == 0;
    }
    assert_int_equal(zeros, 4);
    free(fi);
}

/* network.nodes: a customer table keyed by the network's ids gives node
 * attributes for segments and picks; its errors name the table's line. */
static void test_nodes_table(void **state)
{
    (void)state;
    write_names();
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "email,plan,region\n");
    for (int i = 0; i < 40; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "person%02d@example.com,%s,%s\n", i,
                                i < 4 ? "gold" : "basic", i % 2 ? "north" : "south");
    len += (size_t)snprintf(text + len, sizeof text - len, "ghost@example.com,gold,east\n");
    assert_int_equal(wg_test_write(tmp, "crm.csv", text), 0);
    assert_int_equal(wg_test_write(tmp, "n.yaml",
                                   "name: crm\nsteps: 5\nruns: 2\nseed: 4\n"
                                   "network: {file: people.csv, nodes: {file: crm.csv, id: email}}\n"
                                   "trace: {runs: [0]}\n"
                                   "segments:\n  - {name: gold, pick: {by: attribute, attribute: plan, value: gold}, "
                                   "activity: 0}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, by: segment, segment: gold, count: 4}}\n"),
                     0);
    char *err = NULL;
    assert_int_equal(run(NULL, &err, "run %s/n.yaml -t 1 -o %s/n", tmp, tmp), 0);
    assert_non_null(strstr(err, "crm.csv: 1 row for ids that are not in the network left out (the first on line 42)"));
    free(err);
    /* the four gold customers are the seeds; with activity 0 they tell nobody */
    char *tr = file_in("n", "trace-0.csv");
    int seeds = 0, told = 0;
    for (char *line = strtok(strchr(tr, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        if (strstr(line, ",seed,")) {
            seeds++;
            assert_true(strstr(line, ",person00@") || strstr(line, ",person01@") || strstr(line, ",person02@") ||
                        strstr(line, ",person03@"));
        }
        told += strstr(line, ",word_of_mouth,") != NULL;
    }
    free(tr);
    assert_int_equal(seeds, 4);
    assert_int_equal(told, 0);
    /* errors: the table's file and line, exit 2, nothing written */
    static const struct {
        const char *table, *id, *words;
    } bad[] = {
        {"email,plan\nperson00@example.com,gold\nperson00@example.com,basic\n", "email",
         "t.csv:3: id \"person00@example.com\" has a row already (line 2)"},
        {"who,plan\nperson00@example.com,gold\n", NULL, "t.csv:1: no column \"id\" (the ids) in the header"},
        {"email,plan,region\nperson00@example.com,gold\n", "email", "t.csv:2: 2 fields, the header has 3"},
        {"email,plan,plan\n", "email", "t.csv:1: two columns named \"plan\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char sc[512];
        assert_int_equal(wg_test_write(tmp, "t.csv", bad[i].table), 0);
        snprintf(sc, sizeof sc, "name: t\nsteps: 3\nruns: 1\nnetwork: {file: people.csv, nodes: {file: t.csv%s%s}}\n",
                 bad[i].id ? ", id: " : "", bad[i].id ? bad[i].id : "");
        assert_int_equal(wg_test_write(tmp, "t.yaml", sc), 0);
        assert_int_equal(run(NULL, &err, "run %s/t.yaml -q -o %s/t", tmp, tmp), 2);
        if (!strstr(err, bad[i].words)) fail_msg("case %zu: %s", i, err);
        free(err);
        assert_int_equal(wg_test_exists(tmp, "t"), 0);
    }
    assert_int_equal(wg_test_write(tmp, "t.yaml", "name: t\nsteps: 3\nnetwork: {file: people.csv, nodes: {id: x}}\n"),
                     0);
    assert_int_equal(run(NULL, &err, "check %s/t.yaml", tmp), 2);
    assert_non_null(strstr(err, "t.yaml:3:"));
    assert_non_null(strstr(err, "network.nodes: missing key 'file'"));
    free(err);
}

/* waggle compare names each variant's folder by its name, letters of any
 * script kept (blowup.csv's folder column says so too). */
static void test_unicode_variant_folders(void **state)
{
    (void)state;
    assert_int_equal(wg_test_write(tmp, "v.yaml",
                                   "name: v\nsteps: 4\nruns: 2\nseed: 2\n"
                                   "network: {generate: ring, nodes: 30}\n"
                                   "events:\n  - {step: 0, seed: {valence: negative, count: 1, by: random}}\n"
                                   "variants:\n  - {name: \"Réponse rapide\", set: {share.negative: 0.01}}\n"
                                   "  - {name: \"当天道歉\", set: {share.negative: 0.02}}\n"),
                     0);
    assert_int_equal(run(NULL, NULL, "compare %s/v.yaml -q -t 1 -o %s/v", tmp, tmp), 0);
    char *s = file_in("v/réponse-rapide", "finals.csv");
    assert_non_null(s);
    free(s);
    s = file_in("v/当天道歉", "finals.csv");
    assert_non_null(s);
    free(s);
    s = file_in("v", "blowup.csv");
    assert_non_null(strstr(s, "\n当天道歉,当天道歉,"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_ids_run),
        cmocka_unit_test(test_text_ids_optimize),
        cmocka_unit_test(test_declared_direction),
        cmocka_unit_test(test_signed_flip),
        cmocka_unit_test(test_bitcoin_otc),
        cmocka_unit_test(test_nodes_table),
        cmocka_unit_test(test_unicode_variant_folders),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
