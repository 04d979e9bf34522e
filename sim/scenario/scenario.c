/*
 * scenario.c — scenario files: YAML text → tree → validated wg_scenario.
 *
 * Three stages. (1) libyaml's event parser builds a small tree of our own
 * (maps, sequences, scalars); every node records its source (an index into
 * the document's list of sources: the file name, or the label of an
 * override) and its 1-based line and column (0 for nodes an override made).
 * (2) Overrides "KEY=VALUE" edit the tree: dotted keys, sequence elements by
 * index or by `name`, missing maps created. (3) The tree is converted into a
 * wg_scenario; every check reports "where: key: what was expected, got X"
 * and goes on, so that all problems of a file are shown at once.
 *
 * Invariants: a scenario returned with WG_OK passed every check (see
 * scenario.h) and owns its tree (s->doc), from which variants and sweep
 * points are derived by copying the tree, editing the copy and converting it
 * again. Nothing here is global: threads may load scenarios at once. Every
 * allocation goes through wg_malloc & co.; a failure makes the whole load
 * return WG_ENOMEM with nothing leaked. Aliases are refused (no exponential
 * expansion of untrusted input), tags are ignored, nesting is bounded.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "waggle/scenario.h"

#define MAX_DEPTH 64              /* deepest nesting of maps and lists accepted */
#define MAX_PARTS 16              /* most parts in a dotted key */
#define PATH_LEN 256              /* longest dotted key shown in a message */
#define LIST_LEN 400              /* room for "one of a, b, c" */
#define SUGGEST_DIST 2            /* "did you mean": at most this many edits */
#define EDIT_MAX 48               /* words longer than this get no suggestion */
#define MAX_GRID 1000000u         /* most values of one grid axis */
#define MAX_SOBOL 4294967295u     /* most Sobol points */
#define MAX_TRIALS 64             /* grid values tried one by one at load time */
#define MAX_FILE_BYTES (64u << 20) /* largest scenario file read */
#define EXACT_INT 9007199254740992.0 /* 2^53: integers written as 1e6 are exact below */

/* Defaults of DESIGN's scenario section. */
#define DEFAULT_STEPS 100
#define DEFAULT_RUNS 100
#define DEFAULT_SEED 1
#define DEFAULT_BLOWUP 0.01

/* ------------------------------------------------------------------------
 * The tree.
 */
enum { NK_SCALAR, NK_MAP, NK_SEQ };

typedef struct node node;
struct node {
    int kind;
    int plain;            /* scalar written without quotes */
    unsigned line, col;   /* 1-based; 0 when an override made the node */
    size_t src;           /* index into the document's sources */
    char *text;           /* scalar */
    size_t n, cap;        /* entries of a map, items of a sequence */
    node **keys;          /* map: key scalars */
    node **vals;          /* map: values; sequence: items */
};

struct wg_doc {
    node *root;           /* NULL for an empty file */
    char **srcs;          /* srcs[0]: the file name; then override labels */
    size_t nsrcs;
    char *dir;            /* folder relative paths resolve against, or NULL */
};

static node *node_new(int kind, size_t src, unsigned line, unsigned col)
{
    node *n = wg_calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->src = src;
        n->line = line;
        n->col = col;
    }
    return n;
}

static node *scalar_new(const char *text, int plain, size_t src, unsigned line, unsigned col)
{
    node *n = node_new(NK_SCALAR, src, line, col);
    if (!n) return NULL;
    n->plain = plain;
    if (!(n->text = wg_strdup(text))) {
        free(n);
        return NULL;
    }
    return n;
}

static void node_free(node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) node_free(n->keys[i]);
        node_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->text);
    free(n);
}

/* Append (key, val) to a map, or val to a sequence (key NULL). On failure
 * nothing changes and the caller still owns both. */
static int node_push(node *n, node *key, node *val)
{
    if (n->n == n->cap) {
        size_t cap = n->cap ? 2 * n->cap : 4;
        node **v = wg_realloc(n->vals, cap, sizeof *v);
        if (!v) return -1;
        n->vals = v;
        if (n->kind == NK_MAP) {
            node **k = wg_realloc(n->keys, cap, sizeof *k);
            if (!k) return -1;
            n->keys = k;
        }
        n->cap = cap;
    }
    if (n->kind == NK_MAP) n->keys[n->n] = key;
    n->vals[n->n++] = val;
    return 0;
}

static void node_remove(node *n, size_t i)
{
    if (n->keys) node_free(n->keys[i]);
    node_free(n->vals[i]);
    for (size_t j = i + 1; j < n->n; j++) {
        if (n->keys) n->keys[j - 1] = n->keys[j];
        n->vals[j - 1] = n->vals[j];
    }
    n->n--;
}

static node *node_copy(const node *s)
{
    node *n = node_new(s->kind, s->src, s->line, s->col);
    if (!n) return NULL;
    n->plain = s->plain;
    if (s->text && !(n->text = wg_strdup(s->text))) goto fail;
    for (size_t i = 0; i < s->n; i++) {
        node *k = NULL, *v = node_copy(s->vals[i]);
        if (!v) goto fail;
        if (s->kind == NK_MAP && !(k = node_copy(s->keys[i]))) {
            node_free(v);
            goto fail;
        }
        if (node_push(n, k, v)) {
            node_free(k);
            node_free(v);
            goto fail;
        }
    }
    return n;
fail:
    node_free(n);
    return NULL;
}

static long map_find(const node *m, const char *key)
{
    if (!m || m->kind != NK_MAP) return -1;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i]->text, key) == 0) return (long)i;
    return -1;
}

static const node *get(const node *m, const char *key)
{
    long i = map_find(m, key);
    return i < 0 ? NULL : m->vals[i];
}

/* YAML's null: an empty plain scalar, `~` or `null`. */
static int is_null(const node *n)
{
    if (n->kind != NK_SCALAR || !n->plain) return 0;
    const char *t = n->text;
    return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") || !strcmp(t, "NULL");
}

static void doc_free(wg_doc *doc)
{
    if (!doc) return;
    node_free(doc->root);
    for (size_t i = 0; i < doc->nsrcs; i++) free(doc->srcs[i]);
    free(doc->srcs);
    free(doc->dir);
    free(doc);
}

/* Add a source label; its index, or SIZE_MAX when memory runs out. */
static size_t doc_add_src(wg_doc *doc, const char *label)
{
    char *t = wg_strdup(label);
    char **s = t ? wg_realloc(doc->srcs, doc->nsrcs + 1, sizeof *s) : NULL;
    if (!s) {
        free(t);
        return SIZE_MAX;
    }
    doc->srcs = s;
    s[doc->nsrcs] = t;
    return doc->nsrcs++;
}

static wg_doc *doc_new(const char *name, const char *dir)
{
    wg_doc *doc = wg_calloc(1, sizeof *doc);
    if (!doc) return NULL;
    if (doc_add_src(doc, name) == SIZE_MAX || (dir && !(doc->dir = wg_strdup(dir)))) {
        doc_free(doc);
        return NULL;
    }
    return doc;
}

static wg_doc *doc_copy(const wg_doc *s)
{
    wg_doc *doc = doc_new(s->srcs[0], s->dir);
    if (!doc) return NULL;
    for (size_t i = 1; i < s->nsrcs; i++)
        if (doc_add_src(doc, s->srcs[i]) == SIZE_MAX) goto fail;
    if (s->root && !(doc->root = node_copy(s->root))) goto fail;
    return doc;
fail:
    doc_free(doc);
    return NULL;
}

/* "file:line:col: " or "label: " for nodes an override made. */
static void locate(const wg_doc *doc, const node *n, char *buf, size_t cap)
{
    const char *src = doc->srcs[n ? n->src : 0];
    if (n && n->line)
        snprintf(buf, cap, "%s:%u:%u: ", src, n->line, n->col);
    else
        snprintf(buf, cap, "%s: ", src);
}

/* Dotted keys for messages; a key too long to show is cut (checked to keep
 * the compiler's truncation warning quiet: cutting is the intent). */
static char *join(char *buf, const char *path, const char *key)
{
    int w = !path || !*path ? snprintf(buf, PATH_LEN, "%s", key)
                            : snprintf(buf, PATH_LEN, "%s.%s", path, key);
    if (w < 0) buf[0] = 0;
    return buf;
}

static char *join_index(char *buf, const char *path, size_t i)
{
    if (snprintf(buf, PATH_LEN, "%s.%zu", path, i) < 0) buf[0] = 0;
    return buf;
}

/* ------------------------------------------------------------------------
 * Names and suggestions.
 */
static const char *const top_keys[] = {"name", "about", "step", "steps", "runs", "seed",
                                       "blowup", "network", "model", "segments", "events",
                                       "variants", "observed", "sweep", NULL};
static const char *const model_keys[] = {"contact", "exposure", "share", "quit", "quality",
                                         "stifle", "forget", "media", NULL};
static const char *const segment_keys[] = {"name", "pick", "activity", "susceptibility", "share",
                                           "quit", "quality", "stifle", "forget", "media", NULL};
static const char *const pick_keys[] = {"by", "count", "top", "fraction", "segment", "ids",
                                        "attribute", "value", NULL};
static const char *const respond_pick_keys[] = {"by", "count", "top", "fraction", NULL};
static const char *const event_kinds[] = {"seed", "set", "scale", "media", "respond", "block", NULL};
static const char *const valences[] = {"positive", "negative", NULL};
static const char *const contacts[] = {"all", "one", "once", NULL};
static const char *const exposures[] = {"independent", "fractional", NULL};
static const char *const pick_bys[] = {"random", "degree", "pagerank", "kcore", "segment", "id",
                                       "attribute", NULL};
static const char *const formats[] = {"edgelist", "csv", "graphml", "gml", "pajek", NULL};
static const char *const drop_error[] = {"drop", "error", NULL};
static const char *const metrics[] = {"unaware", "advocates", "critics", "supporters", "rejecters",
                                      "immune", "reach_positive", "reach_negative", "new_positive",
                                      "new_negative", "sentiment", NULL};
static const char *const param_names[] = {"share.positive", "share.negative", "quit.positive",
                                           "quit.negative", "quality", "stifle", "forget",
                                           "media.positive", "media.negative", "activity",
                                           "susceptibility", NULL};

/* Damerau–Levenshtein distance (optimal string alignment). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned short d[EDIT_MAX + 1][EDIT_MAX + 1];
    if (la > EDIT_MAX || lb > EDIT_MAX) return SIZE_MAX;
    for (size_t i = 0; i <= la; i++) d[i][0] = (unsigned short)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (unsigned short)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1u < v) v = d[i - 1][j] + 1u;
            if (d[i][j - 1] + 1u < v) v = d[i][j - 1] + 1u;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1u < v)
                v = d[i - 2][j - 2] + 1u;
            d[i][j] = (unsigned short)v;
        }
    return d[la][lb];
}

/* The name of a or b (NULL-terminated lists, b may be NULL) closest to word
 * within SUGGEST_DIST edits, or NULL. */
static const char *suggest(const char *word, const char *const *a, const char *const *b)
{
    const char *best = NULL;
    size_t bestd = SUGGEST_DIST + 1;
    for (int k = 0; k < 2; k++)
        for (const char *const *l = k ? b : a; l && *l; l++) {
            size_t dd = edit_distance(word, *l);
            if (dd < bestd && dd < strlen(*l)) {
                bestd = dd;
                best = *l;
            }
        }
    return best;
}

static int in_list(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0) return 1;
    return 0;
}

static int list_index(const char *name, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0) return i;
    return -1;
}

/* "a, b, c" */
static char *list_names(char *buf, size_t cap, const char *const *a, const char *const *b)
{
    size_t len = 0;
    buf[0] = 0;
    for (int k = 0; k < 2; k++)
        for (const char *const *l = k ? b : a; l && *l; l++) {
            int w = snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", *l);
            if (w < 0 || (size_t)w >= cap - len) return buf;
            len += (size_t)w;
        }
    return buf;
}

/* ------------------------------------------------------------------------
 * YAML text → tree, with libyaml's event parser.
 */
typedef struct ybuild {
    yaml_parser_t parser;
    wg_doc *doc;
    size_t src;
    int positions;        /* 1: record line and column (a file); 0: an override's value */
    wg_diag *d;
    wg_status st;         /* the first failure */
} ybuild;

static void yb_fail(ybuild *b, wg_status st)
{
    if (st == WG_ENOMEM && b->st != WG_ENOMEM)   /* said once, whichever allocation failed */
        wg_diag_error(b->d, WG_ENOMEM, "%s: out of memory while parsing", b->doc->srcs[b->src]);
    if (b->st == WG_OK || st == WG_ENOMEM) b->st = st;
}

