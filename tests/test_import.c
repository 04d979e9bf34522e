/*
 * test_import.c — network files written into a temporary folder and read
 * back: edge lists (plain, gzip, truncated and corrupt gzip), CSV with and
 * without header, GraphML, GML, Pajek, id limits, self-loops and duplicates
 * in both modes, and files that cannot be read. The SNAP files of
 * ../shared/data are read when present.
 */
#include <math.h>
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

#include "waggle/graph.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return wg_test_mkdtemp(dir, "import");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(dir);
}

static const char *path_of(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static const char *write_file(const char *name, const char *text)
{
    assert_int_equal(wg_test_write(dir, name, text), 0);
    return path_of(name);
}

static wg_netspec file_spec(const char *path)
{
    wg_netspec s;
    memset(&s, 0, sizeof s);
    s.kind = WG_NET_FILE;
    s.file = (char *)path;
    return s;
}

static wg_graph *read_ok(const wg_netspec *s, wg_diag *d)
{
    wg_graph *g = NULL;
    wg_status st = wg_graph_build(s, 1, &g, d);
    if (st != WG_OK) print_error("%s\n", wg_diag_first(d));
    assert_int_equal(st, WG_OK);
    return g;
}

static void read_fails(const wg_netspec *s, const char *words)
{
    wg_diag d = {0};
    wg_graph *g = (wg_graph *)1;
    assert_int_equal(wg_import(s, &g, &d), WG_EINPUT);
    assert_null(g);
    if (!strstr(wg_diag_first(&d), words)) print_error("message: %s\n", wg_diag_first(&d));
    assert_non_null(strstr(wg_diag_first(&d), words));
    wg_diag_free(&d);
}

static int has_note(const wg_diag *d, const char *words)
{
    for (size_t i = 0; i < d->count; i++)
        if (!d->items[i].is_error && strstr(d->items[i].text, words)) return 1;
    return 0;
}

static void test_edgelist(void **state)
{
    (void)state;
    const char *p = write_file("a.txt", "# a comment\n% another\n\n10 20\n20\t30\n  30 10  \n10 40\n");
    wg_netspec s = file_spec(p);
    wg_diag d = {0};
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 4);
    assert_int_equal(g->m, 8);
    assert_int_equal(g->directed, 0);
    const uint64_t labels[] = {10, 20, 30, 40};   /* order of first appearance */
    for (int i = 0; i < 4; i++) assert_int_equal(g->label[i], labels[i]);
    assert_int_equal(wg_graph_out_degree(g, 0), 3);
    assert_int_equal(d.count, 0);
    wg_graph_free(g);
    /* directed, weighted by the third column */
    p = write_file("w.edges", "1 2 0.5\n2 1 2.5\n");
    s = file_spec(p);
    s.directed = 1;
    s.weight = (char *)"3";
    g = read_ok(&s, &d);
    assert_int_equal(g->m, 2);
    assert_true(g->out_w[0] == 0.5f && g->out_w[1] == 2.5f);
    wg_graph_free(g);
    s.weight = (char *)"weight";
    read_fails(&s, "column number");
    p = write_file("w0.txt", "1 2 0\n");
    s = file_spec(p);
    s.weight = (char *)"3";
    read_fails(&s, "w0.txt:1: weight \"0\" is not a finite number other than 0");
    wg_diag_free(&d);
}

static void write_gz(const char *p, const char *text)
{
    gzFile z = gzopen(p, "wb");
    assert_non_null(z);
    assert_true(gzputs(z, text) > 0);
    assert_int_equal(gzclose(z), Z_OK);
}

