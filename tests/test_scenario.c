/*
 * test_scenario.c — the scenario loader: DESIGN's example loads with the
 * right values, defaults fill the rest, --set overrides reach every kind of
 * key, each kind of bad input is reported at its exact line and column, all
 * errors of a file come at once, variants and sweep points derive, the
 * written scenario reads back the same, and every allocation failure is
 * reported as WG_ENOMEM without a leak (run under ASan to see leaks).
 *
 * Run from the top of the source tree: fixtures are in tests/data/scenarios.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "waggle/scenario.h"
#include "waggle/output.h"
#include "../sim/scenario/tree.h"   /* the parser's work counter (wg_doc.key_compares) */

#define DATA "tests/data/scenarios"
#define UBG DATA "/ubg.yaml"
/* Two lines every small test scenario starts with. */
#define BASE "name: t\nnetwork: {generate: ring, nodes: 10}\n"

static wg_status parse_sets(const char *yaml, const char *const *sets, size_t n, wg_scenario **s,
                            wg_diag *d)
{
    wg_diag_init(d);
    return wg_scenario_parse(yaml, strlen(yaml), "t.yaml", DATA, sets, n, s, d);
}

static wg_status parse(const char *yaml, wg_scenario **s, wg_diag *d)
{
    return parse_sets(yaml, NULL, 0, s, d);
}

/* 1 when some error of d contains text (printing them all otherwise). */
static int has_error(const wg_diag *d, const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].is_error && strstr(d->items[i].text, text)) return 1;
    fprintf(stderr, "no error contains \"%s\"; errors are:\n", text);
    wg_diag_print(d, stderr);
    return 0;
}

static void assert_pick_equal(const wg_pick *a, const wg_pick *b)
{
    assert_int_equal(a->by, b->by);
    assert_int_equal(a->count, b->count);
    assert_true(a->fraction == b->fraction);
    assert_int_equal(a->segment, b->segment);
    assert_int_equal(a->nids, b->nids);
    for (size_t i = 0; i < a->nids; i++) assert_int_equal(a->ids[i], b->ids[i]);
    assert_true((a->attribute == NULL) == (b->attribute == NULL));
    if (a->attribute) assert_string_equal(a->attribute, b->attribute);
    assert_true((a->value == NULL) == (b->value == NULL));
    if (a->value) assert_string_equal(a->value, b->value);
}

static void assert_opt_str(const char *a, const char *b)
{
    assert_true((a == NULL) == (b == NULL));
    if (a) assert_string_equal(a, b);
}

/* Every field the engine, the sweep driver and the outputs use. */
static void assert_same(const wg_scenario *a, const wg_scenario *b, int with_variants)
{
    assert_string_equal(a->name, b->name);
    assert_opt_str(a->about, b->about);
    assert_opt_str(a->unit, b->unit);
    assert_string_equal(a->step_unit, b->step_unit);
    assert_int_equal(a->steps, b->steps);
    assert_int_equal(a->runs, b->runs);
    assert_int_equal(a->seed, b->seed);
    assert_true(a->blowup == b->blowup);
    assert_int_equal(a->blowup_valence, b->blowup_valence);
    const wg_netspec *na = &a->net, *nb = &b->net;
    assert_int_equal(na->kind, nb->kind);
    assert_int_equal(na->directed, nb->directed);
    assert_int_equal(na->nodes, nb->nodes);
    assert_true(na->mean_degree == nb->mean_degree);
    assert_int_equal(na->edges_per_node, nb->edges_per_node);
    assert_int_equal(na->neighbours, nb->neighbours);
    assert_true(na->rewire == nb->rewire);
    assert_int_equal(na->deg_kind, nb->deg_kind);
    assert_true(na->deg_mean == nb->deg_mean && na->deg_exponent == nb->deg_exponent);
    assert_true(na->deg_cutoff == nb->deg_cutoff);
    assert_int_equal(na->deg_min, nb->deg_min);
    assert_opt_str(na->deg_file, nb->deg_file);
    assert_int_equal(na->nblocks, nb->nblocks);
    for (size_t i = 0; i < na->nblocks; i++) assert_int_equal(na->sizes[i], nb->sizes[i]);
    for (size_t i = 0; i < na->nblocks * na->nblocks; i++) assert_true(na->p[i] == nb->p[i]);
    assert_int_equal(na->dims[0], nb->dims[0]);
    assert_int_equal(na->dims[1], nb->dims[1]);
    assert_int_equal(na->periodic, nb->periodic);
    assert_opt_str(na->famous, nb->famous);
    assert_opt_str(na->file, nb->file);
    assert_int_equal(na->format, nb->format);
    assert_opt_str(na->weight, nb->weight);
    assert_int_equal(na->self_loops_error, nb->self_loops_error);
    assert_int_equal(na->duplicates_error, nb->duplicates_error);
    /* field by field: the structs' padding is whatever the allocator held */
    assert_int_equal(a->arrivals.on, b->arrivals.on);
    assert_true(a->arrivals.present == b->arrivals.present);
    assert_true(a->arrivals.per_step == b->arrivals.per_step);
    assert_int_equal(a->arrivals.by, b->arrivals.by);
    assert_int_equal(a->model.contact, b->model.contact);
    assert_int_equal(a->model.exposure, b->model.exposure);
    assert_memory_equal(&a->model.p, &b->model.p, sizeof a->model.p);
    const wg_recommend *ra = &a->model.recommend, *rb = &b->model.recommend;
    assert_memory_equal(ra->strength, rb->strength, sizeof ra->strength);
    assert_int_equal(ra->memory, rb->memory);
    assert_true(ra->decay == rb->decay && ra->power == rb->power && ra->scale == rb->scale);
    assert_memory_equal(a->model.rekindle, b->model.rekindle, sizeof a->model.rekindle);
    for (int v = 0; v < WG_NVALENCES; v++) {
        assert_int_equal(a->model.duration[v].law, b->model.duration[v].law);
        assert_true(a->model.duration[v].a == b->model.duration[v].a);
        assert_true(a->model.duration[v].b == b->model.duration[v].b);
        if (a->model.exposure == WG_EXPOSURE_THRESHOLD) {
            assert_int_equal(a->model.threshold[v].kind, b->model.threshold[v].kind);
            assert_true(a->model.threshold[v].a == b->model.threshold[v].a);
            assert_true(a->model.threshold[v].b == b->model.threshold[v].b);
        }
    }
    assert_int_equal(a->nsegments, b->nsegments);
    for (size_t i = 0; i < a->nsegments; i++) {
        assert_string_equal(a->segments[i].name, b->segments[i].name);
        assert_pick_equal(&a->segments[i].pick, &b->segments[i].pick);
        assert_int_equal(a->segments[i].set, b->segments[i].set);
        for (int k = 0; k < WG_NPARAMS; k++)
            if (a->segments[i].set & 1u << k)
                assert_true(a->segments[i].p.v[k] == b->segments[i].p.v[k]);
    }
    assert_int_equal(a->nevents, b->nevents);
    for (size_t i = 0; i < a->nevents; i++) {
        const wg_event *x = &a->events[i], *y = &b->events[i];
        assert_int_equal(x->step, y->step);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->valence, y->valence);
        assert_pick_equal(&x->pick, &y->pick);
        if (x->kind == WG_EV_SET || x->kind == WG_EV_SCALE) {
            assert_int_equal(x->param, y->param);
            assert_int_equal(x->segment, y->segment);
        }
        assert_true(x->value == y->value && x->amplitude == y->amplitude);
        assert_true(x->decay == y->decay && x->win == y->win && x->calm == y->calm);
        assert_true(x->power == y->power && x->scale == y->scale);
    }
    if (with_variants) {
        assert_int_equal(a->nvariants, b->nvariants);
        for (size_t i = 0; i < a->nvariants; i++) {
            assert_string_equal(a->variants[i].name, b->variants[i].name);
            assert_opt_str(a->variants[i].about, b->variants[i].about);
        }
    }
    assert_int_equal(a->observed.present, b->observed.present);
    assert_opt_str(a->observed.file, b->observed.file);
    assert_opt_str(a->observed.x, b->observed.x);
    assert_opt_str(a->observed.y, b->observed.y);
    assert_opt_str(a->observed.metric, b->observed.metric);
    assert_true(a->observed.scale == b->observed.scale);
    assert_int_equal(a->sweep.kind, b->sweep.kind);
    assert_int_equal(a->sweep.naxes, b->sweep.naxes);
    assert_int_equal(a->sweep.points, b->sweep.points);
    for (size_t i = 0; i < a->sweep.naxes; i++) {
        const wg_sweep_axis *x = &a->sweep.axes[i], *y = &b->sweep.axes[i];
        assert_string_equal(x->key, y->key);
        assert_int_equal(x->nvalues, y->nvalues);
        for (size_t j = 0; j < x->nvalues; j++) assert_true(x->values[j] == y->values[j]);
        assert_true(x->lo == y->lo && x->hi == y->hi);
    }
}