static void yb_error(ybuild *b, const yaml_mark_t *m, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void yb_error(ybuild *b, const yaml_mark_t *m, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *src = b->doc->srcs[b->src];
    if (b->positions)
        wg_diag_error(b->d, WG_EINPUT, "%s:%zu:%zu: %s%s%s", src, m->line + 1, m->column + 1,
                      path && *path ? path : "", path && *path ? ": " : "", msg);
    else
        wg_diag_error(b->d, WG_EINPUT, "%s: %s%s%s", src, path && *path ? path : "",
                      path && *path ? ": " : "", msg);
    yb_fail(b, WG_EINPUT);
}

static int yb_next(ybuild *b, yaml_event_t *ev)
{
    if (yaml_parser_parse(&b->parser, ev)) return 0;
    const yaml_parser_t *p = &b->parser;
    if (p->error == YAML_MEMORY_ERROR) {
        yb_fail(b, WG_ENOMEM);
    } else if (p->context) {
        yb_error(b, &p->problem_mark, NULL, "YAML syntax error: %s (%s)",
                 p->problem ? p->problem : "invalid text", p->context);
    } else {
        yb_error(b, &p->problem_mark, NULL, "YAML syntax error: %s",
                 p->problem ? p->problem : "invalid text");
    }
    return -1;
}

static node *yb_node(ybuild *b, const yaml_event_t *ev, const char *path, int depth);

/* The entries of a map or items of a sequence, up to its end event. */
static int yb_children(ybuild *b, node *n, const char *path, int depth)
{
    yaml_event_type_t end = n->kind == NK_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    for (;;) {
        yaml_event_t ev;
        node *key = NULL, *val;
        char sub[PATH_LEN];
        int dup = 0;
        if (yb_next(b, &ev)) return -1;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return 0;
        }
        if (n->kind == NK_MAP) {
            if (ev.type != YAML_SCALAR_EVENT) {
                yb_error(b, &ev.start_mark, path, "a key must be a word, not a map or a list");
                yaml_event_delete(&ev);
                return -1;
            }
            yaml_mark_t at = ev.start_mark;   /* the event is cleared when deleted */
            key = yb_node(b, &ev, path, depth + 1);
            yaml_event_delete(&ev);
            if (!key) return -1;
            long first = map_find(n, key->text);
            join(sub, path, key->text);
            if (first >= 0) {
                dup = 1;
                if (n->keys[first]->line)
                    yb_error(b, &at, sub, "duplicate key (first given on line %u)",
                             n->keys[first]->line);
                else
                    yb_error(b, &at, sub, "duplicate key");
            }
            if (yb_next(b, &ev)) {
                node_free(key);
                return -1;
            }
        } else {
            join_index(sub, path, n->n);
        }
        val = yb_node(b, &ev, sub, depth + 1);
        yaml_event_delete(&ev);
        if (!val || dup) {
            node_free(key);
            node_free(val);
            if (!val) return -1;
            continue;
        }
        if (node_push(n, key, val)) {
            node_free(key);
            node_free(val);
            yb_fail(b, WG_ENOMEM);
            return -1;
        }
    }
}

static node *yb_node(ybuild *b, const yaml_event_t *ev, const char *path, int depth)
{
    unsigned line = b->positions ? (unsigned)ev->start_mark.line + 1 : 0;
    unsigned col = b->positions ? (unsigned)ev->start_mark.column + 1 : 0;
    node *n = NULL;
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        yb_error(b, &ev->start_mark, path, "aliases (*name) are not supported");
        return NULL;
    case YAML_SCALAR_EVENT:
        n = scalar_new((const char *)ev->data.scalar.value,
                       ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, b->src, line, col);
        if (!n) yb_fail(b, WG_ENOMEM);
        return n;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (depth >= MAX_DEPTH) {
            yb_error(b, &ev->start_mark, path, "nested deeper than %d levels", MAX_DEPTH);
            return NULL;
        }
        n = node_new(ev->type == YAML_MAPPING_START_EVENT ? NK_MAP : NK_SEQ, b->src, line, col);
        if (!n) {
            yb_fail(b, WG_ENOMEM);
            return NULL;
        }
        if (yb_children(b, n, path, depth)) {
            node_free(n);
            return NULL;
        }
        return n;
    default:
        yb_error(b, &ev->start_mark, path, "unexpected YAML event");
        return NULL;
    }
}

/* Parse text into a tree whose nodes have source src. *out is NULL for an
 * empty stream. Only one YAML document is accepted. */
static wg_status yaml_tree(wg_doc *doc, size_t src, int positions, const char *text, size_t len,
                           node **out, wg_diag *d)
{
    ybuild b;
    node *root = NULL;
    int docs = 0;
    memset(&b, 0, sizeof b);
    b.doc = doc;
    b.src = src;
    b.positions = positions;
    b.d = d;
    *out = NULL;
    if (!yaml_parser_initialize(&b.parser)) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory while parsing", doc->srcs[src]);
        return WG_ENOMEM;
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
    for (;;) {
        yaml_event_t ev;
        if (yb_next(&b, &ev)) break;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            yb_error(&b, &ev.start_mark, NULL, "only one YAML document is allowed");
            yaml_event_delete(&ev);
            break;
        }
        if (t != YAML_STREAM_START_EVENT && t != YAML_DOCUMENT_START_EVENT &&
            t != YAML_DOCUMENT_END_EVENT) {
            root = yb_node(&b, &ev, "", 0);
            if (!root) {
                yaml_event_delete(&ev);
                break;
            }
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&b.parser);
    if (b.st != WG_OK) {
        node_free(root);
        return b.st;
    }
    *out = root;
    return WG_OK;
}

/* ------------------------------------------------------------------------
 * Overrides: KEY=VALUE applied to the tree.
 */
enum { SET_OK = 0, SET_BAD = -1, SET_OOM = -2 };

/* Element `part` of a sequence: a 0-based index, or the map whose `name` is part. */
static long seq_find(const node *seq, const char *part)
{
    if (isdigit((unsigned char)part[0])) {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(part, &end, 10);
        return !*end && !errno && i < seq->n ? (long)i : -1;
    }
    for (size_t i = 0; i < seq->n; i++) {
        const node *nm = get(seq->vals[i], "name");
        if (nm && nm->kind == NK_SCALAR && strcmp(nm->text, part) == 0) return (long)i;
    }
    return -1;
}

/* `share: 0.05` means both valences; make it {positive: 0.05, negative: 0.05}
 * so that one of them can be overridden. */
static node *expand_pair(const node *sc)
{
    node *m = node_new(NK_MAP, sc->src, sc->line, sc->col);
    if (!m) return NULL;
    for (int i = 0; valences[i]; i++) {
        node *k = scalar_new(valences[i], 1, sc->src, sc->line, sc->col);
        node *v = k ? node_copy(sc) : NULL;
        if (!v || node_push(m, k, v)) {
            node_free(k);
            node_free(v);
            node_free(m);
            return NULL;
        }
    }
    return m;
}

static int set_error(wg_diag *d, const char *prefix, const char *label, const char *key,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int set_error(wg_diag *d, const char *prefix, const char *label, const char *key,
                     const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wg_diag_error(d, WG_EINPUT, "%s%s: %s: %s", prefix, label, key, msg);
    return SET_BAD;
}

/* The next step of a walk down the tree: the map value under `part`,
 * created when missing (a scalar share/quit/media, or null, becomes a map). */
static int walk_map(node *cur, const char *part, size_t src, node **next)
{
    long j = map_find(cur, part);
    if (j < 0) {
        node *k = scalar_new(part, 1, src, 0, 0);
        node *m = k ? node_new(NK_MAP, src, 0, 0) : NULL;
        if (!m || node_push(cur, k, m)) {
            node_free(k);
            node_free(m);
            return SET_OOM;
        }
        j = (long)cur->n - 1;
    }
    node *nx = cur->vals[j];
    if (nx->kind == NK_SCALAR) {
        node *m = NULL;
        if (is_null(nx))
            m = node_new(NK_MAP, nx->src, nx->line, nx->col);
        else if (!strcmp(part, "share") || !strcmp(part, "quit") || !strcmp(part, "media"))
            m = expand_pair(nx);
        else
            return SET_BAD;
        if (!m) return SET_OOM;
        node_free(nx);
        cur->vals[j] = nx = m;
    }
    *next = nx;
    return SET_OK;
}

/* Set the dotted key to val (owned, freed on failure) in doc. Nodes made on
 * the way have source src, whose label messages show. A key under `model:`
 * may omit `model.`. */
static int doc_set(wg_doc *doc, const char *key, node *val, size_t src, const char *prefix,
                   wg_diag *d)
{
    const char *label = doc->srcs[src];
    char buf[PATH_LEN], list[LIST_LEN];
    const char *parts[MAX_PARTS + 1];
    size_t np = 0;
    int rc = SET_BAD;
    node *cur = doc->root;

    if (!cur || cur->kind != NK_MAP) {
        /* the conversion reports the file's own problem */
        node_free(val);
        return SET_OK;
    }
    if (strlen(key) >= sizeof buf) {
        set_error(d, prefix, label, "key", "longer than %d characters", PATH_LEN - 1);
        goto out;
    }
    strcpy(buf, key);
    for (char *p = buf;;) {
        if (np == MAX_PARTS) {
            set_error(d, prefix, label, key, "more than %d parts", MAX_PARTS);
            goto out;
        }
        parts[np++] = p;
        char *dot = strchr(p, '.');
        if (!dot) break;
        *dot = 0;
        p = dot + 1;
    }
    for (size_t i = 0; i < np; i++)
        if (!*parts[i]) {
            set_error(d, prefix, label, key, "expected a dotted key such as share.negative");
            goto out;
        }
    if (!in_list(parts[0], top_keys)) {
        const char *sug = suggest(parts[0], top_keys, model_keys);
        if (in_list(parts[0], model_keys)) {
            memmove(parts + 1, parts, np * sizeof *parts);
            parts[0] = "model";
            np++;
        } else {
            if (sug)
                set_error(d, prefix, label, key, "unknown key, did you mean '%s'?", sug);
            else
                set_error(d, prefix, label, key, "unknown key (expected one of %s)",
                          list_names(list, sizeof list, top_keys, model_keys));
            goto out;
        }
    }
    for (size_t i = 0; i < np; i++) {
        const char *part = parts[i];
        int last = i + 1 == np;
        if (cur->kind == NK_MAP) {
            long j = map_find(cur, part);
            if (last) {
                if (j >= 0) {
                    node_free(cur->vals[j]);
                    cur->vals[j] = val;
                    return SET_OK;
                }
                node *k = scalar_new(part, 1, src, 0, 0);
                if (!k || node_push(cur, k, val)) {
                    node_free(k);
                    rc = SET_OOM;
                    goto out;
                }
                return SET_OK;
            }
            rc = walk_map(cur, part, src, &cur);
            if (rc == SET_BAD)
                set_error(d, prefix, label, key, "'%s' holds a value, not a map of keys", part);
            if (rc != SET_OK) goto out;
        } else if (cur->kind == NK_SEQ) {
            long j = seq_find(cur, part);
            if (j < 0) {
                set_error(d, prefix, label, key,
                          "no element '%s' in the list (%zu elements, numbered from 0, or "
                          "named by their name)", part, cur->n);
                goto out;
            }
            if (last) {
                node_free(cur->vals[j]);
                cur->vals[j] = val;
                return SET_OK;
            }
            cur = cur->vals[j];
        } else {
            set_error(d, prefix, label, key, "'%s' is below a value, not a map of keys", part);
            goto out;
        }
    }
out:
    node_free(val);
    return rc == SET_OK ? SET_BAD : rc;
}

/* An override's VALUE as a tree (a YAML scalar, or a flow list or map). */
static wg_status parse_value(wg_doc *doc, size_t src, const char *text, node **out, wg_diag *d)
{
    wg_status st = yaml_tree(doc, src, 0, text, strlen(text), out, d);
    if (st == WG_OK && !*out && !(*out = scalar_new("", 1, src, 0, 0))) st = WG_ENOMEM;
    return st;
}

/* Apply one override "key = value" with label `label` to doc. */
static wg_status override(wg_doc *doc, const char *key, const char *value, const char *label,
                          const char *prefix, wg_diag *d)
{
    node *val = NULL;
    size_t src = doc_add_src(doc, label);
    if (src == SIZE_MAX) return WG_ENOMEM;
    wg_status st = parse_value(doc, src, value, &val, d);
    if (st != WG_OK) return st;
    int rc = doc_set(doc, key, val, src, prefix, d);
    return rc == SET_OK ? WG_OK : rc == SET_OOM ? WG_ENOMEM : WG_EINPUT;
}

/* --set strings "KEY=VALUE", every one tried; the worst status. */
static wg_status apply_sets(wg_doc *doc, const char *const *sets, size_t n, wg_diag *d)
{
    wg_status worst = WG_OK;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(sets[i], '=');
        wg_status st;
        if (!eq || eq == sets[i]) {
            wg_diag_error(d, WG_EINPUT, "--set %s: expected KEY=VALUE, e.g. share.negative=0.1",
                          sets[i]);
            st = WG_EINPUT;
        } else {
            size_t klen = (size_t)(eq - sets[i]);
            char *key = wg_malloc(klen + 1, 1);
            char *label = wg_malloc(strlen(sets[i]) + 7, 1);
            if (!key || !label) {
                st = WG_ENOMEM;
            } else {
                memcpy(key, sets[i], klen);
                key[klen] = 0;
                sprintf(label, "--set %s", sets[i]);
                st = override(doc, key, eq + 1, label, "", d);
            }
            free(key);
            free(label);
        }
        if (st == WG_ENOMEM || worst == WG_OK) worst = st;
    }
    return worst;
}

