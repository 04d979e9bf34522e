/*
 * test_igraph.c — waggle shares a process with other users of igraph
 * (python-igraph, R's igraph): building a graph through igraph.c leaves
 * igraph's process-wide state as the caller set it. The test installs its
 * own error, warning, progress, status and interruption handlers, attribute
 * table and default generator, builds graphs that go through igraph
 * (watts-strogatz, erdos-renyi, GraphML, an unknown famous graph, a broken
 * GraphML file), and checks that every one of them is still in place, that
 * the caller's random stream was neither drawn from nor reseeded, that
 * igraph's errors inside waggle never reached the caller's handler, and that
 * a generated graph does not depend on the caller's generator or on another
 * thread building at the same time.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <igraph.h>

#include "waggle/graph.h"
#include "wg_test.h"

static int caller_errors, caller_warnings;

static void caller_error(const char *reason, const char *file, int line, igraph_error_t err)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)err;
    caller_errors++;
    IGRAPH_FINALLY_FREE();
}

static void caller_warning(const char *reason, const char *file, int line)
{
    (void)reason;
    (void)file;
    (void)line;
    caller_warnings++;
}

static igraph_error_t caller_progress(const char *message, igraph_real_t percent, void *data)
{
    (void)message;
    (void)percent;
    (void)data;
    return IGRAPH_SUCCESS;
}

static igraph_error_t caller_status(const char *message, void *data)
{
    (void)message;
    (void)data;
    return IGRAPH_SUCCESS;
}

static igraph_error_t caller_interruption(void *data)
{
    (void)data;
    return IGRAPH_SUCCESS;
}

/* The caller's own attribute table: a copy of the C one at another address. */
static igraph_attribute_table_t caller_attributes;

static const char graphml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
    "<key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
    "<key id=\"g\" for=\"node\" attr.name=\"group\" attr.type=\"string\"/>\n"
    "<graph edgedefault=\"undirected\">\n"
    "<node id=\"a\"><data key=\"g\">x</data></node><node id=\"b\"><data key=\"g\">y</data></node>\n"
    "<node id=\"c\"><data key=\"g\">x</data></node>\n"
    "<edge source=\"a\" target=\"b\"><data key=\"w\">2</data></edge>\n"
    "<edge source=\"b\" target=\"c\"><data key=\"w\">0.5</data></edge>\n"
    "</graph></graphml>\n";

static char dir[64];

static int setup(void **state)
{
    (void)state;
    caller_attributes = igraph_cattribute_table;
    if (wg_test_mkdtemp(dir, "igraph")) return -1;
    if (wg_test_write(dir, "g.graphml", graphml)) return -1;
    return wg_test_write(dir, "broken.graphml", "<?xml version=\"1.0\"?>\n<graphml><graph><node id=\"a\"/>\n");
}

static int teardown(void **state)
{
    (void)state;
    return wg_test_rmdir(dir);
}

static wg_netspec spec_of(wg_net_kind kind, uint64_t nodes)
{
    wg_netspec s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.nodes = nodes;
    if (kind == WG_NET_WATTS_STROGATZ) {
        s.neighbours = 3;
        s.rewire = 0.2;
    }
    if (kind == WG_NET_ERDOS_RENYI) s.mean_degree = 4;
    return s;
}

/* Build spec (seed 7); returns the status, the graph into *g when g is not NULL. */
static wg_status build(const wg_netspec *s, wg_graph **g, wg_diag *d)
{
    wg_graph *tmp = NULL;
    wg_status st = wg_graph_build(s, 7, &tmp, d);
    if (g) *g = tmp;
    else wg_graph_free(tmp);
    return st;
}

static void assert_same_graph(const wg_graph *a, const wg_graph *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->m, b->m);
    assert_memory_equal(a->out_off, b->out_off, ((size_t)a->n + 1) * sizeof *a->out_off);
    assert_memory_equal(a->out_adj, b->out_adj, a->m * sizeof *a->out_adj);
}