/* ---- DESIGN's example ---- */

static void test_full_example(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_load(UBG, NULL, 0, &s, &d), WG_OK);
    assert_int_equal(d.count, 0);
    assert_string_equal(s->path, UBG);
    assert_string_equal(s->name, "United Breaks Guitars");
    assert_string_equal(s->about, "One damaged guitar, a song, and an airline that answered too late.");
    assert_string_equal(s->step_unit, "day");
    assert_int_equal(s->steps, 60);
    assert_int_equal(s->runs, 500);
    assert_int_equal(s->seed, 20090706);
    assert_true(s->blowup == 0.01);
    assert_int_equal(s->blowup_valence, WG_NEG);
    assert_int_equal(s->net.kind, WG_NET_BARABASI_ALBERT);
    assert_int_equal(s->net.nodes, 200000);
    assert_int_equal(s->net.edges_per_node, 4);
    assert_int_equal(s->model.contact, WG_CONTACT_ALL);
    assert_int_equal(s->model.exposure, WG_EXPOSURE_INDEPENDENT);
    assert_true(s->model.p.v[WG_P_SHARE_POS] == 0.02);
    assert_true(s->model.p.v[WG_P_SHARE_NEG] == 0.09);
    assert_true(s->model.p.v[WG_P_QUIT_POS] == 0.3);
    assert_true(s->model.p.v[WG_P_QUIT_NEG] == 0.15);
    assert_true(s->model.p.v[WG_P_QUALITY] == 0.97);
    assert_true(s->model.p.v[WG_P_STIFLE] == 0);
    assert_true(s->model.p.v[WG_P_MEDIA_NEG] == 0);

    assert_int_equal(s->nsegments, 1);
    assert_string_equal(s->segments[0].name, "musicians");
    assert_int_equal(s->segments[0].pick.by, WG_PICK_DEGREE);
    assert_true(s->segments[0].pick.fraction == 0.01);
    assert_int_equal(s->segments[0].pick.count, 0);
    assert_true(s->segments[0].p.v[WG_P_ACTIVITY] == 3);
    assert_int_equal(s->segments[0].set, 1u << WG_P_ACTIVITY);

    assert_int_equal(s->nevents, 3);
    assert_int_equal(s->events[0].step, 0);
    assert_int_equal(s->events[0].kind, WG_EV_SEED);
    assert_int_equal(s->events[0].valence, WG_NEG);
    assert_int_equal(s->events[0].pick.by, WG_PICK_RANDOM);
    assert_int_equal(s->events[0].pick.count, 1);
    assert_int_equal(s->events[1].kind, WG_EV_MEDIA);
    assert_int_equal(s->events[1].step, 2);
    assert_int_equal(s->events[1].valence, WG_NEG);
    assert_true(s->events[1].amplitude == 0.002 && s->events[1].decay == 0.4);
    assert_int_equal(s->events[2].kind, WG_EV_RESPOND);
    assert_int_equal(s->events[2].pick.by, WG_PICK_DEGREE);
    assert_int_equal(s->events[2].pick.count, 50);
    assert_true(s->events[2].win == 0.05 && s->events[2].calm == 0.4);

    assert_int_equal(s->nvariants, 2);
    assert_string_equal(s->variants[0].name, "answered on day 1");
    assert_string_equal(s->variants[1].name, "louder critics");
    assert_null(s->variants[1].about);

    assert_true(s->observed.present);
    assert_string_equal(s->observed.file, DATA "/data/ubg-views.csv");
    assert_string_equal(s->observed.x, "day");
    assert_string_equal(s->observed.y, "views");
    assert_null(s->observed.metric);
    assert_true(s->observed.scale == 0);

    assert_int_equal(s->sweep.kind, 1);
    assert_int_equal(s->sweep.naxes, 2);
    assert_string_equal(s->sweep.axes[0].key, "share.negative");
    assert_int_equal(s->sweep.axes[0].nvalues, 3);
    assert_true(s->sweep.axes[0].values[2] == 0.1);
    assert_string_equal(s->sweep.axes[1].key, "quality");
    assert_int_equal(s->sweep.axes[1].nvalues, 5);
    assert_true(s->sweep.axes[1].values[0] == 0.8);
    assert_true(s->sweep.axes[1].values[2] == 0.9);
    assert_true(s->sweep.axes[1].values[4] == 1.0);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

static void test_defaults(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    wg_params p;
    assert_int_equal(parse(BASE, &s, &d), WG_OK);
    wg_params_default(&p);
    assert_string_equal(s->name, "t");
    assert_string_equal(s->path, "t.yaml");
    assert_null(s->about);
    assert_string_equal(s->step_unit, "day");
    assert_int_equal(s->steps, 100);
    assert_int_equal(s->runs, 100);
    assert_int_equal(s->seed, 1);
    assert_true(s->blowup == 0.01);
    assert_int_equal(s->net.kind, WG_NET_RING);
    assert_int_equal(s->net.nodes, 10);
    assert_int_equal(s->model.contact, WG_CONTACT_ALL);
    assert_int_equal(s->model.exposure, WG_EXPOSURE_INDEPENDENT);
    assert_memory_equal(&s->model.p, &p, sizeof p);
    assert_int_equal(s->nsegments + s->nevents + s->nvariants, 0);
    assert_false(s->observed.present);
    assert_int_equal(s->sweep.kind, 0);
    wg_scenario_free(s);
    wg_diag_free(&d);
    wg_scenario_free(NULL);   /* harmless */
}