static void test_gzip(void **state)
{
    (void)state;
    char text[20000] = "# gzip\n";
    for (int i = 0; i < 1000; i++) snprintf(text + strlen(text), 30, "%d %d\n", i, i + 1);
    const char *p = path_of("big.txt.gz");
    write_gz(p, text);
    wg_netspec s = file_spec(p);
    wg_diag d = {0};
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 1001);
    assert_int_equal(g->m, 2000);
    wg_graph_free(g);
    wg_diag_free(&d);
    /* truncated: cut the last bytes of a real gzip file */
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(truncate(p, sb.st_size - 12), 0);
    read_fails(&s, "big.txt.gz: truncated or corrupt gzip data (unexpected end of file)");
    /* corrupt: a gzip header followed by garbage */
    write_gz(p, text);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    fseek(f, 40, SEEK_SET);
    fputs("garbage garbage garbage garbage", f);
    fclose(f);
    read_fails(&s, "big.txt.gz: truncated or corrupt gzip data");
}

static void test_csv(void **state)
{
    (void)state;
    wg_diag d = {0};
    const char *p = write_file("h.csv", "source,target,strength\n1,2,0.5\n\"2\",3,1.5\n3, 1 ,2\n");
    wg_netspec s = file_spec(p);
    s.weight = (char *)"strength";
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->m, 6);
    assert_true(g->out_w[0] == 0.5f);   /* agent 0 (id 1): to 1 (0.5), to 2 (2) */
    assert_true(g->out_w[1] == 2.0f);
    wg_graph_free(g);
    s.weight = (char *)"3";
    g = read_ok(&s, &d);
    wg_graph_free(g);
    s.weight = (char *)"nope";
    read_fails(&s, "weight \"nope\" is not a column");
    /* no header, like bitcoin-otc: a negative rating is not a weight */
    p = write_file("n.csv", "6,2,4,1289241911\n6,5,2,1289241941\n1,15,-1,1289243140\n");
    s = file_spec(p);
    s.directed = 1;
    g = read_ok(&s, &d);
    assert_int_equal(g->n, 5);
    assert_int_equal(g->m, 3);
    wg_graph_free(g);
    s.weight = (char *)"3";
    read_fails(&s, "n.csv:3: a negative tie (weight \"-1\"): say network.negative_ties: drop");
    s.weight = (char *)"rating";
    read_fails(&s, "no header");
    wg_diag_free(&d);
}

static void test_ids(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec s = file_spec(write_file("max.txt", "4294967294 0\n"));
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->label[0], 4294967294ull);
    wg_graph_free(g);
    wg_diag_free(&d);
    s = file_spec(write_file("ego.txt", "1 2\n# c\n4294967295 1\n"));
    read_fails(&s, "ego.txt:3: id 4294967295 is beyond the largest allowed id 4294967294");
    s = file_spec(write_file("huge.txt", "1 99999999999999999999999\n"));
    read_fails(&s, "huge.txt:1: id 99999999999999999999999 is beyond");
    s = file_spec(write_file("neg.txt", "1 2\n-3 1\n"));
    read_fails(&s, "neg.txt:2: id -3 is negative");
    char longid[WG_ID_TEXT_MAX + 8];
    memset(longid, 'a', WG_ID_TEXT_MAX + 1);
    strcpy(longid + WG_ID_TEXT_MAX + 1, " b\n");
    s = file_spec(write_file("long.txt", longid));
    read_fails(&s, "long.txt:1: id \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is longer than 255 bytes");
    s = file_spec(write_file("one.txt", "1\n"));
    read_fails(&s, "one.txt:1: expected a source and a target");
}

/* The id of agent a as wg_graph_id writes it. */
static const char *id_of(const wg_graph *g, uint32_t a)
{
    static char buf[WG_ID_BUF];
    return wg_graph_id(g, a, buf);
}

/* Names and e-mails as ids: agents in order of first appearance, integer ids
 * among them kept as integers, the text kept byte for byte; an integer-only
 * file has no names (its labels as before). */
