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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_ids_run),
        cmocka_unit_test(test_text_ids_optimize),
        cmocka_unit_test(test_declared_direction),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