/* share: 0.05 is both valences; every network kind and pick kind converts. */
static void test_more_keys(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    const char *yaml =
        "name: kinds\n"
        "network: {generate: sbm, sizes: [3, 4], p: [[0.5, 0.1], [0.1, 0.6]]}\n"
        "model: {share: 0.07, contact: once, exposure: fractional, media: {positive: 0.01}}\n"
        "segments:\n"
        "  - {name: a, pick: {by: id, ids: [1, 2]}, share: {negative: 0.2}, susceptibility: 0.5}\n"
        "  - {name: b, pick: {by: segment, segment: a, fraction: 0.5}, quality: 0.9}\n"
        "  - {name: c, pick: {by: attribute, attribute: city, value: Paris}}\n"
        "events:\n"
        "  - {step: 3, set: {key: share.negative, value: 0.02, segment: b}}\n"
        "  - {step: 4, set: {quality: 0.5}}\n"
        "  - {step: 5, scale: {key: activity, factor: 2.5, segment: a}}\n"
        "  - {step: 6, block: {by: pagerank, top: 0.1}}\n"
        "  - {step: 7, seed: {valence: positive, by: segment, segment: c, count: 2}}\n"
        "  - {step: 8, respond: {fraction: 0.5, win: 0.1, calm: 0.9}}\n";
    assert_int_equal(parse(yaml, &s, &d), WG_OK);
    assert_int_equal(s->net.kind, WG_NET_SBM);
    assert_int_equal(s->net.nblocks, 2);
    assert_int_equal(s->net.nodes, 7);
    assert_true(s->net.p[1] == 0.1 && s->net.p[3] == 0.6);
    assert_true(s->model.p.v[WG_P_SHARE_POS] == 0.07 && s->model.p.v[WG_P_SHARE_NEG] == 0.07);
    assert_true(s->model.p.v[WG_P_MEDIA_POS] == 0.01 && s->model.p.v[WG_P_MEDIA_NEG] == 0);
    assert_int_equal(s->model.contact, WG_CONTACT_ONCE);
    assert_int_equal(s->model.exposure, WG_EXPOSURE_FRACTIONAL);
    assert_int_equal(s->segments[0].pick.by, WG_PICK_ID);
    assert_int_equal(s->segments[0].pick.nids, 2);
    assert_int_equal(s->segments[0].pick.ids[1], 2);
    assert_int_equal(s->segments[0].set, 1u << WG_P_SHARE_NEG | 1u << WG_P_SUSCEPTIBILITY);
    assert_int_equal(s->segments[1].pick.segment, 0);
    assert_true(s->segments[1].pick.fraction == 0.5);
    assert_int_equal(s->segments[1].set, 1u << WG_P_QUALITY);
    assert_string_equal(s->segments[2].pick.attribute, "city");
    assert_string_equal(s->segments[2].pick.value, "Paris");
    assert_int_equal(s->events[0].kind, WG_EV_SET);
    assert_int_equal(s->events[0].param, WG_P_SHARE_NEG);
    assert_int_equal(s->events[0].segment, 1);
    assert_true(s->events[0].value == 0.02);
    assert_int_equal(s->events[1].param, WG_P_QUALITY);
    assert_int_equal(s->events[1].segment, -1);
    assert_int_equal(s->events[2].kind, WG_EV_SCALE);
    assert_int_equal(s->events[2].param, WG_P_ACTIVITY);
    assert_true(s->events[2].value == 2.5);
    assert_int_equal(s->events[3].pick.by, WG_PICK_PAGERANK);
    assert_int_equal(s->events[4].pick.segment, 2);
    assert_int_equal(s->events[5].pick.by, WG_PICK_RANDOM);
    assert_true(s->events[5].pick.fraction == 0.5);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* Paths resolve against the scenario's folder; files must exist. */
static void test_paths(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    assert_int_equal(parse("name: f\nnetwork: {file: data/net.txt, format: edgelist, directed: true,"
                           " weight: 3, self_loops: error}\n", &s, &d), WG_OK);
    assert_int_equal(s->net.kind, WG_NET_FILE);
    assert_string_equal(s->net.file, DATA "/data/net.txt");
    assert_int_equal(s->net.format, WG_FMT_EDGELIST);
    assert_int_equal(s->net.directed, 1);
    assert_string_equal(s->net.weight, "3");
    assert_int_equal(s->net.self_loops_error, 1);
    assert_int_equal(s->net.duplicates_error, 0);
    wg_scenario_free(s);
    wg_diag_free(&d);
    assert_int_equal(parse("name: f\nnetwork: {generate: configuration, nodes: 4, "
                           "degrees: {file: data/degrees.txt}}\n", &s, &d), WG_OK);
    assert_string_equal(s->net.deg_file, DATA "/data/degrees.txt");
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* ---- --set ---- */

static void test_set_overrides(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    const char *sets[] = {"share.negative=0.1", "steps=20", "quality=0.5", "events.0.seed.count=7",
                          "segments.musicians.activity=5", "segments.0.pick.top=0.2",
                          "network.nodes=50", "contact=one", "name=overridden", "seed=7"};
    const char *yaml = BASE "events:\n  - {step: 0, seed: {valence: negative, count: 1}}\n"
                            "segments:\n  - {name: musicians, pick: {by: degree, top: 0.01}}\n";
    assert_int_equal(parse_sets(yaml, sets, 10, &s, &d), WG_OK);
    /* the file has no model: it is created */
    assert_true(s->model.p.v[WG_P_SHARE_NEG] == 0.1);
    assert_true(s->model.p.v[WG_P_SHARE_POS] == 0.05);
    assert_int_equal(s->steps, 20);
    assert_true(s->model.p.v[WG_P_QUALITY] == 0.5);
    assert_int_equal(s->events[0].pick.count, 7);
    assert_true(s->segments[0].p.v[WG_P_ACTIVITY] == 5);
    assert_int_equal(s->segments[0].set, 1u << WG_P_ACTIVITY);
    assert_true(s->segments[0].pick.fraction == 0.2);
    assert_int_equal(s->net.nodes, 50);
    assert_int_equal(s->model.contact, WG_CONTACT_ONE);
    assert_string_equal(s->name, "overridden");
    assert_int_equal(s->seed, 7);
    wg_scenario_free(s);
    wg_diag_free(&d);

    /* a scalar share: one valence overridden, the other keeps the file's value */
    const char *one[] = {"share.negative=0.1", "model.quit.positive=0.4"};
    assert_int_equal(parse_sets(BASE "model: {share: 0.03}\n", one, 2, &s, &d), WG_OK);
    assert_true(s->model.p.v[WG_P_SHARE_POS] == 0.03);
    assert_true(s->model.p.v[WG_P_SHARE_NEG] == 0.1);
    assert_true(s->model.p.v[WG_P_QUIT_POS] == 0.4);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

static void check_set_error(const char *yaml, const char *set, const char *expect)
{
    wg_scenario *s = NULL;
    wg_diag d;
    assert_int_equal(parse_sets(yaml, &set, 1, &s, &d), WG_EINPUT);
    assert_null(s);
    assert_int_equal(d.errors, 1);
    assert_true(has_error(&d, expect));
    wg_diag_free(&d);
}

static void test_set_errors(void **state)
{
    (void)state;
    check_set_error(BASE, "share.negative=2",
                    "--set share.negative=2: share.negative: expected a probability in [0, 1], got 2");
    check_set_error(BASE, "sahre.negative=0.1",
                    "--set sahre.negative=0.1: sahre.negative: unknown key, did you mean 'share'?");
    check_set_error(BASE, "share.negatve=0.1",
                    "--set share.negatve=0.1: share.negatve: unknown key, did you mean 'negative'?");
    check_set_error(BASE, "network.nodse=5",
                    "--set network.nodse=5: network.nodse: unknown key, did you mean 'nodes'?");
    check_set_error(BASE "segments:\n  - {name: a, pick: {count: 1}}\n", "segments.b.activity=2",
                    "--set segments.b.activity=2: segments.b.activity: no element 'b'");
    check_set_error(BASE, "steps", "--set steps: expected KEY=VALUE");
    check_set_error(BASE, "steps=0", "--set steps=0: steps: expected a whole number in [1, 4294967295], got 0");
    check_set_error(BASE, "steps=[1,", "--set steps=[1,: YAML syntax error");
    check_set_error(BASE, "name.x=1", "--set name.x=1: name.x: 'name' holds a value");
}

/* ---- bad input: one error each, at its exact place ---- */

/* 70 nested lists: deeper than the loader accepts. */
#define DEEP10 "[[[[[[[[[["
#define DEEP DEEP10 DEEP10 DEEP10 DEEP10 DEEP10 DEEP10 DEEP10

typedef struct bad_case {
    const char *yaml;
    const char *expect;
} bad_case;

static const bad_case bad_cases[] = {
    {BASE "stpes: 10\n", "t.yaml:3:1: stpes: unknown key, did you mean 'steps'?"},
    {BASE "colour: red\n", "t.yaml:3:1: colour: unknown key (expected one of name, about,"},
    {BASE "steps: [1]\n", "t.yaml:3:8: steps: expected a whole number in [1, 4294967295], got a list"},
    {BASE "model: 3\n", "t.yaml:3:8: model: expected a map of keys, got 3"},
    {BASE "steps: ten\n", "t.yaml:3:8: steps: expected a whole number in [1, 4294967295], got ten"},
    {BASE "model:\n  share: {positive: 0.02, negative: 2}\n",
     "t.yaml:4:37: share.negative: expected a probability in [0, 1], got 2"},
    {BASE "model: {quality: -0.1}\n", "t.yaml:3:18: quality: expected a probability in [0, 1], got -0.1"},
    {BASE "model: {quality: .nan}\n", "t.yaml:3:18: quality: expected a probability in [0, 1], got .nan"},
    {BASE "model: {stifle: nan}\n", "t.yaml:3:17: stifle: expected a probability in [0, 1], got nan"},
    {BASE "blowup: {threshold: .inf}\n",
     "t.yaml:3:21: blowup.threshold: expected a fraction in (0, 1], got .inf"},
    {BASE "blowup: {threshold: 0.1, valence: postive}\n",
     "t.yaml:3:35: blowup.valence: expected one of positive, negative, got postive (did you mean 'positive'?)"},
    {BASE "steps: 10\nevents:\n  - {step: 0, seed: {valence: positive, count: -3}}\n",
     "t.yaml:5:48: events.0.seed.count: expected a whole number in [1, 4294967295], got -3"},
    {BASE "steps: 10\nevents:\n  - {step: 0, seed: {valence: positive, count: 2.5}}\n",
     "t.yaml:5:48: events.0.seed.count: expected a whole number in [1, 4294967295], got 2.5"},
    {BASE "steps: 0\n", "t.yaml:3:8: steps: expected a whole number in [1, 4294967295], got 0"},
    {BASE "runs: 0\n", "t.yaml:3:7: runs: expected a whole number in [1, 4294967295], got 0"},
    {BASE "runs: 4294967296\n", "t.yaml:3:7: runs: expected a whole number in [1, 4294967295], got 4294967296"},
    {BASE "seed: 18446744073709551616\n",
     "t.yaml:3:7: seed: expected a whole number in [0, 18446744073709551615], got 18446744073709551616"},
    {BASE "events:\n  - {step: 0, sed: {valence: positive, count: 1}}\n",
     "t.yaml:4:15: events.0.sed: unknown event type, did you mean 'seed'? (expected one of seed, set,"},
    {BASE "events:\n  - {step: 0}\n",
     "t.yaml:4:5: events.0: missing the event type (one of seed, set, scale, media, respond, block)"},
    {BASE "steps: 60\nevents:\n  - {step: 70, block: {count: 1}}\n",
     "t.yaml:5:12: events.0.step: step 70 is beyond the last step 59"},
    {BASE "events:\n  - {step: 0, respond: {count: 5, win: 0.7, calm: 0.4}}\n",
     "t.yaml:4:24: events.0.respond: win + calm must be at most 1, got 0.7 + 0.4 = 1.1"},
    {BASE "events:\n  - {step: 0, respond: {count: 5, by: pagerank, win: 0.1, calm: 0.4}}\n",
     "t.yaml:4:39: events.0.respond.by: expected degree or random, got pagerank"},
    {BASE "segments:\n  - {name: fans, pick: {fraction: 0.1}}\n"
          "events:\n  - {step: 0, seed: {valence: positive, by: segment, segment: fan, count: 1}}\n",
     "t.yaml:6:63: events.0.seed.segment: no segment named 'fan', did you mean 'fans'? (segments: fans)"},
    {BASE "events:\n  - {step: 0, block: {by: segment, segment: x, count: 1}}\n",
     "t.yaml:4:45: events.0.block.segment: no segment named 'x' (the scenario has no segments)"},
    {BASE "segments:\n  - {name: a, pick: {count: 1}}\n  - {name: a, pick: {count: 2}}\n",
     "t.yaml:5:12: segments.1.name: segment 'a' is already defined"},
    {BASE "steps: 5\nsteps: 6\n", "t.yaml:4:1: steps: duplicate key (first given on line 3)"},
    {BASE "model: {share: 0.1\n", "t.yaml:4:1: YAML syntax error: did not find expected ',' or '}'"},
    {BASE "a: &x 1\nb: *x\n", "t.yaml:4:4: b: aliases (*name) are not supported"},
    {"name: t\nnetwork: {file: nope.txt}\n",
     "t.yaml:2:17: network.file: cannot read '" DATA "/nope.txt': No such file or directory"},
    {"name: t\nnetwork: {generate: erdos-renyi, nodes: 10}\n",
     "t.yaml:2:10: network: missing key 'mean_degree'"},
    {"name: t\nnetwork: {generate: erdos-renyi, nodes: 10, mean_degree: 12}\n",
     "t.yaml:2:58: network.mean_degree: expected at most nodes - 1 = 9, got 12"},
    {"name: t\nnetwork: {generate: ring, nodes: 4294967296}\n",
     "t.yaml:2:34: network.nodes: expected a whole number in [1, 4294967295], got 4294967296"},
    {"name: t\nnetwork: {generate: ringg, nodes: 3}\n",
     "t.yaml:2:21: network.generate: expected one of erdos-renyi, barabasi-albert,"},
    {"name: t\nnetwork: {generate: sbm, sizes: [2, 2], p: [[0.5, 0.1], [0.2, 0.5]]}\n",
     "t.yaml:2:58: network.p.1.0: expected 0.1 as p[0][1] (p must be symmetric unless directed: true), got 0.2"},
    {"name: t\nnetwork: {generate: configuration, nodes: 5, degrees: {file: data}}\n",
     "t.yaml:2:62: network.degrees.file: '" DATA "/data' is not a regular file"},
    {"- a\n- b\n", "t.yaml:1:1: expected a map of keys (name:, network:, ...), got a list"},
    {"name: t\n", "t.yaml:1:1: missing key 'network'"},
    {"network: {generate: ring, nodes: 3}\n", "t.yaml:1:1: missing key 'name'"},
    {"", "t.yaml: the file is empty"},
    {BASE "model: {contact: al}\n",
     "t.yaml:3:18: contact: expected one of all, one, once, got al (did you mean 'all'?)"},
    {BASE "observed: {file: data/missing.csv}\n", "t.yaml:3:18: observed.file: cannot read '"},
    {BASE "observed: {file: data/ubg-views.csv, metric: reach}\n",
     "t.yaml:3:46: observed.metric: expected one of unaware, advocates,"},
    {BASE "events:\n  - {step: 0, block: {by: random, top: 0.1}}\n",
     "t.yaml:4:40: events.0.block.top: top is for ranked picks"},
    {BASE "events:\n  - {step: 0, set: {key: share.negativ, value: 0.1}}\n",
     "t.yaml:4:26: events.0.set.key: expected a parameter (share.positive,"},
    {BASE "sweep: {grid: {share.negativ: [0.1]}}\n",
     "t.yaml:3:16: share.negativ: unknown key, did you mean 'negative'?"},
    {BASE "sweep: {grid: {quality: [0.5, 2]}}\n",
     "t.yaml:3:16: quality: expected a probability in [0, 1], got 2"},
    {BASE "sweep: {sobol: {points: 8, ranges: {quality: [0.9, 0.1]}}}\n",
     "t.yaml:3:46: sweep.sobol.ranges.quality: expected low < high, got [0.9, 0.1]"},
    {BASE "variants:\n  - {name: v, set: {share.negative: 3}}\n",
     "variant 'v': t.yaml:4:37: share.negative: expected a probability in [0, 1], got 3"},
    {BASE "steps: 10\nvariants:\n  - {name: v, events: [{step: 10, block: {count: 1}}]}\n",
     "variant 'v': t.yaml:5:31: events.0.step: step 10 is beyond the last step 9"},
    {BASE "variants:\n  - {name: v, set: {sahre.negative: 0.1}}\n",
     "variant 'v': t.yaml:4:21: sahre.negative: unknown key, did you mean 'share'?"},
    {BASE "x: " DEEP "\n", "t.yaml:3:67: x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."},
    {BASE "---\nname: u\n", "t.yaml:3:1: only one YAML document is allowed"},
    {BASE "? [a]\n: 1\n", "t.yaml:3:3: a key must be a word, not a map or a list"},
    {"name: t\nnetwork: {generate: ring, nodes: 3, file: data/net.txt}\n",
     "t.yaml:2:10: network: give either 'generate' or 'file', not both"},
    {BASE "variants:\n  - {name: v}\n  - {name: v}\n",
     "t.yaml:5:12: variants.1.name: variant 'v' is already defined"},
    /* power-law media pulses */
    {BASE "events: [{step: 0, media: {valence: positive, amplitude: 0.1, decay: 0.5, power: 1}}]\n",
     "t.yaml:3:82: events.0.media.power: give either decay (exponential) or power and scale (a power law), not both"},
    {BASE "events: [{step: 0, media: {valence: positive, amplitude: 0.1, power: 0, scale: 1}}]\n",
     "t.yaml:3:70: events.0.media.power: expected a number > 0, got 0"},
    {BASE "events: [{step: 0, media: {valence: positive, amplitude: 0.1, power: 1.5}}]\n",
     "t.yaml:3:27: events.0.media: missing key 'scale'"},
    {BASE "events: [{step: 0, media: {valence: positive, amplitude: 0.1, power: 1.5, scale: -2}}]\n",
     "t.yaml:3:82: events.0.media.scale: expected a number > 0, got -2"},
    {BASE "events: [{step: 0, media: {valence: positive, amplitude: 0.1}}]\n",
     "t.yaml:3:27: events.0.media: missing key 'decay' (or 'power' and 'scale' for a power-law decay)"},
    {BASE "events: [{step: 0, media: {valence: positive, amplitude: 0.1, decay: 0.2, scale: 3}}]\n",
     "t.yaml:3:82: events.0.media.scale: scale is the time scale of a power-law decay: give power, not decay"},
    /* recommendation and rekindling (model.recommend, model.rekindle) */
    {BASE "model: {recommend: {negative: 0.5}}\n",
     "t.yaml:3:20: recommend: missing key 'memory' ({decay: d} for an exponential memory, {power: p, scale: c} for a power law)"},
    {BASE "model: {recommend: {negative: -1, memory: {decay: 0.5}}}\n",
     "t.yaml:3:31: recommend.negative: expected a number >= 0, got -1"},
    {BASE "model: {recommend: {memory: {decay: 0.5}}}\n",
     "t.yaml:3:20: recommend: give the strength of positive or negative recommendation (e.g. negative: 0.5)"},
    {BASE "model: {recommend: {negative: 0.5, memory: {power: 0, scale: 2}}}\n",
     "t.yaml:3:52: recommend.memory.power: expected a number > 0, got 0"},
    {BASE "model: {recommend: {negative: 0.5, memory: {power: 1}}}\n",
     "t.yaml:3:44: recommend.memory: missing key 'scale'"},
    {BASE "model: {recommend: {negative: 0.5, memory: {decay: 0.5, power: 1}}}\n",
     "t.yaml:3:64: recommend.memory.power: give either decay (exponential) or power and scale (a power law), not both"},
    {BASE "model: {recommend: {negative: 0.5, memory: {decay: 1.5}}}\n",
     "t.yaml:3:52: recommend.memory.decay: expected a probability in [0, 1], got 1.5"},
    {BASE "model: {recommend: {negative: 0.5, memory: {power: 1, scale: -1}}}\n",
     "t.yaml:3:62: recommend.memory.scale: expected a number > 0, got -1"},
    {BASE "model: {rekindle: {positive: 2}}\n",
     "t.yaml:3:30: rekindle.positive: expected a probability in [0, 1], got 2"},
    {BASE "model: {rekindle: 0.2, exposure: fractional}\n",
     "t.yaml:3:19: rekindle: rekindling is triggered by contacts: it needs exposure independent, got fractional"},
    {BASE "model: {rekindle: {neutral: 0.1}}\n",
     "t.yaml:3:20: rekindle.neutral: unknown key (expected one of positive, negative)"},
    {BASE "model: {exposure: threshold, threshold: 0.2, recommend: {negative: 0.5, memory: {decay: 0.5}}}\n",
     "t.yaml:3:57: recommend: a recommendation hit is drawn beside media and contacts: it needs exposure independent or fractional, got threshold"},
    /* talking times (model.duration) */
    {BASE "model: {quit: {negative: 0.1}, duration: {negative: {fixed: 3}}}\n",
     "t.yaml:3:54: duration.negative: give either quit.negative or duration.negative, not both"},
    {BASE "model: {quit: 0.1, duration: {positive: {geometric: {quit: 0.3}}}}\n",
     "t.yaml:3:42: duration.positive: give either quit.positive or duration.positive, not both"},
    {BASE "model: {duration: {negative: {fixd: 3}}}\n",
     "t.yaml:3:31: duration.negative: expected one of geometric, fixed, gamma, lognormal, weibull, beta_quit, got fixd (did you mean 'fixed'?)"},
    {BASE "model: {duration: {negative: {fixed: 0}}}\n",
     "t.yaml:3:38: duration.negative.fixed: expected a whole number in [1, 4294967295], got 0"},
    {BASE "model: {duration: {positive: {gamma: {mean: 3}}}}\n",
     "t.yaml:3:38: duration.positive.gamma: missing key 'sd'"},
    {BASE "model: {duration: {positive: {lognormal: {mean: -3, sd: 1}}}}\n",
     "t.yaml:3:49: duration.positive.lognormal.mean: expected a number > 0, got -3"},
    {BASE "model: {duration: {positive: {beta_quit: {a: 0, b: 1}}}}\n",
     "t.yaml:3:46: duration.positive.beta_quit.a: expected a number > 0, got 0"},
    {BASE "model: {duration: {positive: {weibull: {mean: 10, sd: 0.001}}}}\n",
     "t.yaml:3:40: duration.positive.weibull: no Weibull law of shape in [0.01, 1000] has mean 10 and sd 0.001"},
    {BASE "model: {duration: {positive: {fixed: 2, gamma: {mean: 1, sd: 1}}}}\n",
     "t.yaml:3:30: duration.positive: expected one law (geometric, fixed, gamma, lognormal, weibull, beta_quit), got 2 keys"},
    {BASE "model: {contact: once, duration: {positive: {fixed: 2}}}\n",
     "t.yaml:3:34: duration: contact once talks one step only: a duration needs contact all or one"},
    {BASE "model: {duration: {neutral: {fixed: 2}}}\n",
     "t.yaml:3:20: duration.neutral: unknown key (expected one of positive, negative)"},
    {BASE "model: {duration: {negative: {fixed: 3}}}\nsegments:\n  - {name: s, pick: {count: 1}, quit: {negative: 0.5}}\n",
     "t.yaml:5:39: segments.0.quit: model.duration.negative sets the talking time of negative talkers"},
    /* arrivals (open audiences) */
    {BASE "arrivals: {present: 0, per_step: 0.1}\n",
     "t.yaml:3:21: arrivals.present: expected a fraction in (0, 1], got 0"},
    {BASE "arrivals: {present: 0.5, per_step: 1.5}\n",
     "t.yaml:3:36: arrivals.per_step: expected a fraction in (0, 1], got 1.5"},
    {BASE "arrivals: {present: 0.5}\n",
     "t.yaml:3:11: arrivals: missing key 'per_step'"},
    {BASE "arrivals: {present: 0.5, per_step: 0.1, by: degree}\n",
     "t.yaml:3:45: arrivals.by: expected one of id, random, got degree"},
    {BASE "arrivals: {present: 0.5, per_step: 0.1, rate: 2}\n",
     "t.yaml:3:41: arrivals.rate: unknown key"},
    {BASE "arrivals: 0.5\n",
     "t.yaml:3:11: arrivals: expected a map"},
    /* thresholds (exposure threshold) */
    {BASE "model: {exposure: threshold}\n",
     "t.yaml:3:19: exposure: exposure threshold needs model.threshold"},
    {BASE "model: {exposure: threshold, threshold: 1.5}\n",
     "t.yaml:3:41: threshold: expected a probability in [0, 1], got 1.5"},
    {BASE "model: {exposure: threshold, threshold: {positive: 0.2}}\n",
     "t.yaml:3:41: threshold: missing key 'negative'"},
    {BASE "model: {exposure: threshold, threshold: {positive: 0.2, negative: -0.1}}\n",
     "t.yaml:3:67: threshold.negative: expected a probability in [0, 1], got -0.1"},
    {BASE "model: {exposure: threshold, threshold: {uniform: [0.5, 0.2]}}\n",
     "t.yaml:3:51: threshold.uniform: expected lo <= hi, got [0.5, 0.2]"},
    {BASE "model: {exposure: threshold, threshold: {uniform: [0.1, 0.2, 0.3]}}\n",
     "t.yaml:3:51: threshold.uniform: expected [lo, hi], two thresholds in [0, 1], got 3 items"},
    {BASE "model: {exposure: threshold, threshold: {uniform: [0.1, 2]}}\n",
     "t.yaml:3:57: threshold.uniform.1: expected a probability in [0, 1], got 2"},
    {BASE "model: {exposure: threshold, threshold: {normal: {mean: 0.2, sd: 0}}}\n",
     "t.yaml:3:66: threshold.normal.sd: expected a number > 0, got 0"},
    {BASE "model: {exposure: threshold, threshold: {normal: {mean: 0.2}}}\n",
     "t.yaml:3:50: threshold.normal: missing key 'sd'"},
    {BASE "model: {exposure: threshold, threshold: {normall: {mean: 0.2, sd: 1}}}\n",
     "t.yaml:3:42: threshold: expected one of uniform, normal, got normall (did you mean 'normal'?)"},
    {BASE "model: {exposure: threshold, threshold: [0.2]}\n",
     "t.yaml:3:41: threshold: expected a threshold in [0, 1] or one law (uniform, normal), got a list"},
    {BASE "model: {exposure: threshld}\n",
     "t.yaml:3:19: exposure: expected one of independent, fractional, threshold, got threshld (did you mean 'threshold'?)"},
    {BASE "model: {duration: {negative: {fixed: 3}}}\nevents:\n  - {step: 1, set: {key: quit.negative, value: 0.1}}\n",
     "t.yaml:5:26: events.0.set: model.duration.negative sets the talking time; quit.negative would be ignored"},
};

/* observed.metric accepts every metric of summary.csv (results' name table). */
static void test_observed_metrics(void **state)
{
    (void)state;
    for (int m = 0; m < WG_NMETRICS; m++) {
        char text[256];
        wg_scenario *s = NULL;
        wg_diag d;
        snprintf(text, sizeof text, BASE "observed: {file: data/ubg-views.csv, metric: %s}\n",
                 wg_metric_name(m));
        if (parse(text, &s, &d) != WG_OK) {
            wg_diag_print(&d, stderr);
            fail_msg("observed.metric %s refused", wg_metric_name(m));
        }
        wg_scenario_free(s);
        wg_diag_free(&d);
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        wg_scenario *s = (wg_scenario *)&s;
        wg_diag d;
        if (parse(bad_cases[i].yaml, &s, &d) != WG_EINPUT || d.errors != 1 ||
            !has_error(&d, bad_cases[i].expect) || s != NULL || d.status != WG_EINPUT) {
            fprintf(stderr, "case %zu:\n%s\n", i, bad_cases[i].yaml);
            wg_diag_print(&d, stderr);
            failed++;
        }
        wg_diag_free(&d);
    }
    assert_int_equal(failed, 0);
}

/* Every error of a file at once, each at its own place. */
static void test_many_errors(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    const char *yaml = "name: t\n"
                       "steps: 0\n"
                       "runs: -1\n"
                       "network: {generate: ring}\n"
                       "model: {share: {positive: 1.5}, quit: .nan, colour: red}\n"
                       "events:\n"
                       "  - {step: 1, media: {valence: sideways, amplitude: 0.1, decay: 2}}\n";
    assert_int_equal(parse(yaml, &s, &d), WG_EINPUT);
    assert_true(has_error(&d, "t.yaml:2:8: steps:"));
    assert_true(has_error(&d, "t.yaml:3:7: runs:"));
    assert_true(has_error(&d, "t.yaml:4:10: network: missing key 'nodes'"));
    assert_true(has_error(&d, "t.yaml:5:27: share.positive:"));
    assert_true(has_error(&d, "t.yaml:5:39: quit:"));
    assert_true(has_error(&d, "t.yaml:5:45: colour: unknown key"));
    assert_true(has_error(&d, "t.yaml:7:32: events.0.media.valence: expected one of positive, negative"));
    assert_true(has_error(&d, "t.yaml:7:65: events.0.media.decay:"));
    assert_int_equal(d.errors, 8);
    wg_diag_free(&d);
}

static void test_load_errors(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_load(DATA "/missing.yaml", NULL, 0, &s, &d), WG_EINPUT);
    assert_true(has_error(&d, DATA "/missing.yaml: cannot read the scenario: No such file"));
    wg_diag_free(&d);
    assert_int_equal(wg_scenario_load(DATA, NULL, 0, &s, &d), WG_EINPUT);
    assert_true(has_error(&d, DATA ": is a folder, not a scenario file"));
    wg_diag_free(&d);
    assert_int_equal(wg_scenario_load(DATA "/empty.yaml", NULL, 0, &s, &d), WG_EINPUT);
    assert_true(has_error(&d, DATA "/empty.yaml: the file is empty"));
    wg_diag_free(&d);
    /* overrides go through load too */
    const char *set = "runs=3";
    assert_int_equal(wg_scenario_load(UBG, &set, 1, &s, &d), WG_OK);
    assert_int_equal(s->runs, 3);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* ---- variants and sweep points ---- */

static void test_variants(void **state)
{
    (void)state;
    wg_scenario *s = NULL, *v = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_load(UBG, NULL, 0, &s, &d), WG_OK);
    /* events are added to the base's */
    assert_int_equal(wg_scenario_variant(s, 0, &v, &d), WG_OK);
    assert_int_equal(v->nvariants, 0);
    assert_int_equal(v->nevents, 4);
    assert_int_equal(v->events[3].kind, WG_EV_RESPOND);
    assert_int_equal(v->events[3].step, 1);
    assert_true(v->model.p.v[WG_P_SHARE_NEG] == 0.09);
    wg_scenario_free(v);
    /* set overrides a dotted key, nothing else changes */
    assert_int_equal(wg_scenario_variant(s, 1, &v, &d), WG_OK);
    assert_true(v->model.p.v[WG_P_SHARE_NEG] == 0.12);
    v->model.p.v[WG_P_SHARE_NEG] = 0.09;
    assert_same(s, v, 0);
    wg_scenario_free(v);
    assert_int_equal(wg_scenario_variant(s, 2, &v, &d), WG_EINPUT);
    assert_null(v);
    assert_int_equal(d.errors, 1);
    wg_scenario_free(s);
    wg_diag_free(&d);

    /* a variant without overrides is the base (common random numbers rely on it) */
    const char *yaml = BASE "steps: 30\nevents:\n  - {step: 0, seed: {valence: positive, count: 2}}\n"
                            "variants:\n  - {name: same}\n"
                            "  - {name: quiet, replace_events: true, events: [{step: 5, "
                            "media: {valence: positive, amplitude: 0.1, decay: 0}}]}\n"
                            "  - {name: none, replace_events: true}\n";
    assert_int_equal(parse(yaml, &s, &d), WG_OK);
    assert_int_equal(wg_scenario_variant(s, 0, &v, &d), WG_OK);
    assert_same(s, v, 0);
    wg_scenario_free(v);
    assert_int_equal(wg_scenario_variant(s, 1, &v, &d), WG_OK);
    assert_int_equal(v->nevents, 1);
    assert_int_equal(v->events[0].kind, WG_EV_MEDIA);
    wg_scenario_free(v);
    assert_int_equal(wg_scenario_variant(s, 2, &v, &d), WG_OK);
    assert_int_equal(v->nevents, 0);
    wg_scenario_free(v);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* Thousands of variants (a generated what-if list): every one derives with its
 * own overrides and nothing of the others', a repeated name is found however
 * far apart the two are, and an error in one variant names it. Each variant is
 * derived from the base without the other variants (scenario.c), and names are
 * checked through a hash set (convert.c), so this is linear; not timed here. */
static void test_many_variants(void **state)
{
    (void)state;
    enum { NV = 3000 };
    size_t cap = 200 + (size_t)NV * 96, len = 0;
    char *yaml = malloc(cap);
    assert_non_null(yaml);
    len += (size_t)snprintf(yaml + len, cap - len, BASE "steps: 40\nevents:\n"
                            "  - {step: 0, seed: {valence: positive, count: 2}}\nvariants:\n");
    for (unsigned i = 0; i < NV; i++)
        len += (size_t)snprintf(yaml + len, cap - len, "  - {name: what-if %u, set: {share.negative: "
                                "0.%04u, events.0.step: %u}}\n", i, i + 1, i % 37);
    wg_scenario *s = NULL, *v = NULL;
    wg_diag d;
    assert_int_equal(parse(yaml, &s, &d), WG_OK);
    assert_int_equal(s->nvariants, NV);
    const unsigned probe[] = {0, 1, 1499, NV - 2, NV - 1};
    for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++) {
        const unsigned i = probe[k];
        char name[32];
        snprintf(name, sizeof name, "what-if %u", i);
        assert_string_equal(s->variants[i].name, name);
        assert_int_equal(wg_scenario_variant(s, i, &v, &d), WG_OK);
        assert_int_equal(v->nvariants, 0);
        assert_true(v->model.p.v[WG_P_SHARE_NEG] == (i + 1) / 10000.0);
        assert_int_equal(v->nevents, 1);
        assert_int_equal(v->events[0].step, i % 37);
        wg_scenario_free(v);
    }
    wg_scenario_free(s);
    wg_diag_free(&d);

    /* one variant in the middle is wrong: its error names it */
    char *bad = malloc(cap + 200);
    assert_non_null(bad);
    memcpy(bad, yaml, len + 1);
    char *mid = strstr(bad, "share.negative: 0.2001");   /* variant 2000, line 7 + 2000 */
    assert_non_null(mid);
    memcpy(mid, "share.negative: 2.2001", 22);
    assert_int_equal(parse(bad, &s, &d), WG_EINPUT);
    assert_null(s);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].text, "variant 'what-if 2000': t.yaml:2007:48: share.negative: "
                                         "expected a probability in [0, 1], got 2.2001");
    wg_diag_free(&d);
    /* the last variant repeats the first's name */
    memcpy(bad, yaml, len + 1);
    snprintf(bad + len, cap + 200 - len, "  - {name: what-if 0}\n");
    assert_int_equal(parse(bad, &s, &d), WG_EINPUT);
    assert_int_equal(d.errors, 1);
    char want[128];
    snprintf(want, sizeof want, "t.yaml:%d:12: variants.%d.name: variant 'what-if 0' is already "
             "defined", 7 + NV, NV);
    assert_string_equal(d.items[0].text, want);
    wg_diag_free(&d);
    free(bad);
    free(yaml);
}