/* ------------------------------------------------------------------------
 * Tree → wg_scenario.
 */
typedef struct cx {
    const wg_doc *doc;
    wg_diag *d;
    const char *prefix;   /* "variant 'x': " or "" */
    wg_scenario *s;
    size_t errors;
    int oom;
    int steps_ok;         /* steps is known, event steps can be checked */
} cx;

static void err(cx *c, const node *at, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err(cx *c, const node *at, const char *path, const char *fmt, ...)
{
    char msg[640], where[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    locate(c->doc, at, where, sizeof where);
    wg_diag_error(c->d, WG_EINPUT, "%s%s%s%s%s", c->prefix, where, path && *path ? path : "",
                  path && *path ? ": " : "", msg);
    c->errors++;
}

/* How a node reads in "got ..." */
static const char *got(const node *n)
{
    if (!n) return "nothing";
    if (n->kind == NK_MAP) return "a map";
    if (n->kind == NK_SEQ) return "a list";
    if (is_null(n)) return "nothing";
    return n->text;
}

static int need_map(cx *c, const node *n, const char *path)
{
    if (n->kind == NK_MAP) return 1;
    err(c, n, path, "expected a map of keys, got %s", got(n));
    return 0;
}

static int need_seq(cx *c, const node *n, const char *path)
{
    if (n->kind == NK_SEQ) return 1;
    err(c, n, path, "expected a list, got %s", got(n));
    return 0;
}

/* A zeroed array of `size`-byte items, one per item of the list n; NULL
 * when n is not a list or is empty (reported unless allow_empty) or when
 * memory runs out (c->oom set). */
static void *list_array(cx *c, const node *n, const char *path, size_t size, int allow_empty)
{
    void *a;
    if (!need_seq(c, n, path)) return NULL;
    if (!n->n) {
        if (!allow_empty) err(c, n, path, "expected at least one item, got an empty list");
        return NULL;
    }
    if (!(a = wg_calloc(n->n, size))) c->oom = 1;
    return a;
}

static void check_keys(cx *c, const node *m, const char *path, const char *const *known,
                       const char *const *more)
{
    char p[PATH_LEN], list[LIST_LEN];
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i]->text;
        if (in_list(k, known) || in_list(k, more)) continue;
        const char *sug = suggest(k, known, more);
        if (sug)
            err(c, m->keys[i], join(p, path, k), "unknown key, did you mean '%s'?", sug);
        else
            err(c, m->keys[i], join(p, path, k), "unknown key (expected one of %s)",
                list_names(list, sizeof list, known, more));
    }
}

static void missing(cx *c, const node *m, const char *path, const char *key)
{
    err(c, m, path, "missing key '%s'", key);
}

/* 0: a number; 1: not a number; 2: not finite (.nan, .inf, 1e999). */
static int parse_double(const char *t, double *out)
{
    const char *s = t + (*t == '+' || *t == '-');
    char *end;
    if (!strcasecmp(s, ".nan") || !strcasecmp(s, ".inf") || !strcasecmp(s, "nan") ||
        !strcasecmp(s, "inf") || !strcasecmp(s, "infinity"))
        return 2;
    if (!*t || isspace((unsigned char)*t) || strpbrk(t, "xXpP")) return 1;
    double v = strtod(t, &end);
    if (end == t || *end) return 1;
    if (!isfinite(v)) return 2;
    *out = v;
    return 0;
}

enum { R_ANY, R_NONNEG, R_POS, R_PROB, R_FRAC };

static int get_real(cx *c, const node *n, const char *path, int range, double *out)
{
    static const char *const what[] = {"a number", "a number >= 0", "a number > 0",
                                       "a probability in [0, 1]", "a fraction in (0, 1]"};
    double v = 0;
    int ok = n->kind == NK_SCALAR && !is_null(n) && parse_double(n->text, &v) == 0;
    if (ok) switch (range) {
        case R_NONNEG: ok = v >= 0; break;
        case R_POS: ok = v > 0; break;
        case R_PROB: ok = v >= 0 && v <= 1; break;
        case R_FRAC: ok = v > 0 && v <= 1; break;
        default: break;
        }
    if (!ok) {
        err(c, n, path, "expected %s, got %s", what[range], got(n));
        return 0;
    }
    *out = v;
    return 1;
}

/* 0: a whole number >= 0; 1: not one; 2: beyond 64 bits. 1e6 is accepted. */
static int parse_uint(const char *t, uint64_t *out)
{
    const char *s = t + (*t == '+');
    double v;
    if (*s && strspn(s, "0123456789") == strlen(s)) {
        errno = 0;
        unsigned long long u = strtoull(s, NULL, 10);
        if (errno == ERANGE) return 2;
        *out = u;
        return 0;
    }
    if (parse_double(t, &v) == 0 && v >= 0 && v == floor(v) && v <= EXACT_INT) {
        *out = (uint64_t)v;
        return 0;
    }
    return 1;
}

static int get_uint(cx *c, const node *n, const char *path, uint64_t lo, uint64_t hi,
                    uint64_t *out)
{
    uint64_t v = 0;
    if (n->kind != NK_SCALAR || is_null(n) || parse_uint(n->text, &v) || v < lo || v > hi) {
        err(c, n, path, "expected a whole number in [%" PRIu64 ", %" PRIu64 "], got %s", lo, hi,
            got(n));
        return 0;
    }
    *out = v;
    return 1;
}

static int get_u32(cx *c, const node *n, const char *path, uint64_t lo, uint32_t *out)
{
    uint64_t v;
    if (!get_uint(c, n, path, lo, UINT32_MAX, &v)) return 0;
    *out = (uint32_t)v;
    return 1;
}

/* A string into *dst (replacing what was there). */
static int get_str(cx *c, const node *n, const char *path, char **dst)
{
    if (n->kind != NK_SCALAR || is_null(n)) {
        err(c, n, path, "expected a text, got %s", got(n));
        return 0;
    }
    char *t = wg_strdup(n->text);
    if (!t) {
        c->oom = 1;
        return 0;
    }
    free(*dst);
    *dst = t;
    return 1;
}

/* 1 true, 0 false, -1 neither. */
static int bool_value(const node *n)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", NULL};
    if (n->kind != NK_SCALAR) return -1;
    return in_list(n->text, yes) ? 1 : in_list(n->text, no) ? 0 : -1;
}

static int get_bool(cx *c, const node *n, const char *path, int *out)
{
    int b = bool_value(n);
    if (b < 0) {
        err(c, n, path, "expected true or false, got %s", got(n));
        return 0;
    }
    *out = b;
    return 1;
}

static int get_choice(cx *c, const node *n, const char *path, const char *const *names, int *out)
{
    char list[LIST_LEN];
    int i = n->kind == NK_SCALAR ? list_index(n->text, names) : -1;
    if (i >= 0) {
        *out = i;
        return 1;
    }
    const char *sug = n->kind == NK_SCALAR ? suggest(n->text, names, NULL) : NULL;
    list_names(list, sizeof list, names, NULL);
    if (sug)
        err(c, n, path, "expected one of %s, got %s (did you mean '%s'?)", list, got(n), sug);
    else
        err(c, n, path, "expected one of %s, got %s", list, got(n));
    return 0;
}

/* rel joined to the scenario's folder unless absolute. */
static char *resolve(const char *dir, const char *rel)
{
    if (!dir || !*dir || rel[0] == '/' || !strcmp(dir, ".")) return wg_strdup(rel);
    return wg_path_join(dir, rel);
}

/* A path to an existing regular file, resolved, into *dst. */
static int get_path(cx *c, const node *n, const char *path, char **dst)
{
    char *rel = NULL;
    struct stat st;
    if (!get_str(c, n, path, &rel)) return 0;
    char *p = resolve(c->doc->dir, rel);
    free(rel);
    if (!p) {
        c->oom = 1;
        return 0;
    }
    if (stat(p, &st) != 0) {
        err(c, n, path, "cannot read '%s': %s", p, strerror(errno));
        free(p);
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        err(c, n, path, "'%s' is not a regular file", p);
        free(p);
        return 0;
    }
    free(*dst);
    *dst = p;
    return 1;
}

/* ---- model parameters (model: and segments) ---- */

static void conv_params(cx *c, const node *m, const char *path, wg_params *p, uint32_t *set,
                        int segment)
{
    static const struct { const char *key; wg_param pos, neg; } pairs[] = {
        {"share", WG_P_SHARE_POS, WG_P_SHARE_NEG},
        {"quit", WG_P_QUIT_POS, WG_P_QUIT_NEG},
        {"media", WG_P_MEDIA_POS, WG_P_MEDIA_NEG},
    };
    static const struct { const char *key; wg_param p; int range; } singles[] = {
        {"quality", WG_P_QUALITY, R_PROB},
        {"stifle", WG_P_STIFLE, R_PROB},
        {"forget", WG_P_FORGET, R_PROB},
        {"activity", WG_P_ACTIVITY, R_NONNEG},
        {"susceptibility", WG_P_SUSCEPTIBILITY, R_NONNEG},
    };
    char kp[PATH_LEN], vp[PATH_LEN];
    double x;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        const node *v = get(m, pairs[i].key);
        if (!v) continue;
        join(kp, path, pairs[i].key);
        if (v->kind == NK_SCALAR) {
            /* `share: 0.05` sets both valences (short for teaching) */
            if (get_real(c, v, kp, R_PROB, &x)) {
                p->v[pairs[i].pos] = p->v[pairs[i].neg] = x;
                *set |= 1u << pairs[i].pos | 1u << pairs[i].neg;
            }
            continue;
        }
        if (!need_map(c, v, kp)) continue;
        check_keys(c, v, kp, valences, NULL);
        for (int k = 0; k < 2; k++) {
            const node *w = get(v, valences[k]);
            wg_param q = k ? pairs[i].neg : pairs[i].pos;
            if (w && get_real(c, w, join(vp, kp, valences[k]), R_PROB, &x)) {
                p->v[q] = x;
                *set |= 1u << q;
            }
        }
    }
    for (size_t i = 0; i < sizeof singles / sizeof *singles; i++) {
        if (!segment && singles[i].range != R_PROB) continue;
        const node *v = get(m, singles[i].key);
        if (v && get_real(c, v, join(kp, path, singles[i].key), singles[i].range, &x)) {
            p->v[singles[i].p] = x;
            *set |= 1u << singles[i].p;
        }
    }
}

static void conv_model(cx *c, const node *m)
{
    wg_model *md = &c->s->model;
    uint32_t set = 0;
    const node *v;
    int k;
    if (!need_map(c, m, "model")) return;
    /* parameter names without "model." in messages: they are the names --set takes */
    check_keys(c, m, "", model_keys, NULL);
    if ((v = get(m, "contact")) && get_choice(c, v, "contact", contacts, &k))
        md->contact = (wg_contact)k;
    if ((v = get(m, "exposure")) && get_choice(c, v, "exposure", exposures, &k))
        md->exposure = (wg_exposure)k;
    conv_params(c, m, "", &md->p, &set, 0);
}

/* ---- picks ---- */

/* Index of the segment named by n into *out. */
static int find_segment(cx *c, const node *n, const char *path, int *out)
{
    const wg_scenario *s = c->s;
    const char *best = NULL;
    size_t bestd = SUGGEST_DIST + 1;
    char list[LIST_LEN];
    size_t len = 0;
    if (n->kind != NK_SCALAR || is_null(n)) {
        err(c, n, path, "expected a segment name, got %s", got(n));
        return 0;
    }
    list[0] = 0;
    for (size_t i = 0; i < s->nsegments; i++) {
        const char *nm = s->segments[i].name;
        if (!nm) continue;
        if (!strcmp(nm, n->text)) {
            *out = (int)i;
            return 1;
        }
        size_t dd = edit_distance(n->text, nm);
        if (dd < bestd && dd < strlen(nm)) {
            bestd = dd;
            best = nm;
        }
        int w = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", nm);
        if (w > 0 && (size_t)w < sizeof list - len) len += (size_t)w;
    }
    if (!s->nsegments)
        err(c, n, path, "no segment named '%s' (the scenario has no segments)", n->text);
    else if (best)
        err(c, n, path, "no segment named '%s', did you mean '%s'? (segments: %s)", n->text, best,
            list);
    else
        err(c, n, path, "no segment named '%s' (segments: %s)", n->text, list);
    return 0;
}