static void test_text_ids(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec s = file_spec(write_file("names.txt", "alice bob\n# a comment\nbob 7\n"
                                                     "7 carol@example.com\nalice carol@example.com\n"
                                                     "\xc3\xa9lodie alice\nbob alice\n"));
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 5);
    assert_int_equal(g->m, 10);   /* 6 edges, the last a duplicate of the first */
    assert_non_null(g->name);
    assert_string_equal(id_of(g, 0), "alice");
    assert_string_equal(id_of(g, 1), "bob");
    assert_string_equal(id_of(g, 2), "7");
    assert_null(g->name[2]);
    assert_int_equal(g->label[2], 7);
    assert_int_equal(g->label[0], WG_TEXT_ID);
    assert_string_equal(id_of(g, 3), "carol@example.com");
    assert_string_equal(id_of(g, 4), "\xc3\xa9lodie");
    uint32_t a = 99;
    assert_true(wg_graph_find_id(g, "carol@example.com", &a));
    assert_int_equal(a, 3);
    assert_true(wg_graph_find_id(g, "7", &a));
    assert_int_equal(a, 2);
    assert_false(wg_graph_find_id(g, "dave", &a));
    assert_true(has_note(&d, "names.txt: 1 duplicate edge dropped"));
    wg_graph_free(g);
    wg_diag_free(&d);
    /* integer ids: no names, labels as before */
    s = file_spec(write_file("ints.txt", "10 20\n20 30\n"));
    g = read_ok(&s, &d);
    assert_null(g->name);
    assert_string_equal(id_of(g, 1), "20");
    wg_graph_free(g);
    /* CSV: a header, quoted ids with a comma; a text id in the header's place is an error */
    s = file_spec(write_file("people.csv", "from,to\n\"Smith, Ann\",bob\nbob,carol\n"));
    g = read_ok(&s, &d);
    assert_int_equal(g->n, 3);
    assert_string_equal(id_of(g, 0), "Smith, Ann");
    wg_graph_free(g);
    s = file_spec(write_file("nohead.csv", "alice,bob\nbob,alice\nbob,carol\n"));
    read_fails(&s, "nohead.csv:1: the first line was read as a header, but \"alice\" is also an id");
    s.header = WG_HEADER_NO;
    g = read_ok(&s, &d);
    assert_int_equal(g->n, 3);
    assert_string_equal(id_of(g, 0), "alice");
    wg_graph_free(g);
    s = file_spec(write_file("head.txt", "source target\n1 2\n"));
    read_fails(&s, "head.txt:1: the first line \"source target\" looks like a header (neither id comes again)");
    s.header = WG_HEADER_YES;
    g = read_ok(&s, &d);
    assert_int_equal(g->n, 2);
    assert_null(g->name);
    wg_graph_free(g);
    /* GraphML's own ids ("n0") are the agents' ids */
    s = file_spec(write_file("n.graphml",
                             "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                             "<graph edgedefault=\"undirected\"><node id=\"n0\"/><node id=\"n1\"/>"
                             "<node id=\"5\"/><edge source=\"n0\" target=\"n1\"/><edge source=\"n1\" target=\"5\"/>"
                             "</graph></graphml>\n"));
    g = read_ok(&s, &d);
    assert_string_equal(id_of(g, 0), "n0");
    assert_string_equal(id_of(g, 1), "n1");
    assert_string_equal(id_of(g, 2), "5");
    wg_graph_free(g);
    wg_diag_free(&d);
}

/* A GraphML or GML file's declared direction is used when the scenario does
 * not say; a scenario that says otherwise is an error naming both. */