static void test_with(void **state)
{
    (void)state;
    wg_scenario *s = NULL, *w = NULL;
    wg_diag d;
    const char *keys[] = {"share.negative", "runs", "events.0.step"};
    const char *vals[] = {"0.07", "3", "4"};
    assert_int_equal(parse(BASE "events:\n  - {step: 0, seed: {valence: positive, count: 2}}\n"
                                "variants:\n  - {name: v, set: {runs: 9}}\n", &s, &d), WG_OK);
    assert_int_equal(wg_scenario_with(s, 3, keys, vals, &w, &d), WG_OK);
    assert_true(w->model.p.v[WG_P_SHARE_NEG] == 0.07);
    assert_int_equal(w->runs, 3);
    assert_int_equal(w->events[0].step, 4);
    assert_int_equal(w->nvariants, 1);
    w->model.p.v[WG_P_SHARE_NEG] = s->model.p.v[WG_P_SHARE_NEG];
    w->runs = s->runs;
    w->events[0].step = 0;
    assert_same(s, w, 1);
    wg_scenario_free(w);
    /* the base is untouched, a second point starts from it */
    assert_int_equal(wg_scenario_with(s, 1, keys, (const char *[]){"1.5"}, &w, &d), WG_EINPUT);
    assert_null(w);
    assert_true(has_error(&d, "share.negative=1.5: share.negative: expected a probability in [0, 1], got 1.5"));
    assert_true(s->model.p.v[WG_P_SHARE_NEG] == 0.05);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* ---- writing ---- */

static void roundtrip(const wg_scenario *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    wg_scenario *r = NULL, *v1 = NULL, *v2 = NULL;
    wg_diag d;
    assert_non_null(f);
    assert_int_equal(wg_scenario_write(s, f, 0), WG_OK);
    fclose(f);
    wg_diag_init(&d);
    if (wg_scenario_parse(buf, len, "written", NULL, NULL, 0, &r, &d) != WG_OK) {
        fprintf(stderr, "%s", buf);
        wg_diag_print(&d, stderr);
        fail();
    }
    assert_same(s, r, 1);
    for (size_t i = 0; i < s->nvariants; i++) {
        assert_int_equal(wg_scenario_variant(s, i, &v1, &d), WG_OK);
        assert_int_equal(wg_scenario_variant(r, i, &v2, &d), WG_OK);
        assert_same(v1, v2, 1);
        wg_scenario_free(v1);
        wg_scenario_free(v2);
    }
    wg_scenario_free(r);
    wg_diag_free(&d);
    free(buf);
}

/* unit: what an agent stands for, kept through the round trip; an empty one refused */
static void test_unit(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    assert_int_equal(parse(BASE "unit: members\n", &s, &d), WG_OK);
    assert_string_equal(s->unit, "members");
    roundtrip(s);
    wg_scenario_free(s);
    wg_diag_free(&d);
    s = NULL;
    assert_int_equal(parse(BASE, &s, &d), WG_OK);
    assert_null(s->unit);
    wg_scenario_free(s);
    wg_diag_free(&d);
    s = NULL;
    assert_int_equal(parse(BASE "unit: \"  \"\n", &s, &d), WG_EINPUT);
    assert_true(has_error(&d, "t.yaml:3:7: unit: expected what an agent stands for"));
    wg_diag_free(&d);
    assert_int_equal(parse(BASE "unit: [a]\n", &s, &d), WG_EINPUT);
    assert_true(has_error(&d, "unit: expected a text"));
    wg_diag_free(&d);
}

static void test_write_roundtrip(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_load(UBG, NULL, 0, &s, &d), WG_OK);
    roundtrip(s);
    wg_scenario_free(s);
    const char *yaml =
        "name: \"quotes \\\" and\\ttabs: {x}\"\n"
        "about: '#1'\n"
        "step: hour\nsteps: 24\nruns: 7\nseed: 18446744073709551615\nblowup: {threshold: 0.3, valence: positive}\n"
        "network: {generate: lattice, dims: [4, 5], periodic: true}\n"
        "model: {share: 0.1, quit: {negative: 0.125}, stifle: 0.2, forget: 0.01, "
        "media: {negative: 0.001}, exposure: fractional, contact: one}\n"
        "segments:\n"
        "  - {name: a, pick: {by: id, ids: [1, 2, 4294967294]}, share: {negative: 0.2}, activity: 2}\n"
        "  - {name: b, pick: {by: attribute, attribute: city, value: 'Paris, TX'}}\n"
        "  - {name: c, pick: {by: segment, segment: a, fraction: 0.5}, quality: 0.3}\n"
        "events:\n"
        "  - {step: 3, set: {key: share.negative, value: 0.02, segment: b}}\n"
        "  - {step: 5, scale: {key: activity, factor: 2.5}}\n"
        "  - {step: 6, block: {by: kcore, count: 3}}\n"
        "  - {step: 0, seed: {valence: positive, by: segment, segment: c, count: 2}}\n"
        "  - {step: 8, respond: {fraction: 0.5, by: degree, win: 0.1, calm: 0.9}}\n"
        "  - {step: 9, media: {valence: positive, amplitude: 0.25, decay: 1}}\n"
        "variants:\n"
        "  - {name: x, about: \"with: colon\", set: {quality: 0.5, network.dims.0: 6}}\n"
        "  - {name: y, replace_events: true, events: [{step: 1, block: {by: id, ids: [3]}}]}\n"
        "observed: {file: data/ubg-views.csv, x: t, y: n, metric: reach_negative, scale: 120.5}\n"
        "sweep: {sobol: {points: 64, ranges: {quality: [0.5, 1], network.dims.1: [2, 9]}}}\n";
    assert_int_equal(parse(yaml, &s, &d), WG_OK);
    assert_string_equal(s->name, "quotes \" and\ttabs: {x}");
    roundtrip(s);
    wg_scenario_free(s);
    /* talking times: each law, and geometric written out (it becomes quit) */
    const char *durations[] = {
        "model: {duration: {positive: {fixed: 3}, negative: {gamma: {mean: 6, sd: 4}}}}\n",
        "model: {duration: {positive: {lognormal: {mean: 2.5, sd: 0.5}}, negative: {weibull: {mean: 6, sd: 9}}}}\n",
        "model: {quit: {positive: 0.3}, duration: {negative: {beta_quit: {a: 0.8, b: 1.2}}}}\n",
        "model: {duration: {negative: {geometric: {quit: 0.125}}}}\n",
    };
    for (size_t i = 0; i < sizeof durations / sizeof *durations; i++) {
        char text[512];
        snprintf(text, sizeof text, "name: d\nnetwork: {generate: ring, nodes: 5}\n%s", durations[i]);
        assert_int_equal(parse(text, &s, &d), WG_OK);
        roundtrip(s);
        if (i == 0) {
            assert_int_equal(s->model.duration[WG_POS].law, WG_DUR_FIXED);
            assert_true(s->model.duration[WG_POS].a == 3);
            assert_int_equal(s->model.duration[WG_NEG].law, WG_DUR_GAMMA);
            assert_true(s->model.duration[WG_NEG].a == 6 && s->model.duration[WG_NEG].b == 4);
        } else if (i == 2) {
            assert_int_equal(s->model.duration[WG_POS].law, WG_DUR_GEOMETRIC);
            assert_true(s->model.p.v[WG_P_QUIT_POS] == 0.3);
            assert_int_equal(s->model.duration[WG_NEG].law, WG_DUR_BETA_QUIT);
        } else if (i == 3) {
            assert_int_equal(s->model.duration[WG_NEG].law, WG_DUR_GEOMETRIC);
            assert_true(s->model.p.v[WG_P_QUIT_NEG] == 0.125);
        }
        wg_scenario_free(s);
    }
    /* thresholds (exposure threshold): one for both, per valence, each law */
    const char *thresholds[] = {
        "model: {exposure: threshold, threshold: 0.18}\n",
        "model: {exposure: threshold, threshold: {positive: 0.125, negative: {uniform: [0.1, 0.3]}}}\n",
        "model: {exposure: threshold, threshold: {normal: {mean: 0.2, sd: 0.05}}}\n",
    };
    for (size_t i = 0; i < sizeof thresholds / sizeof *thresholds; i++) {
        char text[512];
        snprintf(text, sizeof text, "name: d\nnetwork: {generate: ring, nodes: 5}\n%s", thresholds[i]);
        assert_int_equal(parse(text, &s, &d), WG_OK);
        roundtrip(s);
        assert_int_equal(s->model.exposure, WG_EXPOSURE_THRESHOLD);
        if (i == 0) {
            for (int v = 0; v < WG_NVALENCES; v++) {
                assert_int_equal(s->model.threshold[v].kind, WG_THR_FIXED);
                assert_true(s->model.threshold[v].a == 0.18);
            }
        } else if (i == 1) {
            assert_true(s->model.threshold[WG_POS].a == 0.125);
            assert_int_equal(s->model.threshold[WG_NEG].kind, WG_THR_UNIFORM);
            assert_true(s->model.threshold[WG_NEG].a == 0.1 && s->model.threshold[WG_NEG].b == 0.3);
        } else {
            assert_int_equal(s->model.threshold[WG_NEG].kind, WG_THR_NORMAL);
            assert_true(s->model.threshold[WG_NEG].a == 0.2 && s->model.threshold[WG_NEG].b == 0.05);
        }
        wg_scenario_free(s);
    }
    /* attention (DESIGN "Attention"): a power-law pulse */
    const char *attention[] = {
        "events: [{step: 2, media: {valence: negative, amplitude: 0.05, power: 1.2, scale: 2.5}}]\n",
        "model: {recommend: {negative: 0.5, memory: {decay: 0.25}}, rekindle: 0.125}\n",
        "model: {recommend: {positive: 0.75, negative: 2, memory: {power: 1.5, scale: 4}}, "
        "rekindle: {negative: 0.5}}\n",
    };
    for (size_t i = 0; i < sizeof attention / sizeof *attention; i++) {
        char text[512];
        snprintf(text, sizeof text, "name: d\nsteps: 10\nnetwork: {generate: ring, nodes: 5}\n%s",
                 attention[i]);
        assert_int_equal(parse(text, &s, &d), WG_OK);
        roundtrip(s);
        const wg_model *md = &s->model;
        if (i == 0) {
            assert_true(s->events[0].power == 1.2 && s->events[0].scale == 2.5);
            assert_true(s->events[0].decay == 0);
        } else if (i == 1) {
            assert_true(md->recommend.strength[WG_POS] == 0 && md->recommend.strength[WG_NEG] == 0.5);
            assert_int_equal(md->recommend.memory, WG_MEMORY_EXPONENTIAL);
            assert_true(md->recommend.decay == 0.25);
            assert_true(md->rekindle[WG_POS] == 0.125 && md->rekindle[WG_NEG] == 0.125);
        } else {
            assert_int_equal(md->recommend.memory, WG_MEMORY_POWER);
            assert_true(md->recommend.power == 1.5 && md->recommend.scale == 4);
            assert_true(md->recommend.strength[WG_NEG] == 2);
            assert_true(md->rekindle[WG_POS] == 0 && md->rekindle[WG_NEG] == 0.5);
        }
        wg_scenario_free(s);
    }
    /* arrivals: written and read back */
    assert_int_equal(parse("name: a\nnetwork: {generate: ring, nodes: 5}\n"
                           "arrivals: {present: 0.25, per_step: 0.125, by: random}\n", &s, &d), WG_OK);
    assert_true(s->arrivals.on && s->arrivals.present == 0.25 && s->arrivals.per_step == 0.125);
    assert_int_equal(s->arrivals.by, WG_ARRIVE_RANDOM);
    roundtrip(s);
    wg_scenario_free(s);
    const char *nets[] = {
        "name: n\nnetwork: {generate: erdos-renyi, nodes: 100, mean_degree: 3.5}\n",
        "name: n\nnetwork: {generate: watts-strogatz, nodes: 100, neighbours: 2, rewire: 0.1}\n",
        "name: n\nnetwork: {generate: configuration, nodes: 100, degrees: {poisson: 4}}\n",
        "name: n\nnetwork: {generate: configuration, nodes: 100, degrees: {power_law: 2.5, min: 2, cutoff: 50}}\n",
        "name: n\nnetwork: {generate: configuration, nodes: 9, degrees: {file: data/degrees.txt}}\n",
        "name: n\nnetwork: {generate: sbm, sizes: [2, 3], p: [[0.5, 0.1], [0.2, 0.5]], directed: true}\n",
        "name: n\nnetwork: {generate: star, nodes: 10, directed: true}\n",
        "name: n\nnetwork: {generate: complete, nodes: 5}\n",
        "name: n\nnetwork: {generate: famous, name: Zachary}\n",
        "name: n\nnetwork: {file: data/net.txt, weight: w, duplicates: error}\n",
    };
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
        assert_int_equal(parse(nets[i], &s, &d), WG_OK);
        roundtrip(s);
        wg_scenario_free(s);
    }
    wg_diag_free(&d);
}

