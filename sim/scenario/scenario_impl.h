/*
 * scenario_impl.h — what the files of sim/scenario/ offer each other beyond
 * the tree (tree.h): check.c's words and typed readers, convert.c's tree →
 * wg_scenario, and scenario.c's reading of one key with its place in the
 * file. Not installed; grouped by defining file.
 */
#ifndef WG_SCENARIO_IMPL_H
#define WG_SCENARIO_IMPL_H

#include "tree.h"

#define WG_LIST_LEN 400           /* room for "one of a, b, c" */
#define WG_SUGGEST_DIST 2         /* "did you mean": at most this many edits */

/* ------------------------------------------------------------------------
 * check.c — the scenario file's words and the typed readers.
 */

/* Keys of the top level and of model: (a key under model: may be given to
 * --set without "model."), NULL-terminated. */
extern const char *const wg_check_top_keys[];
extern const char *const wg_check_model_keys[];
/* network.format (in wg_net_format order from WG_FMT_EDGELIST), and
 * network.self_loops / network.duplicates (index 1: error). */
extern const char *const wg_check_formats[];
extern const char *const wg_check_drop_error[];
/* The keys of a network read from a file. */
extern const char *const wg_check_file_keys[];

/* network.generate: each generator's name, kind and the keys it accepts. */
typedef struct wg_check_net_kind {
    const char *name;
    wg_net_kind kind;
    const char *const *keys;      /* NULL-terminated */
} wg_check_net_kind;
#define WG_CHECK_NNET_KINDS 11
extern const wg_check_net_kind wg_check_net_kinds[WG_CHECK_NNET_KINDS];
/* The generator's name, "file" for a network read from a file. */
const char *wg_check_net_kind_name(wg_net_kind k);
/* 1 when key names a pair of parameters by valence (`share` for
 * share.positive and share.negative), from model.c's table. */
int wg_check_pair_key(const char *key);

/* Damerau–Levenshtein distance (optimal string alignment); SIZE_MAX for
 * words too long to compare. O(|a| |b|). */
size_t wg_check_distance(const char *a, const char *b);
/* The name of a or b (NULL-terminated lists, b may be NULL) closest to word
 * within WG_SUGGEST_DIST edits, or NULL. */
const char *wg_check_suggest(const char *word, const char *const *a, const char *const *b);
/* 1 when name is in the NULL-terminated list (list may be NULL). */
int wg_check_in_list(const char *name, const char *const *list);
/* "a, b, c" of the lists a and b (b may be NULL) into buf, cut to cap. */
char *wg_check_names(char *buf, size_t cap, const char *const *a, const char *const *b);

/* The context of a conversion: every reader reports into it. */
typedef struct wg_check {
    const wg_doc *doc;
    wg_diag *d;
    const char *prefix;   /* "variant 'x': " or "" */
    wg_scenario *s;       /* being filled */
    size_t errors;        /* errors reported so far */
    int oom;              /* an allocation failed */
    int steps_ok;         /* steps is known, event steps can be checked */
} wg_check;

/* The ranges wg_check_real accepts. */
enum { R_ANY, R_NONNEG, R_POS, R_PROB, R_FRAC };

/* Report "[prefix]WHERE: PATH: message" at node `at` (NULL: the file) and
 * count it. */
void wg_check_err(wg_check *c, const node *at, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* How a node reads after "got": its text, "a map", "a list" or "nothing". */
const char *wg_check_got(const node *n);
/* "missing key 'KEY'" at map m. */
void wg_check_missing(wg_check *c, const node *m, const char *path, const char *key);
/* Every key of map m is in known or more (may be NULL), else an error with
 * a suggestion. */
void wg_check_keys(wg_check *c, const node *m, const char *path, const char *const *known,
                   const char *const *more);
/* The readers: 1 with the value stored, or 0 with one error reported
 * (and c->oom set when memory ran out) and the destination untouched. */
int wg_check_map(wg_check *c, const node *n, const char *path);
int wg_check_seq(wg_check *c, const node *n, const char *path);
/* A zeroed array of `size`-byte items, one per item of the list n; NULL
 * when n is not a list or is empty (reported unless allow_empty) or when
 * memory runs out (c->oom set). */
void *wg_check_list(wg_check *c, const node *n, const char *path, size_t size, int allow_empty);
int wg_check_real(wg_check *c, const node *n, const char *path, int range, double *out);
/* A whole number in [lo, hi] (1e6 is accepted). */
int wg_check_uint(wg_check *c, const node *n, const char *path, uint64_t lo, uint64_t hi,
                  uint64_t *out);
int wg_check_u32(wg_check *c, const node *n, const char *path, uint64_t lo, uint32_t *out);
/* A text into *dst (a new string, replacing and freeing what was there). */
int wg_check_str(wg_check *c, const node *n, const char *path, char **dst);
int wg_check_bool(wg_check *c, const node *n, const char *path, int *out);
/* 1 true, 0 false, -1 neither (YAML's spellings), without a message. */
int wg_check_bool_value(const node *n);
/* The index of the node's text in names (NULL-terminated), with "did you mean". */
int wg_check_choice(wg_check *c, const node *n, const char *path, const char *const *names,
                    int *out);
/* A path to an existing regular file, resolved against the scenario's folder. */
int wg_check_path(wg_check *c, const node *n, const char *path, char **dst);

/* ------------------------------------------------------------------------
 * convert.c — tree → wg_scenario.
 */

/* Convert doc (owned: it becomes (*out)->doc, or is freed) into a scenario,
 * every section checked and every problem reported (messages prefixed
 * with `prefix`). WG_OK, WG_EINPUT or WG_ENOMEM; *out is NULL on failure.
 * Variants and sweep values are not tried here (scenario.c does it). */
wg_status wg_convert(wg_doc *doc, const char *prefix, wg_scenario **out, wg_diag *d);

/* ------------------------------------------------------------------------
 * scenario.c — one key of a loaded scenario, with its place in the file.
 */
typedef struct wg_scenario_place {
    int found;                  /* 1 when the key holds a scalar */
    const char *text;           /* its text, owned by the scenario */
    int plain;                  /* written without quotes */
    int shared;                 /* read from `share: X` (both valences in one scalar) */
    unsigned line, col;         /* 1-based position in the scenario file; 0 when an
                                 * override made it or it is shared */
    size_t missing_parts;       /* not found: how many parts of the key are absent */
    unsigned parent_line, parent_col; /* not found: the first key of the deepest map
                                 * that exists, in the file (0 when none) */
} wg_scenario_place;

/* The dotted key (as --set takes it) in the scenario's tree, after its
 * overrides. WG_EINPUT when the key is malformed, unknown at the top, or
 * walks through a value. */
wg_status wg_scenario_place_of(const wg_scenario *s, const char *key, wg_scenario_place *out);

#endif