static void test_declared_direction(void **state)
{
    (void)state;
    wg_diag d = {0};
    static const char dg[] =
        "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        "<graph edgedefault=\"directed\"><node id=\"a\"/><node id=\"b\"/><node id=\"c\"/>"
        "<edge source=\"a\" target=\"b\"/><edge source=\"b\" target=\"a\"/><edge source=\"b\" target=\"c\"/>"
        "</graph></graphml>\n";
    wg_netspec s = file_spec(write_file("d.graphml", dg));
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->directed, 1);
    assert_int_equal(g->m, 3);   /* read as undirected, a->b and b->a would be one duplicate edge */
    wg_graph_free(g);
    s.directed_set = 1;
    read_fails(&s, "d.graphml: the file says its network is directed (edgedefault=\"directed\") but the "
                   "scenario's network.directed is false");
    s.directed = 1;
    g = read_ok(&s, &d);
    assert_int_equal(g->directed, 1);
    wg_graph_free(g);
    s = file_spec(write_file("d.gml", "graph [\n directed 1\n node [ id 1 ]\n node [ id 2 ]\n"
                                      " edge [ source 1 target 2 ]\n edge [ source 2 target 1 ]\n]\n"));
    g = read_ok(&s, &d);
    assert_int_equal(g->directed, 1);
    assert_int_equal(g->m, 2);
    wg_graph_free(g);
    s.directed_set = 1;
    read_fails(&s, "d.gml: the file says its network is directed (directed 1)");
    s = file_spec(write_file("u.gml", "graph [\n node [ id 1 ]\n node [ id 2 ]\n edge [ source 1 target 2 ]\n]\n"));
    g = read_ok(&s, &d);
    assert_int_equal(g->directed, 0);
    wg_graph_free(g);
    s.directed_set = 1;
    s.directed = 1;
    read_fails(&s, "u.gml: the file says its network is undirected");
    wg_diag_free(&d);
}

/* Signed ties: a negative weight or sign is an error by default, left out
 * with drop, kept with its flag (and |weight|) with flip; both arcs of an
 * undirected edge carry it; the first of duplicate edges keeps its sign. */
static void test_signed_ties(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec s = file_spec(write_file("signed.csv", "src,dst,rating\na,b,4\nb,c,-2\nc,a,-\na,b,-9\nd,a,+\n"));
    s.weight = (char *)"rating";
    read_fails(&s, "signed.csv:3: a negative tie (weight \"-2\"): say network.negative_ties: drop (leave it out) "
                   "or flip");
    s.negative_ties = WG_NEG_DROP;
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 4);
    assert_int_equal(g->m, 4);   /* a-b (the -9 duplicate left out as negative) and d-a */
    assert_null(g->out_neg);
    assert_true(has_note(&d, "signed.csv: 3 negative ties dropped (negative_ties: drop; the first on line 3)"));
    wg_graph_free(g);
    wg_diag_free(&d);
    s.negative_ties = WG_NEG_FLIP;
    g = read_ok(&s, &d);
    assert_int_equal(g->m, 8);   /* a-b, b-c, c-a, d-a; the second a-b a duplicate */
    assert_non_null(g->out_neg);
    assert_true(wg_graph_valid(g));
    /* row a (agent 0): b (trust, weight 4), c (distrust, 1), d (trust, 1) */
    assert_int_equal(g->out_off[1] - g->out_off[0], 3);
    assert_int_equal(g->out_adj[0], 1);
    assert_int_equal(g->out_neg[0], 0);
    assert_true(g->out_w[0] == 4.0f);
    assert_int_equal(g->out_adj[1], 2);
    assert_int_equal(g->out_neg[1], 1);
    assert_true(g->out_w[1] == 1.0f);
    assert_int_equal(g->out_neg[2], 0);
    assert_true(has_note(&d, "signed.csv: 4 of 8 arcs are distrust ties"));
    wg_graph_free(g);
    /* a sign column beside the weight; a directed graph's transpose keeps the flags */
    s = file_spec(write_file("sign.txt", "1 2 5 -1\n2 3 2 1\n3 1 1 -3\n"));
    s.weight = (char *)"3";
    s.sign = (char *)"4";
    s.directed = 1;
    s.negative_ties = WG_NEG_FLIP;
    g = read_ok(&s, &d);
    assert_int_equal(g->m, 3);
    assert_int_equal(g->out_neg[0], 1);
    assert_true(g->out_w[0] == 5.0f);
    assert_int_equal(g->out_neg[1], 0);
    assert_int_equal(wg_graph_transpose(g, &d), WG_OK);
    assert_true(wg_graph_valid(g));
    assert_int_equal(g->in_neg[g->in_off[1]], 1);   /* 1 -> 2 seen from 2 */
    wg_graph_free(g);
    s.sign = (char *)"3";
    read_fails(&s, "weight and sign name one column");
    s.sign = (char *)"5";
    read_fails(&s, "sign.txt:1: no sign in column 5");
    s = file_spec(write_file("zero.txt", "1 2 0\n"));
    s.sign = (char *)"3";
    read_fails(&s, "zero.txt:1: sign \"0\" is not a finite number other than 0");
    s = file_spec(write_file("g.gml", "graph [\n node [ id 1 ]\n node [ id 2 ]\n edge [ source 1 target 2 ]\n]\n"));
    s.sign = (char *)"sign";
    read_fails(&s, "network.sign names a column of an edge list or CSV file");
    wg_diag_free(&d);
}