/* The written scenario is indented as asked (it goes into manifest.yaml). */
static void test_write_indent(void **state)
{
    (void)state;
    wg_scenario *s = NULL;
    wg_diag d;
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(parse(BASE, &s, &d), WG_OK);
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(wg_scenario_write(s, f, 4), WG_OK);
    fclose(f);
    assert_non_null(strstr(buf, "    name: \"t\"\n    step: \"day\"\n    steps: 100\n"));
    assert_non_null(strstr(buf, "    network:\n      generate: ring\n      nodes: 10\n"));
    assert_non_null(strstr(buf, "      share: {positive: 0.05, negative: 0.05}\n"));
    for (char *line = buf; *line; line = strchr(line, '\n') + 1)
        assert_int_equal(strncmp(line, "    ", 4), 0);
    free(buf);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* ---- allocation failures ---- */

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *sets[] = {"share.negative=0.1", "segments.musicians.activity=2"};
    long k;
    for (k = 1; k < 100000; k++) {
        wg_scenario *s = NULL, *v = NULL;
        wg_diag d;
        wg_diag_init(&d);
        wg_malloc_fail_after(k);
        wg_status st = wg_scenario_load(UBG, sets, 2, &s, &d);
        if (st == WG_OK) st = wg_scenario_variant(s, 1, &v, &d);
        wg_malloc_fail_after(0);
        if (st != WG_OK) {
            assert_int_equal(st, WG_ENOMEM);
            wg_scenario_free(s);
            wg_diag_free(&d);
            continue;
        }
        assert_true(v->model.p.v[WG_P_SHARE_NEG] == 0.12);
        wg_scenario_free(v);
        wg_scenario_free(s);
        wg_diag_free(&d);
        break;
    }
    assert_true(k > 100);   /* the loop did meet allocations before succeeding */
    assert_true(k < 100000);
}

