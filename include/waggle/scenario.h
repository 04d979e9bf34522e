/*
 * waggle/scenario.h — scenario files (YAML) as validated plain structs.
 *
 * A scenario is loaded in two stages: libyaml parses the file into a tree of
 * maps, sequences and scalars, each node remembering its file, line and
 * column; overrides (--set, a variant's `set`, a sweep point) are applied to
 * that tree; then the tree is converted into a wg_scenario, every check
 * collecting its error (file:line:col: key: what was expected) so that
 * `waggle check` can show them all at once. Only sim/scenario/tree.c
 * includes yaml.h. The files of sim/scenario/: tree.c (YAML → tree),
 * check.c and convert.c (tree → wg_scenario), scenario.c (this door:
 * loading, overrides, variants, lookup), write.c (YAML out, text edits),
 * observed.c (the observed series, waggle/observed.h).
 *
 * Invariants of a loaded wg_scenario: every probability is in [0, 1], every
 * count fits its type, every event step is < steps, every segment named by a
 * pick exists, and paths are resolved against the scenario file's folder.
 */
#ifndef WAGGLE_SCENARIO_H
#define WAGGLE_SCENARIO_H

#include "waggle/common.h"
#include "waggle/graph.h"
#include "waggle/model.h"

typedef struct wg_doc wg_doc;   /* the parsed tree (opaque) */

typedef struct wg_variant {
    char *name;
    char *about;                /* may be NULL */
} wg_variant;

typedef struct wg_observed {
    int present;
    char *file;                 /* resolved path */
    char *x, *y;                /* column names: x defaults to "day"; y NULL: the third
                                   column, the second when there are two (observed.h) */
    char *metric;               /* metric of summary.csv it compares with; NULL: reach of the valence seeded first */
    double scale;               /* observed units per agent; 0 when not given */
} wg_observed;

typedef struct wg_sweep_axis {
    char *key;                  /* dotted key, as --set takes it */
    size_t nvalues;
    double *values;             /* grid values (grid axes only) */
    double lo, hi;              /* sobol range (sobol axes only) */
} wg_sweep_axis;

typedef struct wg_sweepspec {
    int kind;                   /* 0 none, 1 grid, 2 sobol */
    size_t naxes;
    wg_sweep_axis *axes;
    uint64_t points;            /* sobol */
    int indices;                /* sobol.indices: 1 samples Saltelli's design of `points`
                                   base samples and writes sensitivity.csv */
} wg_sweepspec;

/* trace.runs: which runs get a trace (DESIGN.md, `trace:`): a run index, or
 * the run at a quantile of the final reach (negative; positive with
 * blowup.valence: positive). */
typedef enum wg_trace_which {
    WG_TRACE_INDEX = 0, WG_TRACE_MEDIAN, WG_TRACE_P05, WG_TRACE_P95, WG_TRACE_MAX,
    WG_NTRACE_WHICH
} wg_trace_which;
/* Names of the quantile picks ("", "median", "p05", "p95", "max"): entry 0 is a run index. */
extern const char *const wg_trace_which_names[WG_NTRACE_WHICH + 1];
typedef struct wg_trace_pick {
    wg_trace_which which;
    uint32_t run;               /* WG_TRACE_INDEX: the run */
} wg_trace_pick;

typedef struct wg_scenario {
    char *path;                 /* the file it came from ("-" for none) */
    char *name;
    char *about;
    char *unit;                 /* what an agent stands for, in words ("members"); NULL: charts say "customers" */
    char *step_unit;            /* "day" by default */
    uint32_t steps;             /* >= 1 */
    uint32_t runs;              /* >= 1 */
    uint64_t seed;
    double blowup;              /* blowup.threshold: fraction of agents (default 0.01) */
    int blowup_valence;         /* blowup.valence: WG_NEG (default: a blow-up of critics) or
                                   WG_POS (a take-off: positive reach over the threshold) */
    int blowup_at_step;         /* 1: blowup.by_step given (the test reads that step) */
    uint32_t blowup_step;       /* blowup.by_step: < steps */
    int seed_conflict_error;    /* seed_conflict: error (two seeds on one agent in one step
                                   stop the run); 0: `note` (the later seed wins, a note) */
    wg_netspec net;
    wg_model model;
    wg_arrivals arrivals;       /* arrivals: (open audience); .on 0 without the key */
    wg_segment *segments;
    size_t nsegments;
    wg_event *events;           /* in file order */
    size_t nevents;
    wg_variant *variants;
    size_t nvariants;
    wg_observed observed;
    wg_sweepspec sweep;
    wg_trace_pick *trace;       /* trace.runs, in file order (duplicates allowed), or NULL */
    size_t ntrace;
    wg_doc *doc;                /* owned; used to derive variants and sweep points */
} wg_scenario;

/* ---- scenario.c ---- */

/*
 * Load and validate the scenario at path, applying `nsets` overrides
 * "KEY=VALUE" (as --set takes them) first. On success *out is a new scenario
 * (free with wg_scenario_free). On failure *out is NULL, every problem found
 * is in d, and the status is WG_EINPUT (or WG_ENOMEM).
 *
 * KEY is dotted: a top-level key (steps, network.nodes, blowup.threshold), a
 * key under model: with or without "model." (share.negative, quality), list
 * items by 0-based index or by name (events.2.step, segments.musicians.activity).
 * Missing maps are created; VALUE is read as YAML (0.1, all, true, [4, 5]).
 * Messages: "FILE:LINE:COL: KEY: expected ..., got VALUE", or
 * "--set KEY=VALUE: KEY: ..." for an override. Every variant is derived and
 * every sweep value tried too, so a broken variant is reported at load time
 * ("variant 'NAME': ..."). A missing, unreadable or empty file, or a folder,
 * is WG_EINPUT.
 */