/* Every kind of call into igraph that waggle makes, the failing ones too. */
static void build_through_igraph(void)
{
    char path[128];
    wg_diag d = {0};
    wg_netspec ws = spec_of(WG_NET_WATTS_STROGATZ, 200), er = spec_of(WG_NET_ERDOS_RENYI, 200);
    assert_int_equal(build(&ws, NULL, &d), WG_OK);
    assert_int_equal(build(&er, NULL, &d), WG_OK);

    wg_netspec file = spec_of(WG_NET_FILE, 0);
    snprintf(path, sizeof path, "%s/g.graphml", dir);
    file.file = path;
    file.weight = (char *)"weight";
    wg_graph *g = NULL;
    assert_int_equal(build(&file, &g, &d), WG_OK);
    assert_int_equal(g->n, 3);
    int group = 0;   /* the node attribute came through igraph's attribute handler */
    for (size_t i = 0; i < g->nattrs; i++)
        if (!strcmp(g->attr_names[i], "group")) group = !strcmp(g->attr_values[i][1], "y");
    assert_true(group);
    wg_graph_free(g);
    assert_int_equal(d.errors, 0);

    wg_netspec famous = spec_of(WG_NET_FAMOUS, 0);
    famous.famous = (char *)"no-such-graph";
    assert_int_equal(build(&famous, NULL, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "famous graph \"no-such-graph\" is unknown"));
    wg_diag_free(&d);

    snprintf(path, sizeof path, "%s/broken.graphml", dir);
    assert_int_equal(build(&file, NULL, &d), WG_EINPUT);
    assert_non_null(strstr(wg_diag_first(&d), "cannot read the GraphML file"));
    wg_diag_free(&d);
}

static void test_handlers_restored(void **state)
{
    (void)state;
    igraph_error_handler_t *e0 = igraph_set_error_handler(caller_error);
    igraph_warning_handler_t *w0 = igraph_set_warning_handler(caller_warning);
    igraph_progress_handler_t *p0 = igraph_set_progress_handler(caller_progress);
    igraph_status_handler_t *s0 = igraph_set_status_handler(caller_status);
    igraph_interruption_handler_t *i0 = igraph_set_interruption_handler(caller_interruption);
    igraph_attribute_table_t *a0 = igraph_set_attribute_table(&caller_attributes);
    caller_errors = caller_warnings = 0;

    build_through_igraph();

    /* waggle's igraph errors went to waggle's handler, not the caller's */
    assert_int_equal(caller_errors, 0);
    assert_int_equal(caller_warnings, 0);
    assert_ptr_equal(igraph_set_error_handler(caller_error), caller_error);
    assert_ptr_equal(igraph_set_warning_handler(caller_warning), caller_warning);
    assert_ptr_equal(igraph_set_progress_handler(caller_progress), caller_progress);
    assert_ptr_equal(igraph_set_status_handler(caller_status), caller_status);
    assert_ptr_equal(igraph_set_interruption_handler(caller_interruption), caller_interruption);
    assert_ptr_equal(igraph_set_attribute_table(&caller_attributes), &caller_attributes);

    /* and the caller's handler really is the one igraph calls now */
    igraph_t g;
    assert_int_not_equal(igraph_famous(&g, "no-such-graph"), IGRAPH_SUCCESS);
    assert_int_equal(caller_errors, 1);

    igraph_set_error_handler(e0);
    igraph_set_warning_handler(w0);
    igraph_set_progress_handler(p0);
    igraph_set_status_handler(s0);
    igraph_set_interruption_handler(i0);
    igraph_set_attribute_table(a0);
}

/* The caller's default generator (here an MT19937 of its own, seeded 42)
 * is still the default afterwards, and its stream goes on where it was:
 * waggle neither drew from it nor reseeded it. */