/* Found by the --set fuzzer: an override that rewrites a variant's own `set`
 * map while the variant is being derived (a use after free under ASan). */
static void test_variant_set_rewrites_itself(void **state)
{
    (void)state;
    static const char text[] =
        "name: fuzzed overrides\n"
        "steps: 30\n"
        "network: {generate: barabasi-albert, nodes: 500, edges_per_node: 3}\n"
        "variants:\n"
        "  - {name: louder, set: {share.negative: 0.12}}\n";
    const char *sets[1] = {
        "variants.louder.set.variants.louder.set.share.negative=0.:share.negative=0.:"};
    wg_diag d;
    wg_scenario *s = NULL, *v = NULL;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_parse(text, sizeof text - 1, "base.yaml", NULL, sets, 1, &s, &d),
                     WG_OK);
    assert_int_equal(wg_scenario_variant(s, 0, &v, &d), WG_OK);
    assert_float_equal(v->model.p.v[WG_P_SHARE_NEG], 0.12, 0);
    assert_int_equal(v->nvariants, 0);
    wg_scenario_free(v);
    wg_scenario_free(s);
    wg_diag_free(&d);
}

/* Duplicate keys are found with O(1) comparisons a key: a map of 100,000
 * distinct keys is read with at most KEY_COMPARES_PER_KEY comparisons a key
 * (a search of the keys read so far made 5 * 10^9; counted, not timed), and a
 * duplicate at the end of it is still found, with the line of the first. */