static void test_loops_and_duplicates(void **state)
{
    (void)state;
    const char *p = write_file("ld.txt", "1 2\n2 2\n2 1\n3 3\n1 3\n1 2\n");
    wg_netspec s = file_spec(p);
    wg_diag d = {0};
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->m, 4);   /* 1-2 and 1-3 */
    assert_true(has_note(&d, "ld.txt: 2 self-loops dropped"));
    assert_true(has_note(&d, "ld.txt: 2 duplicate edges dropped"));
    wg_graph_free(g);
    wg_diag_free(&d);
    s.directed = 1;   /* 2 -> 1 is no longer a duplicate of 1 -> 2 */
    g = read_ok(&s, &d);
    assert_int_equal(g->m, 3);
    assert_true(has_note(&d, "1 duplicate edge dropped"));
    wg_graph_free(g);
    wg_diag_free(&d);
    s.directed = 0;
    s.self_loops_error = 1;
    read_fails(&s, "ld.txt:2: self-loop 2 -> 2");
    s.self_loops_error = 0;
    s.duplicates_error = 1;
    read_fails(&s, "ld.txt:3: duplicate edge");
}

static void test_unreadable(void **state)
{
    (void)state;
    wg_netspec s = file_spec(path_of("missing.txt"));
    read_fails(&s, "missing.txt: cannot read the network file: No such file or directory");
    s = file_spec(dir);
    read_fails(&s, "is a folder, not a network file");
    s = file_spec(write_file("empty.txt", "# nothing\n"));
    read_fails(&s, "empty.txt: no edges");
    s = file_spec(write_file("empty.csv", ""));
    read_fails(&s, "empty.csv: no edges");
    if (geteuid() != 0) {   /* root reads anything */
        s = file_spec(write_file("secret.txt", "1 2\n"));
        chmod(s.file, 0);
        read_fails(&s, "Permission denied");
    }
    s = file_spec(write_file("x.graphml.gz", "x"));
    read_fails(&s, "not supported");
}

static const char graphml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
    "<key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
    "<key id=\"c\" for=\"node\" attr.name=\"city\" attr.type=\"string\"/>\n"
    "<graph id=\"G\" edgedefault=\"undirected\">\n"
    "<node id=\"7\"><data key=\"c\">Paris</data></node>\n"
    "<node id=\"8\"><data key=\"c\">Lyon</data></node>\n"
    "<node id=\"9\"/>\n"
    "<edge source=\"7\" target=\"8\"><data key=\"w\">2.5</data></edge>\n"
    "<edge source=\"8\" target=\"9\"><data key=\"w\">1</data></edge>\n"
    "</graph></graphml>\n";

static const char *attr(const wg_graph *g, const char *name, uint32_t a)
{
    for (size_t i = 0; i < g->nattrs; i++)
        if (!strcmp(g->attr_names[i], name)) return g->attr_values[i][a];
    return NULL;
}