wg_status wg_scenario_load(const char *path, const char *const *sets, size_t nsets,
                           wg_scenario **out, wg_diag *d);

/* The same from a YAML text in memory (tests, built-in scenarios); `name`
 * stands for the file name in messages (NULL: "-"), relative paths resolve
 * against `dir` (NULL: paths are taken as written). */
wg_status wg_scenario_parse(const char *text, size_t len, const char *name, const char *dir,
                            const char *const *sets, size_t nsets, wg_scenario **out, wg_diag *d);

/* Variant i of base: the base with the variant's `set` overrides applied and
 * its `events` added to the base's (or, with `replace_events: true`, in their
 * place). The result has no variants of its own; a variant without `set`
 * and `events` converts to exactly the base (common random numbers rely on
 * it). Errors are prefixed "variant 'NAME': ". */
wg_status wg_scenario_variant(const wg_scenario *base, size_t i, wg_scenario **out, wg_diag *d);

/* base with overrides keys[i] = values[i] (dotted keys as --set), for sweep
 * points; values are written as YAML scalars. Messages are labelled
 * "KEY=VALUE". The base is not changed. */
wg_status wg_scenario_with(const wg_scenario *base, size_t n, const char *const *keys,
                           const char *const *values, wg_scenario **out, wg_diag *d);

/* One scalar of the scenario's tree, as wg_scenario_lookup finds it. */
typedef struct wg_scenario_value {
    int found;                  /* 1 when the key holds a scalar */
    const char *text;           /* its text, owned by the scenario */
    int shared;                 /* read from `share: X` (both valences in one scalar) */
} wg_scenario_value;

/* Read the dotted key (as --set takes it) from the scenario's tree, after its
 * overrides: defaults are not in the tree (found is 0). WG_EINPUT when the
 * key is malformed, unknown at the top, or walks through a value. */
wg_status wg_scenario_lookup(const wg_scenario *s, const char *key, wg_scenario_value *out);

/* ---- convert.c ---- */

/* Free s and everything it owns; NULL is a harmless no-op. */
void wg_scenario_free(wg_scenario *s);

/* ---- write.c ---- */

/* Write the scenario as resolved (every key, defaults filled in) as YAML,
 * indented by `indent` spaces, e.g. into manifest.yaml. Texts are quoted and
 * numbers printed to read back exactly, so the output parses (with dir NULL:
 * its paths are already resolved) into the same scenario. WG_EIO if f fails. */
wg_status wg_scenario_write(const wg_scenario *s, FILE *f, int indent);

/* Why wg_scenario_edit_text could not edit the file in place. */
typedef enum wg_scenario_edit_why {
    WG_EDIT_OK = 0,             /* edited */
    WG_EDIT_UNREADABLE,         /* the scenario file cannot be read again */
    WG_EDIT_SHARED,             /* a key is written `share: X`, one scalar for both valences */
    WG_EDIT_NOWHERE,            /* a key has no place in the text: an override made it, or
                                   it would be nested under a map that is missing */
    WG_EDIT_NO_LOAD,            /* the edited text does not load back */
    WG_EDIT_NOT_HELD            /* the edited text loads, but a key does not read back
                                   with its value */
} wg_scenario_edit_why;

/*
 * The text of the file s was loaded from (s->path, read again), preceded by
 * `header` (may be NULL), with keys[i] (dotted, as --set takes them) set to
 * values[i] in place, so that comments and layout are kept: a scalar
 * written in the file is replaced; a key absent from a map that the file
 * has is added next to that map's first key (in flow style inside a flow
 * map). values[i] is written as given (a YAML scalar). The edited text must
 * load back (relative paths as for s) and hold every value (the same text,
 * or the same number), else nothing is returned.
 * On WG_OK: *out is the new text (caller frees) and *why WG_EDIT_OK, or
 * *out is NULL and *why says why it cannot be done. WG_ENOMEM: *out NULL.
 * Time O(n × file size).
 */
wg_status wg_scenario_edit_text(const wg_scenario *s, const char *header, size_t n,
                                const char *const *keys, const char *const *values, char **out,
                                wg_scenario_edit_why *why);

/* ---- tree.c ---- */

/* Scalars of any YAML text by dotted key through maps and sequences ("seed",
 * "scenario.name", "network.nodes", "scenario.variants.0.about": a sequence's
 * part is a 0-based index), without reading it as a scenario: for
 * `waggle render`, which needs a few facts of a finished run's manifest.yaml
 * and must not depend on the network file still being there. vals[i]
 * receives a new string (caller frees) or NULL when the key is absent, null
 * or not a scalar. `name` labels messages. WG_EINPUT when the text is not
 * YAML (file:line:col in d), WG_ENOMEM; on failure every vals[i] is NULL. */
wg_status wg_scenario_yaml_scalars(const char *text, size_t len, const char *name, size_t n,
                                   const char *const *keys, char **vals, wg_diag *d);

#endif