#define MANY_KEYS 100000
#define KEY_COMPARES_PER_KEY 8   /* at most half full with linear probing: about 1.5
                                    a lookup, plus the rebuilds (2 per key in all) */
static void test_many_keys(void **state)
{
    (void)state;
    size_t cap = (size_t)MANY_KEYS * 16 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "model:\n");
    for (int i = 0; i < MANY_KEYS; i++) len += (size_t)snprintf(text + len, cap - len, "  k%d: 1\n", i);
    wg_diag d;
    wg_diag_init(&d);
    wg_doc *doc = wg_doc_new("many.yaml", NULL);
    assert_non_null(doc);
    assert_int_equal(wg_tree_parse(doc, 0, 1, text, len, &doc->root, &d), WG_OK);
    const node *model = wg_tree_get(doc->root, "model");
    assert_non_null(model);
    assert_int_equal(model->n, MANY_KEYS);
    assert_int_equal(wg_tree_find(model, "k99999"), MANY_KEYS - 1);
    fprintf(stderr, "test_scenario: %d keys read with %llu key comparisons\n", MANY_KEYS,
            (unsigned long long)doc->key_compares);
    assert_true(doc->key_compares <= (uint64_t)KEY_COMPARES_PER_KEY * MANY_KEYS);
    wg_doc_free(doc);
    wg_diag_free(&d);
    /* the same keys and one repeated at the end */
    len += (size_t)snprintf(text + len, cap - len, "  k123: 2\n");
    wg_diag_init(&d);
    doc = wg_doc_new("many.yaml", NULL);
    assert_non_null(doc);
    assert_int_equal(wg_tree_parse(doc, 0, 1, text, len, &doc->root, &d), WG_EINPUT);
    assert_int_equal(d.errors, 1);
    assert_true(has_error(&d, "many.yaml:100002:3: model.k123: duplicate key (first given on line 125)"));
    assert_true(doc->key_compares <= (uint64_t)KEY_COMPARES_PER_KEY * (MANY_KEYS + 1));
    wg_doc_free(doc);
    wg_diag_free(&d);
    free(text);
}