static void conv_ids(cx *c, const node *v, const char *path, wg_pick *p)
{
    char ip[PATH_LEN];
    if (!(p->ids = list_array(c, v, path, sizeof *p->ids, 0))) return;
    p->nids = v->n;
    for (size_t i = 0; i < v->n; i++)
        get_uint(c, v->vals[i], join_index(ip, path, i), 0, WG_MAX_ID, &p->ids[i]);
    p->count = p->nids;
}

/* Record where a pick was written ("[variant 'V': ]FILE:LINE:COL: KEY"), for
 * the checks that only the network allows (events.c): the node at fault
 * then is `at`, the count, ids or attribute when given, else the pick. */
static void pick_where(cx *c, const node *at, const char *path, wg_pick *p)
{
    char where[320];
    locate(c->doc, at, where, sizeof where);
    size_t len = strlen(c->prefix) + strlen(where) + strlen(path) + 1;
    if (!(p->where = wg_malloc(len, 1))) {
        c->oom = 1;
        return;
    }
    snprintf(p->where, len, "%s%s%s", c->prefix, where, path);
}

/* The pick keys of m (the caller checks for unknown keys). respond: only
 * by degree or random. self: the segment being defined, or -1. */
static void conv_pick(cx *c, const node *m, const char *path, wg_pick *p, int respond, int self)
{
    const node *by = get(m, "by"), *cnt = get(m, "count"), *top = get(m, "top");
    const node *fr = get(m, "fraction"), *seg = get(m, "segment"), *ids = get(m, "ids");
    const node *attr = get(m, "attribute"), *val = get(m, "value");
    char kp[PATH_LEN];
    int k;
    p->by = WG_PICK_RANDOM;
    p->segment = -1;
    if (by && get_choice(c, by, join(kp, path, "by"), pick_bys, &k)) {
        p->by = (wg_pick_by)k;
        if (respond && p->by != WG_PICK_RANDOM && p->by != WG_PICK_DEGREE)
            err(c, by, kp, "expected degree or random, got %s", got(by));
    }
    int ranked = p->by == WG_PICK_DEGREE || p->by == WG_PICK_PAGERANK || p->by == WG_PICK_KCORE;
    if (p->by == WG_PICK_ID || p->by == WG_PICK_ATTRIBUTE) {
        const node *size = cnt ? cnt : top ? top : fr;
        if (size)
            err(c, size, path, "no count, top or fraction with by: %s (it picks every match)",
                pick_bys[p->by]);
    } else if (!cnt && !top && !fr) {
        err(c, m, path, "missing key 'count' (or '%s')", ranked ? "top" : "fraction");
    } else if (!!cnt + !!top + !!fr > 1) {
        err(c, m, path, "give only one of count, top and fraction");
    } else if (cnt) {
        get_uint(c, cnt, join(kp, path, "count"), 1, WG_MAX_AGENTS, &p->count);
    } else if (top && !ranked) {
        err(c, top, join(kp, path, "top"),
            "top is for ranked picks (by: degree, pagerank or kcore); use fraction");
    } else {
        get_real(c, top ? top : fr, join(kp, path, top ? "top" : "fraction"), R_FRAC, &p->fraction);
    }
    if (p->by == WG_PICK_SEGMENT) {
        if (!seg)
            missing(c, m, path, "segment");
        else if (find_segment(c, seg, join(kp, path, "segment"), &p->segment) && p->segment == self)
            err(c, seg, kp, "a segment cannot pick from itself");
    } else if (seg) {
        err(c, seg, join(kp, path, "segment"), "only with by: segment");
    }
    if (p->by == WG_PICK_ID) {
        if (!ids)
            missing(c, m, path, "ids");
        else
            conv_ids(c, ids, join(kp, path, "ids"), p);
    } else if (ids) {
        err(c, ids, join(kp, path, "ids"), "only with by: id");
    }
    if (p->by == WG_PICK_ATTRIBUTE) {
        if (!attr) missing(c, m, path, "attribute");
        if (!val) missing(c, m, path, "value");
        if (attr) get_str(c, attr, join(kp, path, "attribute"), &p->attribute);
        if (val) get_str(c, val, join(kp, path, "value"), &p->value);
    } else {
        if (attr) err(c, attr, join(kp, path, "attribute"), "only with by: attribute");
        if (val) err(c, val, join(kp, path, "value"), "only with by: attribute");
    }
    if (cnt) pick_where(c, cnt, join(kp, path, "count"), p);
    else if (p->by == WG_PICK_ID && ids) pick_where(c, ids, join(kp, path, "ids"), p);
    else if (p->by == WG_PICK_ATTRIBUTE && attr) pick_where(c, attr, join(kp, path, "attribute"), p);
    else pick_where(c, m, path, p);
}

/* ---- segments ---- */

/* The required, unique `name` of list item i of m. names points at the
 * name field of item 0 of an array of `stride`-byte items (segments or
 * variants), so earlier names can be compared. */
static void conv_unique_name(cx *c, const node *m, const char *path, const char *what,
                             void *names, size_t stride, size_t i)
{
    char kp[PATH_LEN];
    const node *v = get(m, "name");
    char **dst = (char **)((char *)names + i * stride);
    if (!v) {
        missing(c, m, path, "name");
        return;
    }
    if (!get_str(c, v, join(kp, path, "name"), dst)) return;
    for (size_t j = 0; j < i; j++) {
        const char *earlier = *(char **)((char *)names + j * stride);
        if (earlier && !strcmp(earlier, *dst)) {
            err(c, v, kp, "%s '%s' is already defined", what, *dst);
            return;
        }
    }
}

static void conv_segments(cx *c, const node *seq)
{
    wg_scenario *s = c->s;
    char p[PATH_LEN], kp[PATH_LEN];
    if (!(s->segments = list_array(c, seq, "segments", sizeof *s->segments, 1))) return;
    s->nsegments = seq->n;
    /* names first: a segment's pick may name another segment */
    for (size_t i = 0; i < seq->n; i++) {
        s->segments[i].pick.segment = -1;
        wg_params_default(&s->segments[i].p);
        if (seq->vals[i]->kind == NK_MAP)
            conv_unique_name(c, seq->vals[i], join_index(p, "segments", i), "segment",
                             &s->segments[0].name, sizeof *s->segments, i);
    }
    for (size_t i = 0; i < seq->n; i++) {
        const node *m = seq->vals[i], *pk;
        wg_segment *g = &s->segments[i];
        join_index(p, "segments", i);
        if (!need_map(c, m, p)) continue;
        check_keys(c, m, p, segment_keys, NULL);
        if (!(pk = get(m, "pick")))
            missing(c, m, p, "pick");
        else if (need_map(c, pk, join(kp, p, "pick"))) {
            check_keys(c, pk, kp, pick_keys, NULL);
            conv_pick(c, pk, kp, &g->pick, 0, (int)i);
        }
        conv_params(c, m, p, &g->p, &g->set, 1);
    }
}

/* ---- events ---- */