static void test_graphml(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec s = file_spec(write_file("g.graphml", graphml));
    s.weight = (char *)"weight";
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->m, 4);
    assert_true(g->out_w[0] == 2.5f);
    assert_string_equal(attr(g, "city", 0), "Paris");
    assert_string_equal(attr(g, "city", 1), "Lyon");
    assert_non_null(g->label);
    assert_int_equal(g->label[2], 9);
    wg_graph_free(g);
    s.weight = (char *)"missing";
    read_fails(&s, "no edge attribute \"missing\"");
    char bad[sizeof graphml + 100];
    snprintf(bad, sizeof bad, "<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [ <!ENTITY x \"y\"> ]>\n%s",
             strchr(graphml, '\n') + 1);
    s = file_spec(write_file("dtd.graphml", bad));
    read_fails(&s, "dtd.graphml: DTDs and entities are not accepted");
    s = file_spec(write_file("broken.xml", "<graphml><graph><node id=\"1\"></graph>"));
    read_fails(&s, "broken.xml: cannot read the GraphML file");
    wg_diag_free(&d);
}

static void test_gml_pajek(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec s = file_spec(write_file("g.gml", "graph [\n directed 0\n"
                                                  " node [ id 5 label \"a\" ]\n node [ id 6 label \"b\" ]\n"
                                                  " node [ id 7 label \"c\" ]\n"
                                                  " edge [ source 5 target 6 weight 3 ]\n"
                                                  " edge [ source 6 target 7 weight 4 ]\n"
                                                  " edge [ source 7 target 7 weight 1 ]\n]\n"));
    s.weight = (char *)"weight";
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->m, 4);
    assert_true(has_note(&d, "g.gml: 1 self-loop dropped"));
    assert_string_equal(attr(g, "label", 2), "c");
    assert_non_null(g->label);
    assert_int_equal(g->label[0], 5);
    wg_graph_free(g);
    wg_diag_free(&d);
    s = file_spec(write_file("p.net", "*Vertices 3\n1 \"a\"\n2 \"b\"\n3 \"c\"\n*Arcs\n1 2 2.0\n2 3 1.0\n3 1 1.0\n"));
    s.directed = 1;
    g = read_ok(&s, &d);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->m, 3);
    assert_int_equal(g->out_adj[0], 1);
    wg_graph_free(g);
    wg_diag_free(&d);
}

static void test_shared_data(void **state)
{
    (void)state;
    const char *ego = "../shared/data/ego-facebook.txt.gz", *eu = "../shared/data/email-eu-core.txt";
    if (access(ego, R_OK) != 0 || access(eu, R_OK) != 0) {
        print_message("../shared/data is not reachable from here: SNAP files not tested\n");
        skip();
    }
    wg_diag d = {0};
    wg_netspec s = file_spec(ego);
    wg_graph *g = read_ok(&s, &d);
    assert_int_equal(g->n, 4039);
    assert_int_equal(g->m, 2 * 88234);
    wg_graph_free(g);
    wg_diag_free(&d);
    /* email-eu-core: 25,571 directed lines = kept arcs + self-loops + duplicates */
    s = file_spec(eu);
    s.directed = 1;
    g = read_ok(&s, &d);
    assert_int_equal(g->n, 1005);
    uint64_t loops = 0, dups = 0;
    for (size_t i = 0; i < d.count; i++) {
        const char *t = d.items[i].text, *c = strchr(t, ' ');
        if (strstr(t, "self-loop")) loops = strtoull(c + 1, NULL, 10);
        if (strstr(t, "duplicate")) dups = strtoull(c + 1, NULL, 10);
    }
    print_message("email-eu-core: %llu arcs, %llu self-loops, %llu duplicates\n", (unsigned long long)g->m,
                  (unsigned long long)loops, (unsigned long long)dups);
    assert_int_equal(g->m + loops + dups, 25571);
    assert_true(loops > 0);
    wg_graph_free(g);
    wg_diag_free(&d);
}

/* The two-pass import builds the very CSR that wg_graph_from_edges builds
 * from the same list held in memory: rows sorted by target, duplicates
 * dropped keeping the first weight in the file, self-loops dropped; gzip,
 * directed and undirected, with high-degree rows (merge-sorted) among them.
 * And with duplicates: error, the third pass names the first duplicate's line. */