static void test_random_stream_untouched(void **state)
{
    (void)state;
    igraph_rng_t saved = *igraph_rng_default(), mine, twin;
    assert_int_equal(igraph_rng_init(&mine, &igraph_rngtype_mt19937), IGRAPH_SUCCESS);
    assert_int_equal(igraph_rng_init(&twin, &igraph_rngtype_mt19937), IGRAPH_SUCCESS);
    assert_int_equal(igraph_rng_seed(&mine, 42), IGRAPH_SUCCESS);
    assert_int_equal(igraph_rng_seed(&twin, 42), IGRAPH_SUCCESS);
    igraph_rng_set_default(&mine);
    for (int i = 0; i < 3; i++)
        assert_int_equal(igraph_rng_get_integer(igraph_rng_default(), 0, 1 << 30),
                         igraph_rng_get_integer(&twin, 0, 1 << 30));

    build_through_igraph();

    assert_ptr_equal(igraph_rng_default()->type, &igraph_rngtype_mt19937);
    assert_ptr_equal(igraph_rng_default()->state, mine.state);
    for (int i = 0; i < 100; i++)
        assert_int_equal(igraph_rng_get_integer(igraph_rng_default(), 0, 1 << 30),
                         igraph_rng_get_integer(&twin, 0, 1 << 30));
    igraph_rng_set_default(&saved);
    igraph_rng_destroy(&mine);
    igraph_rng_destroy(&twin);
}

/* A generated graph is a function of (spec, seed) only: the same whatever
 * the caller's default generator and wherever its stream stands. */
static void test_graph_independent_of_caller(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec er = spec_of(WG_NET_ERDOS_RENYI, 300), ws = spec_of(WG_NET_WATTS_STROGATZ, 300);
    wg_graph *er0 = NULL, *ws0 = NULL, *g = NULL;
    assert_int_equal(build(&er, &er0, &d), WG_OK);
    assert_int_equal(build(&ws, &ws0, &d), WG_OK);

    igraph_rng_t saved = *igraph_rng_default(), mine;
    assert_int_equal(igraph_rng_init(&mine, &igraph_rngtype_pcg64), IGRAPH_SUCCESS);
    assert_int_equal(igraph_rng_seed(&mine, 1234), IGRAPH_SUCCESS);
    igraph_rng_set_default(&mine);
    for (int i = 0; i < 17; i++) (void)igraph_rng_get_unif01(igraph_rng_default());
    assert_int_equal(build(&er, &g, &d), WG_OK);
    assert_same_graph(g, er0);
    wg_graph_free(g);
    assert_int_equal(build(&ws, &g, &d), WG_OK);
    assert_same_graph(g, ws0);
    wg_graph_free(g);
    igraph_rng_set_default(&saved);
    igraph_rng_destroy(&mine);

    wg_graph_free(er0);
    wg_graph_free(ws0);
    wg_diag_free(&d);
}

/* Two threads building at once: each graph is the one built alone (waggle
 * takes igraph one session at a time). */
#define THREAD_BUILDS 50

typedef struct job {
    const wg_graph *want;
    int same;
} job;

static void *build_many(void *arg)
{
    job *j = arg;
    wg_netspec er = spec_of(WG_NET_ERDOS_RENYI, 300);
    j->same = 1;
    for (int i = 0; i < THREAD_BUILDS; i++) {
        wg_diag d = {0};
        wg_graph *g = NULL;
        if (build(&er, &g, &d) != WG_OK || g->m != j->want->m ||
            memcmp(g->out_adj, j->want->out_adj, g->m * sizeof *g->out_adj) != 0)
            j->same = 0;
        wg_graph_free(g);
        wg_diag_free(&d);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    wg_diag d = {0};
    wg_netspec er = spec_of(WG_NET_ERDOS_RENYI, 300);
    wg_graph *want = NULL;
    assert_int_equal(build(&er, &want, &d), WG_OK);
    job jobs[2] = {{want, 0}, {want, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, build_many, &jobs[i]), 0);
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_true(jobs[0].same);
    assert_true(jobs[1].same);
    wg_graph_free(want);
    wg_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handlers_restored),
        cmocka_unit_test(test_random_stream_untouched),
        cmocka_unit_test(test_graph_independent_of_caller),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