static void conv_set_event(cx *c, const node *m, const char *path, wg_event *e)
{
    static const char *const set_keys[] = {"key", "value", "segment", NULL};
    static const char *const scale_keys[] = {"key", "factor", "segment", NULL};
    const char *const *known = e->kind == WG_EV_SET ? set_keys : scale_keys;
    const char *vkey = e->kind == WG_EV_SET ? "value" : "factor";
    const node *kn = get(m, "key"), *vn = get(m, vkey), *sn = get(m, "segment");
    char kp[PATH_LEN], list[LIST_LEN];
    int param = -1;
    if (!need_map(c, m, path)) return;
    if (kn) {
        check_keys(c, m, path, known, NULL);
        if (kn->kind == NK_SCALAR && (param = wg_param_from_name(kn->text)) < 0) {
            const char *sug = suggest(kn->text, param_names, NULL);
            err(c, kn, join(kp, path, "key"), "expected a parameter (%s), got %s%s%s%s",
                list_names(list, sizeof list, param_names, NULL), got(kn),
                sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        } else if (kn->kind != NK_SCALAR) {
            err(c, kn, join(kp, path, "key"), "expected a parameter name, got %s", got(kn));
        }
        if (!vn) missing(c, m, path, vkey);
    } else {
        /* compact form: {share.negative: 0.02} */
        for (size_t i = 0; i < m->n; i++) {
            const char *k = m->keys[i]->text;
            if (!strcmp(k, "segment")) continue;
            if (wg_param_from_name(k) >= 0 && param < 0) {
                param = wg_param_from_name(k);
                vn = m->vals[i];
                vkey = k;
            } else if (wg_param_from_name(k) >= 0) {
                err(c, m->keys[i], join(kp, path, k), "one parameter per event");
            } else {
                const char *sug = suggest(k, param_names, known);
                if (sug)
                    err(c, m->keys[i], join(kp, path, k), "unknown key, did you mean '%s'?", sug);
                else
                    err(c, m->keys[i], join(kp, path, k), "unknown key (expected key, %s, segment "
                        "or a parameter: %s)", vkey, list_names(list, sizeof list, param_names, NULL));
            }
        }
        if (param < 0 && !vn) missing(c, m, path, "key");
    }
    if (param >= 0) e->param = (wg_param)param;
    if (vn) {
        int range = e->kind == WG_EV_SCALE || param == WG_P_ACTIVITY ||
                    param == WG_P_SUSCEPTIBILITY ? R_NONNEG : R_PROB;
        get_real(c, vn, join(kp, path, vkey), range, &e->value);
    }
    if (sn) find_segment(c, sn, join(kp, path, "segment"), &e->segment);
}

static void conv_event(cx *c, const node *m, const char *path, wg_event *e)
{
    static const char *const media_keys[] = {"valence", "amplitude", "decay", NULL};
    static const char *const seed_keys[] = {"valence", NULL};
    static const char *const respond_keys[] = {"win", "calm", NULL};
    static const char *const step_key[] = {"step", NULL};
    const node *kn = NULL, *v;
    char p[PATH_LEN], kp[PATH_LEN], list[LIST_LEN];
    int kind = -1, unknown = 0, k;
    uint64_t u;
    e->segment = -1;
    e->pick.segment = -1;
    if (!need_map(c, m, path)) return;
    for (size_t i = 0; i < m->n; i++) {
        const char *key = m->keys[i]->text;
        int ki = list_index(key, event_kinds);
        if (!strcmp(key, "step")) continue;
        if (ki >= 0 && kind >= 0) {
            err(c, m->keys[i], path, "more than one event type ('%s' and '%s'); write two events",
                event_kinds[kind], key);
        } else if (ki >= 0) {
            kind = ki;
            kn = m->vals[i];
        } else {
            const char *sug = suggest(key, event_kinds, step_key);
            unknown = 1;
            err(c, m->keys[i], join(p, path, key), "unknown event type%s%s%s (expected one of %s)",
                sug ? ", did you mean '" : "", sug ? sug : "", sug ? "'?" : "",
                list_names(list, sizeof list, event_kinds, NULL));
        }
    }
    if (!(v = get(m, "step"))) {
        missing(c, m, path, "step");
    } else if (get_uint(c, v, join(p, path, "step"), 0, UINT32_MAX, &u)) {
        if (c->steps_ok && u >= c->s->steps)
            err(c, v, p, "step %" PRIu64 " is beyond the last step %u", u, c->s->steps - 1);
        e->step = (uint32_t)u;
    }
    if (kind < 0) {
        if (!unknown)
            err(c, m, path, "missing the event type (one of %s)",
                list_names(list, sizeof list, event_kinds, NULL));
        return;
    }
    e->kind = (wg_event_kind)kind;
    join(p, path, event_kinds[kind]);
    if (e->kind == WG_EV_SET || e->kind == WG_EV_SCALE) {
        conv_set_event(c, kn, p, e);
        return;
    }
    if (!need_map(c, kn, p)) return;
    switch (e->kind) {
    case WG_EV_SEED:
        check_keys(c, kn, p, seed_keys, pick_keys);
        conv_pick(c, kn, p, &e->pick, 0, -1);
        break;
    case WG_EV_BLOCK:
        check_keys(c, kn, p, pick_keys, NULL);
        conv_pick(c, kn, p, &e->pick, 0, -1);
        break;
    case WG_EV_MEDIA:
        check_keys(c, kn, p, media_keys, NULL);
        if (!(v = get(kn, "amplitude")))
            missing(c, kn, p, "amplitude");
        else
            get_real(c, v, join(kp, p, "amplitude"), R_PROB, &e->amplitude);
        if (!(v = get(kn, "decay")))
            missing(c, kn, p, "decay");
        else
            get_real(c, v, join(kp, p, "decay"), R_PROB, &e->decay);
        break;
    case WG_EV_RESPOND: {
        int ok = 1;
        check_keys(c, kn, p, respond_keys, respond_pick_keys);
        conv_pick(c, kn, p, &e->pick, 1, -1);
        for (int i = 0; respond_keys[i]; i++) {
            double *dst = i ? &e->calm : &e->win;
            if (!(v = get(kn, respond_keys[i]))) {
                missing(c, kn, p, respond_keys[i]);
                ok = 0;
            } else {
                ok &= get_real(c, v, join(kp, p, respond_keys[i]), R_PROB, dst);
            }
        }
        if (ok && e->win + e->calm > 1)
            err(c, kn, p, "win + calm must be at most 1, got %g + %g = %g", e->win, e->calm,
                e->win + e->calm);
        break;
    }
    default:
        break;
    }
    if (e->kind == WG_EV_SEED || e->kind == WG_EV_MEDIA) {
        if (!(v = get(kn, "valence")))
            missing(c, kn, p, "valence");
        else if (get_choice(c, v, join(kp, p, "valence"), valences, &k))
            e->valence = k ? WG_NEG : WG_POS;
    }
}

static void conv_events(cx *c, const node *seq)
{
    wg_scenario *s = c->s;
    char p[PATH_LEN];
    if (!(s->events = list_array(c, seq, "events", sizeof *s->events, 1))) return;
    s->nevents = seq->n;
    for (size_t i = 0; i < seq->n; i++)
        conv_event(c, seq->vals[i], join_index(p, "events", i), &s->events[i]);
}

/* ---- network ---- */

typedef struct netkind {
    const char *name;
    wg_net_kind kind;
    const char *const *keys;
} netkind;

static const char *const k_er[] = {"generate", "nodes", "mean_degree", NULL};
static const char *const k_ba[] = {"generate", "nodes", "edges_per_node", NULL};
static const char *const k_ws[] = {"generate", "nodes", "neighbours", "rewire", NULL};
static const char *const k_conf[] = {"generate", "nodes", "degrees", NULL};
static const char *const k_sbm[] = {"generate", "sizes", "p", "directed", NULL};
static const char *const k_nodes[] = {"generate", "nodes", NULL};
static const char *const k_nodes_dir[] = {"generate", "nodes", "directed", NULL};
static const char *const k_lattice[] = {"generate", "dims", "periodic", NULL};
static const char *const k_famous[] = {"generate", "name", NULL};
static const char *const k_file[] = {"file", "format", "directed", "weight", "self_loops",
                                     "duplicates", NULL};

static const netkind net_kinds[] = {
    {"erdos-renyi", WG_NET_ERDOS_RENYI, k_er},
    {"barabasi-albert", WG_NET_BARABASI_ALBERT, k_ba},
    {"watts-strogatz", WG_NET_WATTS_STROGATZ, k_ws},
    {"configuration", WG_NET_CONFIGURATION, k_conf},
    {"sbm", WG_NET_SBM, k_sbm},
    {"complete", WG_NET_COMPLETE, k_nodes},
    {"star", WG_NET_STAR, k_nodes_dir},
    {"ring", WG_NET_RING, k_nodes},
    {"path", WG_NET_PATH, k_nodes_dir},
    {"lattice", WG_NET_LATTICE, k_lattice},
    {"famous", WG_NET_FAMOUS, k_famous},
};
#define NNET_KINDS (sizeof net_kinds / sizeof *net_kinds)

static const char *net_kind_name(wg_net_kind k)
{
    for (size_t i = 0; i < NNET_KINDS; i++)
        if (net_kinds[i].kind == k) return net_kinds[i].name;
    return "file";
}

static void conv_degrees(cx *c, const node *m, wg_netspec *ns)
{
    static const char *const keys[] = {"poisson", "power_law", "min", "cutoff", "file", NULL};
    const char *path = "network.degrees";
    const node *po = get(m, "poisson"), *pl = get(m, "power_law"), *fi = get(m, "file");
    const node *mn = get(m, "min"), *cu = get(m, "cutoff");
    if (!need_map(c, m, path)) return;
    check_keys(c, m, path, keys, NULL);
    if (!!po + !!pl + !!fi != 1) {
        err(c, m, path, "expected exactly one of poisson, power_law and file");
        return;
    }
    if (po) {
        ns->deg_kind = WG_DEG_POISSON;
        get_real(c, po, "network.degrees.poisson", R_NONNEG, &ns->deg_mean);
    } else if (fi) {
        ns->deg_kind = WG_DEG_FILE;
        get_path(c, fi, "network.degrees.file", &ns->deg_file);
    } else {
        ns->deg_kind = WG_DEG_POWER_LAW;
        ns->deg_min = 1;
        if (get_real(c, pl, "network.degrees.power_law", R_POS, &ns->deg_exponent) && !cu &&
            ns->deg_exponent <= 1)
            err(c, pl, "network.degrees.power_law",
                "expected an exponent > 1 without a cutoff, got %s", got(pl));
        if (mn) get_u32(c, mn, "network.degrees.min", 1, &ns->deg_min);
        if (cu) get_real(c, cu, "network.degrees.cutoff", R_POS, &ns->deg_cutoff);
    }
    if (!pl && (mn || cu)) err(c, mn ? mn : cu, path, "min and cutoff go with power_law");
}

static void conv_sbm(cx *c, const node *m, wg_netspec *ns)
{
    const node *sz = get(m, "sizes"), *pm = get(m, "p");
    char kp[PATH_LEN], rp[PATH_LEN];
    uint64_t total = 0;
    if (!sz) missing(c, m, "network", "sizes");
    if (!pm) missing(c, m, "network", "p");
    if (!sz || !pm || !need_seq(c, pm, "network.p") ||
        !(ns->sizes = list_array(c, sz, "network.sizes", sizeof *ns->sizes, 0)))
        return;
    if (!(ns->p = wg_calloc(sz->n * sz->n, sizeof *ns->p))) {
        c->oom = 1;
        return;
    }
    ns->nblocks = sz->n;
    for (size_t i = 0; i < sz->n; i++)
        if (get_uint(c, sz->vals[i], join_index(kp, "network.sizes", i), 1, WG_MAX_AGENTS,
                     &ns->sizes[i]))
            total += ns->sizes[i];
    if (total > WG_MAX_AGENTS)
        err(c, sz, "network.sizes", "expected at most %u agents in all, got %" PRIu64,
            WG_MAX_AGENTS, total);
    ns->nodes = total;
    if (pm->n != sz->n) {
        err(c, pm, "network.p", "expected %zu rows (one per block), got %zu", sz->n, pm->n);
        return;
    }
    int square = 1;
    for (size_t i = 0; i < pm->n; i++) {
        const node *row = pm->vals[i];
        join_index(rp, "network.p", i);
        if (!need_seq(c, row, rp)) {
            square = 0;
            continue;
        }
        if (row->n != sz->n) {
            err(c, row, rp, "expected %zu probabilities (one per block), got %zu", sz->n, row->n);
            square = 0;
            continue;
        }
        for (size_t j = 0; j < row->n; j++)
            if (!get_real(c, row->vals[j], join_index(kp, rp, j), R_PROB, &ns->p[i * sz->n + j]))
                square = 0;
    }
    if (!square || ns->directed) return;
    for (size_t i = 0; i < sz->n; i++)
        for (size_t j = 0; j < i; j++)
            if (ns->p[i * sz->n + j] != ns->p[j * sz->n + i]) {
                err(c, pm->vals[i]->vals[j], join_index(kp, join_index(rp, "network.p", i), j),
                    "expected %g as p[%zu][%zu] (p must be symmetric unless directed: true), "
                    "got %s", ns->p[j * sz->n + i], j, i, got(pm->vals[i]->vals[j]));
                return;
            }
}

static void conv_lattice(cx *c, const node *m, wg_netspec *ns)
{
    const node *dm = get(m, "dims"), *pe = get(m, "periodic");
    char kp[PATH_LEN];
    if (pe) get_bool(c, pe, "network.periodic", &ns->periodic);
    if (!dm) {
        missing(c, m, "network", "dims");
        return;
    }
    if (!need_seq(c, dm, "network.dims")) return;
    if (dm->n != 2) {
        err(c, dm, "network.dims", "expected [width, height], got %zu numbers", dm->n);
        return;
    }
    int ok = get_u32(c, dm->vals[0], join_index(kp, "network.dims", 0), 1, &ns->dims[0]);
    ok &= get_u32(c, dm->vals[1], join_index(kp, "network.dims", 1), 1, &ns->dims[1]);
    ns->nodes = (uint64_t)ns->dims[0] * ns->dims[1];
    if (ok && ns->nodes > WG_MAX_AGENTS)
        err(c, dm, "network.dims", "expected at most %u agents, got %" PRIu64, WG_MAX_AGENTS,
            ns->nodes);
}

static void conv_file_net(cx *c, const node *m, wg_netspec *ns)
{
    const node *v;
    int k;
    ns->kind = WG_NET_FILE;
    check_keys(c, m, "network", k_file, NULL);
    get_path(c, get(m, "file"), "network.file", &ns->file);
    if ((v = get(m, "format")) && get_choice(c, v, "network.format", formats, &k))
        ns->format = (wg_net_format)(WG_FMT_EDGELIST + k);
    if ((v = get(m, "directed"))) get_bool(c, v, "network.directed", &ns->directed);
    if ((v = get(m, "weight"))) get_str(c, v, "network.weight", &ns->weight);
    if ((v = get(m, "self_loops")) && get_choice(c, v, "network.self_loops", drop_error, &k))
        ns->self_loops_error = k;
    if ((v = get(m, "duplicates")) && get_choice(c, v, "network.duplicates", drop_error, &k))
        ns->duplicates_error = k;
}

static void conv_network(cx *c, const node *m)
{
    wg_netspec *ns = &c->s->net;
    const node *g, *v;
    const char *names[NNET_KINDS + 1];
    const netkind *nk = NULL;
    int k;
    if (!need_map(c, m, "network")) return;
    g = get(m, "generate");
    if (g && get(m, "file")) {
        err(c, m, "network", "give either 'generate' or 'file', not both");
        return;
    }
    if (!g && !get(m, "file")) {
        err(c, m, "network", "missing key 'generate' or 'file'");
        return;
    }
    if (!g) {
        conv_file_net(c, m, ns);
        return;
    }
    for (size_t i = 0; i < NNET_KINDS; i++) names[i] = net_kinds[i].name;
    names[NNET_KINDS] = NULL;
    if (!get_choice(c, g, "network.generate", names, &k)) return;
    nk = &net_kinds[k];
    ns->kind = nk->kind;
    check_keys(c, m, "network", nk->keys, NULL);
    if ((v = get(m, "directed"))) get_bool(c, v, "network.directed", &ns->directed);
    int nodes_ok = 0;
    if (in_list("nodes", nk->keys)) {
        if (!(v = get(m, "nodes")))
            missing(c, m, "network", "nodes");
        else
            nodes_ok = get_uint(c, v, "network.nodes", 1, WG_MAX_AGENTS, &ns->nodes);
    }
    switch (ns->kind) {
    case WG_NET_ERDOS_RENYI:
        if (!(v = get(m, "mean_degree")))
            missing(c, m, "network", "mean_degree");
        else if (get_real(c, v, "network.mean_degree", R_NONNEG, &ns->mean_degree) && nodes_ok &&
                 ns->mean_degree > (double)(ns->nodes - 1))
            err(c, v, "network.mean_degree", "expected at most nodes - 1 = %" PRIu64 ", got %s",
                ns->nodes - 1, got(v));
        break;
    case WG_NET_BARABASI_ALBERT:
        if (!(v = get(m, "edges_per_node")))
            missing(c, m, "network", "edges_per_node");
        else
            get_u32(c, v, "network.edges_per_node", 1, &ns->edges_per_node);
        break;
    case WG_NET_WATTS_STROGATZ:
        if (!(v = get(m, "neighbours")))
            missing(c, m, "network", "neighbours");
        else
            get_u32(c, v, "network.neighbours", 1, &ns->neighbours);
        if (!(v = get(m, "rewire")))
            missing(c, m, "network", "rewire");
        else
            get_real(c, v, "network.rewire", R_PROB, &ns->rewire);
        break;
    case WG_NET_CONFIGURATION:
        if (!(v = get(m, "degrees")))
            missing(c, m, "network", "degrees");
        else
            conv_degrees(c, v, ns);
        break;
    case WG_NET_SBM: conv_sbm(c, m, ns); break;
    case WG_NET_LATTICE: conv_lattice(c, m, ns); break;
    case WG_NET_FAMOUS:
        if (!(v = get(m, "name")))
            missing(c, m, "network", "name");
        else
            get_str(c, v, "network.name", &ns->famous);
        break;
    default: break;
    }
}

/* ---- variants, observed, sweep ---- */

static void conv_variants(cx *c, const node *seq)
{
    static const char *const keys[] = {"name", "about", "set", "events", "replace_events", NULL};
    wg_scenario *s = c->s;
    char p[PATH_LEN], kp[PATH_LEN];
    const node *v;
    int b;
    if (!(s->variants = list_array(c, seq, "variants", sizeof *s->variants, 1))) return;
    s->nvariants = seq->n;
    for (size_t i = 0; i < seq->n; i++) {
        const node *m = seq->vals[i];
        wg_variant *va = &s->variants[i];
        join_index(p, "variants", i);
        if (!need_map(c, m, p)) continue;
        check_keys(c, m, p, keys, NULL);
        conv_unique_name(c, m, p, "variant", &s->variants[0].name, sizeof *s->variants, i);
        if ((v = get(m, "about"))) get_str(c, v, join(kp, p, "about"), &va->about);
        if ((v = get(m, "set"))) need_map(c, v, join(kp, p, "set"));
        if ((v = get(m, "events"))) need_seq(c, v, join(kp, p, "events"));
        if ((v = get(m, "replace_events"))) get_bool(c, v, join(kp, p, "replace_events"), &b);
    }
}

static void conv_observed(cx *c, const node *m)
{
    static const char *const keys[] = {"file", "x", "y", "metric", "scale", NULL};
    wg_observed *o = &c->s->observed;
    const node *v;
    int k;
    if (!need_map(c, m, "observed")) return;
    check_keys(c, m, "observed", keys, NULL);
    o->present = 1;
    if (!(v = get(m, "file")))
        missing(c, m, "observed", "file");
    else
        get_path(c, v, "observed.file", &o->file);
    if ((v = get(m, "x")))
        get_str(c, v, "observed.x", &o->x);
    else if (!(o->x = wg_strdup("day")))
        c->oom = 1;
    if ((v = get(m, "y"))) get_str(c, v, "observed.y", &o->y);
    if ((v = get(m, "metric")) && get_choice(c, v, "observed.metric", metrics, &k))
        get_str(c, v, "observed.metric", &o->metric);
    if ((v = get(m, "scale"))) get_real(c, v, "observed.scale", R_POS, &o->scale);
}

/* One grid axis: a list of values or {from, to, count}. */
static void conv_grid_axis(cx *c, const node *v, const char *path, wg_sweep_axis *ax)
{
    static const char *const keys[] = {"from", "to", "count", NULL};
    char kp[PATH_LEN];
    if (v->kind == NK_SEQ) {
        if (!(ax->values = list_array(c, v, path, sizeof *ax->values, 0))) return;
        ax->nvalues = v->n;
        for (size_t i = 0; i < v->n; i++)
            get_real(c, v->vals[i], join_index(kp, path, i), R_ANY, &ax->values[i]);
        return;
    }
    if (v->kind != NK_MAP) {
        err(c, v, path, "expected a list of values or {from, to, count}, got %s", got(v));
        return;
    }
    check_keys(c, v, path, keys, NULL);
    const node *fn = get(v, "from"), *tn = get(v, "to"), *cn = get(v, "count");
    double from = 0, to = 0;
    uint64_t n = 0;
    int ok = 1;
    for (int i = 0; keys[i]; i++)
        if (!get(v, keys[i])) {
            missing(c, v, path, keys[i]);
            ok = 0;
        }
    if (!ok) return;
    ok &= get_real(c, fn, join(kp, path, "from"), R_ANY, &from);
    ok &= get_real(c, tn, join(kp, path, "to"), R_ANY, &to);
    ok &= get_uint(c, cn, join(kp, path, "count"), 1, MAX_GRID, &n);
    if (!ok) return;
    if (!(ax->values = wg_calloc(n, sizeof *ax->values))) {
        c->oom = 1;
        return;
    }
    ax->nvalues = n;
    for (uint64_t i = 0; i < n; i++)
        ax->values[i] = n == 1 ? from : i + 1 == n ? to : from + (to - from) * (double)i / (double)(n - 1);
}

static void conv_sweep(cx *c, const node *m)
{
    static const char *const keys[] = {"grid", "sobol", NULL};
    static const char *const sobol_keys[] = {"points", "ranges", NULL};
    wg_sweepspec *sw = &c->s->sweep;
    const node *axes, *gr, *so;
    char p[PATH_LEN], kp[PATH_LEN];
    if (!need_map(c, m, "sweep")) return;
    check_keys(c, m, "sweep", keys, NULL);
    gr = get(m, "grid");
    so = get(m, "sobol");
    if (!!gr + !!so != 1) {
        err(c, m, "sweep", "expected exactly one of grid and sobol");
        return;
    }
    if (gr) {
        sw->kind = 1;
        axes = gr;
        if (!need_map(c, gr, "sweep.grid")) return;
    } else {
        const node *pts = get(so, "points");
        sw->kind = 2;
        if (!need_map(c, so, "sweep.sobol")) return;
        check_keys(c, so, "sweep.sobol", sobol_keys, NULL);
        if (!pts)
            missing(c, so, "sweep.sobol", "points");
        else
            get_uint(c, pts, "sweep.sobol.points", 1, MAX_SOBOL, &sw->points);
        if (!(axes = get(so, "ranges"))) {
            missing(c, so, "sweep.sobol", "ranges");
            return;
        }
        if (!need_map(c, axes, "sweep.sobol.ranges")) return;
    }
    if (!axes->n) {
        err(c, axes, gr ? "sweep.grid" : "sweep.sobol.ranges", "expected at least one key");
        return;
    }
    if (!(sw->axes = wg_calloc(axes->n, sizeof *sw->axes))) {
        c->oom = 1;
        return;
    }
    sw->naxes = axes->n;
    for (size_t i = 0; i < axes->n; i++) {
        wg_sweep_axis *ax = &sw->axes[i];
        const node *v = axes->vals[i];
        if (!(ax->key = wg_strdup(axes->keys[i]->text))) {
            c->oom = 1;
            return;
        }
        join(p, gr ? "sweep.grid" : "sweep.sobol.ranges", ax->key);
        if (gr) {
            conv_grid_axis(c, v, p, ax);
        } else if (v->kind != NK_SEQ || v->n != 2) {
            err(c, v, p, "expected [low, high], got %s", v->kind == NK_SEQ ? "another list" : got(v));
        } else if (get_real(c, v->vals[0], join_index(kp, p, 0), R_ANY, &ax->lo) &&
                   get_real(c, v->vals[1], join_index(kp, p, 1), R_ANY, &ax->hi) &&
                   !(ax->lo < ax->hi)) {
            err(c, v, p, "expected low < high, got [%g, %g]", ax->lo, ax->hi);
        }
    }
}

/* ---- the whole scenario ---- */

static void conv_scenario(cx *c, const node *r)
{
    wg_scenario *s = c->s;
    const node *v;
    uint64_t u;
    check_keys(c, r, "", top_keys, NULL);
    if (!(v = get(r, "name")))
        missing(c, r, "", "name");
    else
        get_str(c, v, "name", &s->name);
    if ((v = get(r, "about"))) get_str(c, v, "about", &s->about);
    if ((v = get(r, "step"))) get_str(c, v, "step", &s->step_unit);
    c->steps_ok = 1;
    if ((v = get(r, "steps")) && !(c->steps_ok = get_u32(c, v, "steps", 1, &s->steps))) s->steps = 0;
    if ((v = get(r, "runs"))) get_u32(c, v, "runs", 1, &s->runs);
    if ((v = get(r, "seed")) && get_uint(c, v, "seed", 0, UINT64_MAX, &u)) s->seed = u;
    if ((v = get(r, "blowup")) && need_map(c, v, "blowup")) {
        static const char *const keys[] = {"threshold", "valence", NULL};
        const node *t = get(v, "threshold"), *tv = get(v, "valence");
        int k;
        check_keys(c, v, "blowup", keys, NULL);
        if (!t)
            missing(c, v, "blowup", "threshold");
        else
            get_real(c, t, "blowup.threshold", R_FRAC, &s->blowup);
        if (tv && get_choice(c, tv, "blowup.valence", valences, &k))
            s->blowup_valence = k ? WG_NEG : WG_POS;
    }
    if (!(v = get(r, "network")))
        missing(c, r, "", "network");
    else
        conv_network(c, v);
    if ((v = get(r, "model"))) conv_model(c, v);
    if ((v = get(r, "segments"))) conv_segments(c, v);
    if ((v = get(r, "events"))) conv_events(c, v);
    if ((v = get(r, "variants"))) conv_variants(c, v);
    if ((v = get(r, "observed"))) conv_observed(c, v);
    if ((v = get(r, "sweep"))) conv_sweep(c, v);
}

void wg_scenario_free(wg_scenario *s)
{
    if (!s) return;
    free(s->path);
    free(s->name);
    free(s->about);
    free(s->step_unit);
    wg_netspec_clear(&s->net);
    for (size_t i = 0; i < s->nsegments; i++) wg_segment_clear(&s->segments[i]);
    free(s->segments);
    for (size_t i = 0; i < s->nevents; i++) wg_event_clear(&s->events[i]);
    free(s->events);
    for (size_t i = 0; i < s->nvariants; i++) {
        free(s->variants[i].name);
        free(s->variants[i].about);
    }
    free(s->variants);
    free(s->observed.file);
    free(s->observed.x);
    free(s->observed.y);
    free(s->observed.metric);
    for (size_t i = 0; i < s->sweep.naxes; i++) {
        free(s->sweep.axes[i].key);
        free(s->sweep.axes[i].values);
    }
    free(s->sweep.axes);
    doc_free(s->doc);
    free(s);
}

static wg_status derive_variant(const wg_scenario *base, size_t i, wg_scenario **out, wg_diag *d);
static wg_status derive_with(const wg_scenario *base, size_t n, const char *const *keys,
                             const char *const *values, const char *label, wg_scenario **out,
                             wg_diag *d);

static void count_status(cx *c, wg_status st)
{
    if (st == WG_ENOMEM) c->oom = 1;
    else if (st != WG_OK) c->errors++;
}

/* Derive every variant and try sweep values, so that `waggle check` finds
 * what would break later. Only for a base without errors. */
static void check_derived(cx *c)
{
    wg_scenario *s = c->s, *t = NULL;
    char label[PATH_LEN + 64], val[64];
    for (size_t i = 0; i < s->nvariants && !c->oom; i++) {
        count_status(c, derive_variant(s, i, &t, c->d));
        wg_scenario_free(t);
    }
    if (!s->sweep.kind) return;
    const node *sw = get(s->doc->root, "sweep");
    const node *axes = s->sweep.kind == 1 ? get(sw, "grid") : get(get(sw, "sobol"), "ranges");
    for (size_t i = 0; i < s->sweep.naxes && !c->oom; i++) {
        const wg_sweep_axis *ax = &s->sweep.axes[i];
        const char *key = ax->key;
        double trial[MAX_TRIALS];
        size_t nt = 0;
        if (s->sweep.kind == 2) {
            trial[nt++] = ax->lo;
            trial[nt++] = ax->hi;
        } else if (ax->nvalues <= MAX_TRIALS) {
            for (size_t j = 0; j < ax->nvalues; j++) trial[nt++] = ax->values[j];
        } else {
            trial[nt++] = ax->values[0];
            trial[nt++] = ax->values[ax->nvalues - 1];
        }
        locate(s->doc, axes->keys[i], label, sizeof label);
        label[strlen(label) - 2] = 0;   /* no ": " */
        for (size_t j = 0; j < nt; j++) {
            const char *v = val;
            snprintf(val, sizeof val, "%.17g", trial[j]);
            wg_status st = derive_with(s, 1, &key, &v, label, &t, c->d);
            wg_scenario_free(t);
            count_status(c, st);
            if (st != WG_OK) break;
        }
    }
}

/* Convert doc (owned) into a scenario. deep: also check variants and sweep. */
static wg_status build(wg_doc *doc, int deep, const char *prefix, wg_scenario **out, wg_diag *d)
{
    cx c;
    wg_scenario *s;
    *out = NULL;
    if (!(s = wg_calloc(1, sizeof *s))) {
        doc_free(doc);
        wg_diag_error(d, WG_ENOMEM, "out of memory while reading the scenario");
        return WG_ENOMEM;
    }
    s->doc = doc;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.d = d;
    c.prefix = prefix;
    c.s = s;
    s->steps = DEFAULT_STEPS;
    s->runs = DEFAULT_RUNS;
    s->seed = DEFAULT_SEED;
    s->blowup = DEFAULT_BLOWUP;
    s->blowup_valence = WG_NEG;
    s->model.contact = WG_CONTACT_ALL;
    s->model.exposure = WG_EXPOSURE_INDEPENDENT;
    wg_params_default(&s->model.p);
    if (!(s->path = wg_strdup(doc->srcs[0])) || !(s->step_unit = wg_strdup("day")))
        c.oom = 1;
    else if (!doc->root || is_null(doc->root))
        err(&c, NULL, "", "the file is empty");
    else if (doc->root->kind != NK_MAP)
        err(&c, doc->root, "", "expected a map of keys (name:, network:, ...), got %s",
            got(doc->root));
    else
        conv_scenario(&c, doc->root);
    if (deep && !c.oom && !c.errors) check_derived(&c);
    if (c.oom) {
        wg_diag_error(d, WG_ENOMEM, "out of memory while reading the scenario");
        wg_scenario_free(s);
        return WG_ENOMEM;
    }
    if (c.errors) {
        wg_scenario_free(s);
        return WG_EINPUT;
    }
    *out = s;
    return WG_OK;
}

/* Apply variant i's `set` and `events` to a copy of the base's tree. */
static wg_status derive_variant(const wg_scenario *base, size_t i, wg_scenario **out, wg_diag *d)
{
    wg_doc *doc;
    node *root, *evs = NULL, *set = NULL, *vr;
    char prefix[PATH_LEN + 32], label[PATH_LEN + 64];
    wg_status st = WG_OK;
    int replace = 0;
    *out = NULL;
    if (i >= base->nvariants) {
        wg_diag_error(d, WG_EINPUT, "%s: no variant %zu (it has %zu)", base->path, i,
                      base->nvariants);
        return WG_EINPUT;
    }
    snprintf(prefix, sizeof prefix, "variant '%s': ", base->variants[i].name);
    if (!(doc = doc_copy(base->doc))) goto oom;
    root = doc->root;
    long vi = map_find(root, "variants");
    vr = root->vals[vi]->vals[i];
    const node *vs = get(vr, "set"), *ve = get(vr, "events"), *rp = get(vr, "replace_events");
    replace = rp && bool_value(rp) == 1;
    if (ve && !(evs = node_copy(ve))) goto oom;
    /* a copy: an override may replace the variant's own `set` map in doc
     * (`--set variants.v.set.variants.v.set.x=1`) while we walk it */
    if (vs && !(set = node_copy(vs))) goto oom;
    for (size_t k = 0; set && k < set->n; k++) {
        node *val = node_copy(set->vals[k]);
        size_t src;
        locate(doc, set->keys[k], label, sizeof label);
        label[strlen(label) - 2] = 0;
        if (!val || (src = doc_add_src(doc, label)) == SIZE_MAX) {
            node_free(val);
            goto oom;
        }
        int rc = doc_set(doc, set->keys[k]->text, val, src, prefix, d);
        if (rc == SET_OOM) goto oom;
        if (rc == SET_BAD) st = WG_EINPUT;
    }
    node_free(set);
    set = NULL;
    node_remove(root, (size_t)map_find(root, "variants"));
    long ei = map_find(root, "events");
    if (evs && (replace || ei < 0)) {
        if (ei >= 0) {
            node_free(root->vals[ei]);
            root->vals[ei] = evs;
        } else {
            node *k = scalar_new("events", 1, evs->src, 0, 0);
            if (!k || node_push(root, k, evs)) {
                node_free(k);
                goto oom;
            }
        }
        evs = NULL;
    } else if (evs) {
        node *base_evs = root->vals[ei];
        while (evs->n) {
            if (node_push(base_evs, NULL, evs->vals[0])) goto oom;
            for (size_t k = 1; k < evs->n; k++) evs->vals[k - 1] = evs->vals[k];
            evs->n--;
        }
    } else if (replace && ei >= 0) {
        node_remove(root, (size_t)ei);
    }
    node_free(evs);
    if (st != WG_OK) {
        doc_free(doc);
        return st;
    }
    return build(doc, 0, prefix, out, d);
oom:
    node_free(set);
    node_free(evs);
    doc_free(doc);
    wg_diag_error(d, WG_ENOMEM, "out of memory while deriving a variant");
    return WG_ENOMEM;
}

/* base with keys[i] = values[i]; label: "KEY=VALUE" when NULL. */
static wg_status derive_with(const wg_scenario *base, size_t n, const char *const *keys,
                             const char *const *values, const char *label, wg_scenario **out,
                             wg_diag *d)
{
    wg_doc *doc = doc_copy(base->doc);
    wg_status worst = WG_OK;
    *out = NULL;
    if (!doc) goto oom;
    for (size_t i = 0; i < n; i++) {
        char *lb = label ? NULL : wg_malloc(strlen(keys[i]) + strlen(values[i]) + 2, 1);
        wg_status st;
        if (!label && !lb) goto oom;
        if (lb) sprintf(lb, "%s=%s", keys[i], values[i]);
        st = override(doc, keys[i], values[i], label ? label : lb, "", d);
        free(lb);
        if (st == WG_ENOMEM) goto oom;
        if (st != WG_OK) worst = st;
    }
    if (worst != WG_OK) {
        doc_free(doc);
        return worst;
    }
    return build(doc, 0, "", out, d);
oom:
    doc_free(doc);
    wg_diag_error(d, WG_ENOMEM, "out of memory while applying overrides");
    return WG_ENOMEM;
}

/* ------------------------------------------------------------------------
 * Public entry points.
 */
wg_status wg_scenario_parse(const char *text, size_t len, const char *name, const char *dir,
                            const char *const *sets, size_t nsets, wg_scenario **out, wg_diag *d)
{
    wg_doc *doc = doc_new(name ? name : "-", dir);
    wg_status st, st_sets;
    *out = NULL;
    if (!doc) {
        wg_diag_error(d, WG_ENOMEM, "out of memory while reading the scenario");
        return WG_ENOMEM;
    }
    st = yaml_tree(doc, 0, 1, text, len, &doc->root, d);
    if (st != WG_OK) {
        doc_free(doc);
        return st;
    }
    st_sets = apply_sets(doc, sets, nsets, d);
    if (st_sets == WG_ENOMEM) {
        doc_free(doc);
        return WG_ENOMEM;
    }
    st = build(doc, 1, "", out, d);
    if (st == WG_OK && st_sets != WG_OK) {
        wg_scenario_free(*out);
        *out = NULL;
        st = st_sets;
    }
    return st;
}

wg_status wg_scenario_load(const char *path, const char *const *sets, size_t nsets,
                           wg_scenario **out, wg_diag *d)
{
    FILE *f;
    struct stat st;
    char *text = NULL, *dir = NULL;
    size_t len = 0, cap = 0;
    wg_status rc = WG_EINPUT;
    *out = NULL;
    if (!(f = fopen(path, "rb"))) {
        wg_diag_error(d, WG_EINPUT, "%s: cannot read the scenario: %s", path, strerror(errno));
        return WG_EINPUT;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        wg_diag_error(d, WG_EINPUT, "%s: is a folder, not a scenario file", path);
        goto done;
    }
    for (;;) {
        if (cap - len < 4096) {
            char *t;
            cap = cap ? 2 * cap : 8192;
            if (cap > MAX_FILE_BYTES + 8192) {
                wg_diag_error(d, WG_EINPUT, "%s: larger than %u bytes, not a scenario file", path,
                              MAX_FILE_BYTES);
                goto done;
            }
            if (!(t = wg_realloc(text, cap, 1))) {
                rc = WG_ENOMEM;
                wg_diag_error(d, WG_ENOMEM, "%s: out of memory while reading", path);
                goto done;
            }
            text = t;
        }
        size_t r = fread(text + len, 1, cap - len, f);
        len += r;
        if (r == 0) break;
    }
    if (ferror(f)) {
        wg_diag_error(d, WG_EINPUT, "%s: cannot read the scenario: %s", path, strerror(errno));
        goto done;
    }
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    if (!(dir = wg_malloc(dlen + 2, 1))) {
        rc = WG_ENOMEM;
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory while reading", path);
        goto done;
    }
    if (!slash)
        strcpy(dir, ".");
    else if (dlen == 0)
        strcpy(dir, "/");
    else {
        memcpy(dir, path, dlen);
        dir[dlen] = 0;
    }
    rc = wg_scenario_parse(text, len, path, dir, sets, nsets, out, d);
done:
    fclose(f);
    free(text);
    free(dir);
    return rc;
}

wg_status wg_scenario_yaml_scalars(const char *text, size_t len, const char *name, size_t n,
                                   const char *const *keys, char **vals, wg_diag *d)
{
    wg_doc *doc = doc_new(name ? name : "-", NULL);
    wg_status st = WG_ENOMEM;
    for (size_t i = 0; i < n; i++) vals[i] = NULL;
    if (!doc) goto oom;
    if ((st = yaml_tree(doc, 0, 1, text, len, &doc->root, d)) != WG_OK) goto done;
    for (size_t i = 0; i < n; i++) {
        /* walk the dotted key through maps; a missing step leaves vals[i] NULL */
        const node *at = doc->root;
        const char *k = keys[i];
        char part[128];
        while (at && *k) {
            size_t plen = strcspn(k, ".");
            if (plen >= sizeof part) {
                at = NULL;
                break;
            }
            memcpy(part, k, plen);
            part[plen] = '\0';
            at = get(at, part);
            k += plen + (k[plen] == '.');
        }
        if (at && at->kind == NK_SCALAR && !is_null(at) && !(vals[i] = wg_strdup(at->text))) {
            st = WG_ENOMEM;
            goto oom;
        }
    }
    st = WG_OK;
    goto done;
oom:
    wg_diag_error(d, WG_ENOMEM, "%s: out of memory while reading", name ? name : "-");
    for (size_t i = 0; i < n; i++) {
        free(vals[i]);
        vals[i] = NULL;
    }
done:
    doc_free(doc);
    return st;
}

wg_status wg_scenario_variant(const wg_scenario *base, size_t i, wg_scenario **out, wg_diag *d)
{
    return derive_variant(base, i, out, d);
}

wg_status wg_scenario_with(const wg_scenario *base, size_t n, const char *const *keys,
                           const char *const *values, wg_scenario **out, wg_diag *d)
{
    return derive_with(base, n, keys, values, NULL, out, d);
}

/* ------------------------------------------------------------------------
 * Writing a resolved scenario. Every text is double-quoted and every number
 * printed with the fewest digits that read back exactly, so the output loads
 * back as the same scenario.
 */
static void put_str(FILE *f, const char *s)
{
    wg_yaml_put_string(f, s);   /* paths from the command line may hold any bytes */
}

static void put_num(FILE *f, double x)
{
    char buf[40];
    wg_num_shortest(buf, sizeof buf, x);
    fputs(buf, f);
}

static void put_pad(FILE *f, int n)
{
    fprintf(f, "%*s", n, "");
}

/* A tree node in flow style (variants' set and events, kept as written). */
static void put_node(FILE *f, const node *n)
{
    if (n->kind == NK_SCALAR) {
        if (is_null(n))
            fputs("null", f);
        else
            put_str(f, n->text);
        return;
    }
    fputc(n->kind == NK_MAP ? '{' : '[', f);
    for (size_t i = 0; i < n->n; i++) {
        if (i) fputs(", ", f);
        if (n->kind == NK_MAP) {
            put_str(f, n->keys[i]->text);
            fputs(": ", f);
        }
        put_node(f, n->vals[i]);
    }
    fputc(n->kind == NK_MAP ? '}' : ']', f);
}

static void put_pick(FILE *f, const wg_scenario *s, const wg_pick *p)
{
    fprintf(f, "by: %s", wg_pick_by_name(p->by));
    if (p->by == WG_PICK_ID) {
        fputs(", ids: [", f);
        for (size_t i = 0; i < p->nids; i++) fprintf(f, "%s%" PRIu64, i ? ", " : "", p->ids[i]);
        fputs("]", f);
    } else if (p->by == WG_PICK_ATTRIBUTE) {
        fputs(", attribute: ", f);
        put_str(f, p->attribute);
        fputs(", value: ", f);
        put_str(f, p->value);
    } else if (p->count) {
        fprintf(f, ", count: %" PRIu64, p->count);
    } else {
        int ranked = p->by == WG_PICK_DEGREE || p->by == WG_PICK_PAGERANK || p->by == WG_PICK_KCORE;
        fputs(ranked ? ", top: " : ", fraction: ", f);
        put_num(f, p->fraction);
    }
    if (p->by == WG_PICK_SEGMENT && p->segment >= 0 && (size_t)p->segment < s->nsegments) {
        fputs(", segment: ", f);
        put_str(f, s->segments[p->segment].name);
    }
}

/* The model parameters of p named in `set` (all when set is ~0), one "key: v" a line. */
static void put_params(FILE *f, int pad, const wg_params *p, uint32_t set)
{
    static const char *const pairs[] = {"share", "quit", "media"};
    static const wg_param pos[] = {WG_P_SHARE_POS, WG_P_QUIT_POS, WG_P_MEDIA_POS};
    static const wg_param singles[] = {WG_P_QUALITY, WG_P_STIFLE, WG_P_FORGET, WG_P_ACTIVITY,
                                       WG_P_SUSCEPTIBILITY};
    for (int i = 0; i < 3; i++) {
        int np = !!(set & 1u << pos[i]), nn = !!(set & 1u << (pos[i] + 1));
        if (!np && !nn) continue;
        put_pad(f, pad);
        fprintf(f, "%s: {", pairs[i]);
        if (np) {
            fputs("positive: ", f);
            put_num(f, p->v[pos[i]]);
        }
        if (nn) {
            fputs(np ? ", negative: " : "negative: ", f);
            put_num(f, p->v[pos[i] + 1]);
        }
        fputs("}\n", f);
    }
    for (int i = 0; i < 5; i++) {
        if (!(set & 1u << singles[i])) continue;
        put_pad(f, pad);
        fprintf(f, "%s: ", wg_param_name(singles[i]));
        put_num(f, p->v[singles[i]]);
        fputc('\n', f);
    }
}

static void put_event(FILE *f, const wg_scenario *s, const wg_event *e)
{
    fprintf(f, "{step: %" PRIu32 ", %s: {", e->step, wg_event_kind_name(e->kind));
    switch (e->kind) {
    case WG_EV_SEED:
        fprintf(f, "valence: %s, ", valences[e->valence == WG_NEG]);
        put_pick(f, s, &e->pick);
        break;
    case WG_EV_BLOCK: put_pick(f, s, &e->pick); break;
    case WG_EV_SET:
    case WG_EV_SCALE:
        fprintf(f, "key: %s, %s: ", wg_param_name(e->param),
                e->kind == WG_EV_SET ? "value" : "factor");
        put_num(f, e->value);
        if (e->segment >= 0 && (size_t)e->segment < s->nsegments) {
            fputs(", segment: ", f);
            put_str(f, s->segments[e->segment].name);
        }
        break;
    case WG_EV_MEDIA:
        fprintf(f, "valence: %s, amplitude: ", valences[e->valence == WG_NEG]);
        put_num(f, e->amplitude);
        fputs(", decay: ", f);
        put_num(f, e->decay);
        break;
    case WG_EV_RESPOND:
        put_pick(f, s, &e->pick);
        fputs(", win: ", f);
        put_num(f, e->win);
        fputs(", calm: ", f);
        put_num(f, e->calm);
        break;
    }
    fputs("}}\n", f);
}

static void put_network(FILE *f, int in, const wg_netspec *n)
{
    put_pad(f, in);
    fputs("network:\n", f);
    in += 2;
    if (n->kind == WG_NET_FILE) {
        put_pad(f, in);
        fputs("file: ", f);
        put_str(f, n->file ? n->file : "");
        fputc('\n', f);
        if (n->format != WG_FMT_GUESS) {
            put_pad(f, in);
            fprintf(f, "format: %s\n", formats[n->format - WG_FMT_EDGELIST]);
        }
        if (n->weight) {
            put_pad(f, in);
            fputs("weight: ", f);
            put_str(f, n->weight);
            fputc('\n', f);
        }
        put_pad(f, in);
        fprintf(f, "directed: %s\n", n->directed ? "true" : "false");
        put_pad(f, in);
        fprintf(f, "self_loops: %s\n", drop_error[!!n->self_loops_error]);
        put_pad(f, in);
        fprintf(f, "duplicates: %s\n", drop_error[!!n->duplicates_error]);
        return;
    }
    put_pad(f, in);
    fprintf(f, "generate: %s\n", net_kind_name(n->kind));
    switch (n->kind) {
    case WG_NET_SBM:
        put_pad(f, in);
        fputs("sizes: [", f);
        for (size_t i = 0; i < n->nblocks; i++) fprintf(f, "%s%" PRIu64, i ? ", " : "", n->sizes[i]);
        fputs("]\n", f);
        put_pad(f, in);
        fputs("p: [", f);
        for (size_t i = 0; i < n->nblocks; i++) {
            fputs(i ? ", [" : "[", f);
            for (size_t j = 0; j < n->nblocks; j++) {
                if (j) fputs(", ", f);
                put_num(f, n->p[i * n->nblocks + j]);
            }
            fputc(']', f);
        }
        fputs("]\n", f);
        put_pad(f, in);
        fprintf(f, "directed: %s\n", n->directed ? "true" : "false");
        return;
    case WG_NET_LATTICE:
        put_pad(f, in);
        fprintf(f, "dims: [%" PRIu32 ", %" PRIu32 "]\n", n->dims[0], n->dims[1]);
        put_pad(f, in);
        fprintf(f, "periodic: %s\n", n->periodic ? "true" : "false");
        return;
    case WG_NET_FAMOUS:
        put_pad(f, in);
        fputs("name: ", f);
        put_str(f, n->famous ? n->famous : "");
        fputc('\n', f);
        return;
    default: break;
    }
    put_pad(f, in);
    fprintf(f, "nodes: %" PRIu64 "\n", n->nodes);
    if (n->kind == WG_NET_COMPLETE || n->kind == WG_NET_RING) return;
    put_pad(f, in);
    switch (n->kind) {
    case WG_NET_ERDOS_RENYI:
        fputs("mean_degree: ", f);
        put_num(f, n->mean_degree);
        fputc('\n', f);
        break;
    case WG_NET_BARABASI_ALBERT: fprintf(f, "edges_per_node: %" PRIu32 "\n", n->edges_per_node); break;
    case WG_NET_WATTS_STROGATZ:
        fprintf(f, "neighbours: %" PRIu32 "\n", n->neighbours);
        put_pad(f, in);
        fputs("rewire: ", f);
        put_num(f, n->rewire);
        fputc('\n', f);
        break;
    case WG_NET_CONFIGURATION:
        fputs("degrees: {", f);
        if (n->deg_kind == WG_DEG_POISSON) {
            fputs("poisson: ", f);
            put_num(f, n->deg_mean);
        } else if (n->deg_kind == WG_DEG_FILE) {
            fputs("file: ", f);
            put_str(f, n->deg_file ? n->deg_file : "");
        } else {
            fputs("power_law: ", f);
            put_num(f, n->deg_exponent);
            fprintf(f, ", min: %" PRIu32, n->deg_min);
            if (n->deg_cutoff > 0) {
                fputs(", cutoff: ", f);
                put_num(f, n->deg_cutoff);
            }
        }
        fputs("}\n", f);
        break;
    case WG_NET_STAR:
    case WG_NET_PATH:
        fprintf(f, "directed: %s\n", n->directed ? "true" : "false");
        break;
    default:
        break;
    }
}

static void put_key_str(FILE *f, int pad, const char *key, const char *val)
{
    put_pad(f, pad);
    fprintf(f, "%s: ", key);
    put_str(f, val);
    fputc('\n', f);
}

static void put_sweep(FILE *f, int in, const wg_sweepspec *sw)
{
    put_pad(f, in);
    fputs("sweep:\n", f);
    put_pad(f, in + 2);
    if (sw->kind == 1) {
        fputs("grid:\n", f);
    } else {
        fprintf(f, "sobol:\n");
        put_pad(f, in + 4);
        fprintf(f, "points: %" PRIu64 "\n", sw->points);
        put_pad(f, in + 4);
        fputs("ranges:\n", f);
        in += 2;
    }
    for (size_t i = 0; i < sw->naxes; i++) {
        const wg_sweep_axis *ax = &sw->axes[i];
        put_pad(f, in + 4);
        put_str(f, ax->key);
        fputs(": [", f);
        if (sw->kind == 1) {
            for (size_t j = 0; j < ax->nvalues; j++) {
                if (j) fputs(", ", f);
                put_num(f, ax->values[j]);
            }
        } else {
            put_num(f, ax->lo);
            fputs(", ", f);
            put_num(f, ax->hi);
        }
        fputs("]\n", f);
    }
}

wg_status wg_scenario_write(const wg_scenario *s, FILE *f, int in)
{
    const node *vs = s->doc ? get(s->doc->root, "variants") : NULL;
    put_key_str(f, in, "name", s->name);
    if (s->about) put_key_str(f, in, "about", s->about);
    put_key_str(f, in, "step", s->step_unit);
    put_pad(f, in);
    fprintf(f, "steps: %" PRIu32 "\n", s->steps);
    put_pad(f, in);
    fprintf(f, "runs: %" PRIu32 "\n", s->runs);
    put_pad(f, in);
    fprintf(f, "seed: %" PRIu64 "\n", s->seed);
    put_pad(f, in);
    fputs("blowup: {threshold: ", f);
    put_num(f, s->blowup);
    fputs(s->blowup_valence == WG_POS ? ", valence: positive}\n" : "}\n", f);
    put_network(f, in, &s->net);
    put_pad(f, in);
    fputs("model:\n", f);
    put_pad(f, in + 2);
    fprintf(f, "contact: %s\n", wg_contact_name(s->model.contact));
    put_pad(f, in + 2);
    fprintf(f, "exposure: %s\n", wg_exposure_name(s->model.exposure));
    put_params(f, in + 2, &s->model.p,
               ~(1u << WG_P_ACTIVITY | 1u << WG_P_SUSCEPTIBILITY) & ((1u << WG_NPARAMS) - 1));
    if (s->nsegments) {
        put_pad(f, in);
        fputs("segments:\n", f);
    }
    for (size_t i = 0; i < s->nsegments; i++) {
        const wg_segment *g = &s->segments[i];
        put_pad(f, in + 2);
        fputs("- name: ", f);
        put_str(f, g->name);
        fputc('\n', f);
        put_pad(f, in + 4);
        fputs("pick: {", f);
        put_pick(f, s, &g->pick);
        fputs("}\n", f);
        put_params(f, in + 4, &g->p, g->set);
    }
    if (s->nevents) {
        put_pad(f, in);
        fputs("events:\n", f);
    }
    for (size_t i = 0; i < s->nevents; i++) {
        put_pad(f, in + 2);
        fputs("- ", f);
        put_event(f, s, &s->events[i]);
    }
    if (s->nvariants) {
        put_pad(f, in);
        fputs("variants:\n", f);
    }
    for (size_t i = 0; i < s->nvariants; i++) {
        const node *vr = vs && i < vs->n ? vs->vals[i] : NULL, *v;
        put_pad(f, in + 2);
        fputs("- name: ", f);
        put_str(f, s->variants[i].name);
        fputc('\n', f);
        if (s->variants[i].about) put_key_str(f, in + 4, "about", s->variants[i].about);
        static const char *const raw[] = {"set", "events", "replace_events"};
        for (int k = 0; k < 3; k++)
            if ((v = get(vr, raw[k]))) {
                put_pad(f, in + 4);
                fprintf(f, "%s: ", raw[k]);
                put_node(f, v);
                fputc('\n', f);
            }
    }
    if (s->observed.present) {
        put_pad(f, in);
        fputs("observed:\n", f);
        put_key_str(f, in + 2, "file", s->observed.file);
        put_key_str(f, in + 2, "x", s->observed.x);
        if (s->observed.y) put_key_str(f, in + 2, "y", s->observed.y);
        if (s->observed.metric) put_key_str(f, in + 2, "metric", s->observed.metric);
        if (s->observed.scale > 0) {
            put_pad(f, in + 2);
            fputs("scale: ", f);
            put_num(f, s->observed.scale);
            fputc('\n', f);
        }
    }
    if (s->sweep.kind) put_sweep(f, in, &s->sweep);
    return ferror(f) ? WG_EIO : WG_OK;
}

/* ------------------------------------------------------------------------
 * Reading one key of the tree (for `waggle fit`: start values, and where a
 * value sits in the file so a calibrated copy keeps its comments).
 */
wg_status wg_scenario_lookup(const wg_scenario *s, const char *key, wg_scenario_value *out)
{
    char buf[PATH_LEN];
    const char *parts[MAX_PARTS + 1];
    size_t np = 0;
    memset(out, 0, sizeof *out);
    const node *cur = s->doc ? s->doc->root : NULL;
    if (!cur || cur->kind != NK_MAP || strlen(key) >= sizeof buf) return WG_EINPUT;
    strcpy(buf, key);
    for (char *p = buf;;) {
        if (np == MAX_PARTS) return WG_EINPUT;
        parts[np++] = p;
        char *dot = strchr(p, '.');
        if (!dot) break;
        *dot = 0;
        p = dot + 1;
    }
    if (!in_list(parts[0], top_keys)) {
        if (!in_list(parts[0], model_keys)) return WG_EINPUT;
        memmove(parts + 1, parts, np * sizeof *parts);
        parts[0] = "model";
        np++;
    }
    for (size_t i = 0; i < np; i++) {
        const node *next = NULL;
        if (cur->kind == NK_MAP) {
            long j = map_find(cur, parts[i]);
            if (j < 0) {
                /* absent: say where the map's entries are, so a value can be added */
                if (cur->n && cur->keys[0]->line) {
                    out->parent_line = cur->keys[0]->line;
                    out->parent_col = cur->keys[0]->col;
                }
                out->missing_parts = np - i;
                return WG_OK;
            }
            next = cur->vals[j];
        } else if (cur->kind == NK_SEQ) {
            long j = seq_find(cur, parts[i]);
            if (j < 0) return WG_EINPUT;
            next = cur->vals[j];
        } else if (i + 1 == np && cur->plain && (!strcmp(parts[i - 1], "share") ||
                   !strcmp(parts[i - 1], "quit") || !strcmp(parts[i - 1], "media")) &&
                   in_list(parts[i], valences)) {
            /* `share: 0.05` stands for both valences; it is read, but cannot be
             * edited for one of them in place */
            out->found = 1;
            out->text = cur->text;
            out->shared = 1;
            return WG_OK;
        } else {
            return WG_EINPUT;
        }
        cur = next;
    }
    if (cur->kind != NK_SCALAR) return WG_EINPUT;
    out->found = 1;
    out->text = cur->text;
    out->plain = cur->plain;
    if (cur->src == 0) {
        out->line = cur->line;
        out->col = cur->col;
    }
    return WG_OK;
}