static void test_streamed_csr(void **state)
{
    (void)state;
    enum { E = 20000, IDS = 400 };
    uint32_t *src = malloc(E * sizeof *src), *dst = malloc(E * sizeof *dst);
    float *w = malloc(E * sizeof *w);
    uint64_t *id_of = malloc(IDS * sizeof *id_of);
    uint32_t *agent_of = malloc(IDS * sizeof *agent_of), n = 0;
    for (uint32_t i = 0; i < IDS; i++) agent_of[i] = UINT32_MAX;
    gzFile gz = gzopen(path_of("big.txt.gz"), "wb");
    assert_non_null(gz);
    uint64_t first_dup = 0;
    for (uint32_t i = 0; i < E; i++) {
        /* id 7 is a hub; ids are sparse and large; weights in tenths */
        uint32_t ia = i % 5 == 0 ? 7 : (uint32_t)((i * 2654435761u) >> 7) % IDS;
        uint32_t ib = (uint32_t)((i * 40503u + 17) ^ (i >> 3)) % IDS;
        uint32_t ids[2] = {ia, ib};
        for (int k = 0; k < 2; k++)
            if (agent_of[ids[k]] == UINT32_MAX) {
                agent_of[ids[k]] = n;
                id_of[n++] = 1000000007ull * ids[k] % 4294967291ull;
            }
        src[i] = agent_of[ia];
        dst[i] = agent_of[ib];
        w[i] = (float)(1 + i % 17) / 10.0f;
        gzprintf(gz, "%llu\t%llu %.1f\n", (unsigned long long)id_of[src[i]],
                 (unsigned long long)id_of[dst[i]], (double)w[i]);
        for (uint32_t j = 0; j < i && !first_dup && src[i] != dst[i]; j++)
            if ((src[j] == src[i] && dst[j] == dst[i]) || (src[j] == dst[i] && dst[j] == src[i]))
                first_dup = i + 1;
    }
    gzclose(gz);
    assert_true(first_dup > 0);
    for (int directed = 0; directed < 2; directed++) {
        wg_diag d = {0};
        wg_netspec s = file_spec(path_of("big.txt.gz"));
        s.directed = directed;
        s.weight = (char *)"3";
        wg_graph *g = read_ok(&s, &d), *h = NULL;
        uint64_t loops = 0, dups = 0;
        assert_int_equal(wg_graph_from_edges(n, E, src, dst, w, directed, &h, &loops, &dups, &d), WG_OK);
        print_message("directed %d: %u agents, %llu arcs, %llu self-loops, %llu duplicates\n", directed, g->n,
                      (unsigned long long)g->m, (unsigned long long)loops, (unsigned long long)dups);
        assert_true(loops > 0 && dups > 0);
        assert_int_equal(g->n, h->n);
        assert_int_equal(g->m, h->m);
        assert_memory_equal(g->out_off, h->out_off, (g->n + 1) * sizeof *g->out_off);
        assert_memory_equal(g->out_adj, h->out_adj, g->m * sizeof *g->out_adj);
        assert_memory_equal(g->out_w, h->out_w, g->m * sizeof *g->out_w);
        assert_memory_equal(g->label, id_of, g->n * sizeof *g->label);
        wg_graph_free(g);
        wg_graph_free(h);
        wg_diag_free(&d);
    }
    wg_netspec s = file_spec(path_of("big.txt.gz"));
    s.duplicates_error = 1;
    char want[64];
    snprintf(want, sizeof want, "big.txt.gz:%llu: duplicate edge", (unsigned long long)first_dup);
    read_fails(&s, want);
    free(src), free(dst), free(w), free(id_of), free(agent_of);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edgelist),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_text_ids),
        cmocka_unit_test(test_declared_direction),
        cmocka_unit_test(test_signed_ties),
        cmocka_unit_test(test_loops_and_duplicates),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_graphml),
        cmocka_unit_test(test_gml_pajek),
        cmocka_unit_test(test_shared_data),
        cmocka_unit_test(test_streamed_csr),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