/* wg_scenario_yaml_scalars (render's and brief's reader of manifest.yaml): dotted keys
 * through maps and through sequences by 0-based index; missing, null or non-scalar
 * entries give NULL; bad YAML is an error with nothing returned. */
static void test_yaml_scalars(void **state)
{
    (void)state;
    static const char text[] = "seed: 7\nscenario:\n  name: \"a b\"\n  variants:\n"
                               "    - {name: first, about: \"the first\"}\n"
                               "    - {name: second}\n  steps: ~\n";
    const char *keys[] = {"seed", "scenario.name", "scenario.variants.0.about",
                          "scenario.variants.1.name", "scenario.variants.1.about",
                          "scenario.variants.2.name", "scenario.variants", "scenario.steps",
                          "scenario.variants.x.name"};
    enum { N = sizeof keys / sizeof keys[0] };
    char *v[N];
    wg_diag d;
    wg_diag_init(&d);
    assert_int_equal(wg_scenario_yaml_scalars(text, sizeof text - 1, "m.yaml", N, keys, v, &d),
                     WG_OK);
    assert_string_equal(v[0], "7");
    assert_string_equal(v[1], "a b");
    assert_string_equal(v[2], "the first");
    assert_string_equal(v[3], "second");
    for (int k = 4; k < N; k++) assert_null(v[k]);
    for (int k = 0; k < N; k++) free(v[k]);
    assert_int_equal(wg_scenario_yaml_scalars("a: [1\n", 6, "bad.yaml", 1, keys, v, &d),
                     WG_EINPUT);
    assert_null(v[0]);
    wg_diag_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_more_keys),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_observed_metrics),
        cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_many_variants),
        cmocka_unit_test(test_with),
        cmocka_unit_test(test_unit),
        cmocka_unit_test(test_write_roundtrip),
        cmocka_unit_test(test_write_indent),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_variant_set_rewrites_itself),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_yaml_scalars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
