/*
 * tree.c — YAML text → the scenario module's tree (tree.h), with libyaml's
 * event parser, and the small operations on that tree. The only file of
 * waggle that includes yaml.h.
 *
 * Maps, sequences and scalars of our own, each node recording its source
 * (an index into the document's list of sources: the file name, or the
 * label of an override) and its 1-based line and column (0 for nodes an
 * override made), so that every later check can say "file:line:col: key:".
 *
 * Invariants: a map's keys are scalars and unique (a duplicate is an error,
 * reported with the line of the first); nesting is at most MAX_DEPTH deep;
 * aliases are refused (no exponential expansion of untrusted input) and
 * tags ignored; only one YAML document is read. Nothing here is global, so
 * threads may parse at once. Every allocation goes through wg_malloc & co.;
 * a failure is WG_ENOMEM with nothing leaked.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "tree.h"

#define MAX_DEPTH 64              /* deepest nesting of maps and lists accepted */

/* ------------------------------------------------------------------------
 * Nodes and documents.
 */
node *wg_tree_new(int kind, size_t src, unsigned line, unsigned col)
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

node *wg_tree_scalar(const char *text, int plain, size_t src, unsigned line, unsigned col)
{
    node *n = wg_tree_new(NK_SCALAR, src, line, col);
    if (!n) return NULL;
    n->plain = plain;
    if (!(n->text = wg_strdup(text))) {
        free(n);
        return NULL;
    }
    return n;
}

void wg_tree_free(node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) wg_tree_free(n->keys[i]);
        wg_tree_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->text);
    free(n);
}

/* Append (key, val) to a map, or val to a sequence (key NULL). On failure
 * nothing changes and the caller still owns both. */
int wg_tree_push(node *n, node *key, node *val)
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

void wg_tree_remove(node *n, size_t i)
{
    if (n->keys) wg_tree_free(n->keys[i]);
    wg_tree_free(n->vals[i]);
    for (size_t j = i + 1; j < n->n; j++) {
        if (n->keys) n->keys[j - 1] = n->keys[j];
        n->vals[j - 1] = n->vals[j];
    }
    n->n--;
}

/* A deep copy of s without its entry or item `skip` (none when skip >= s->n). */
static node *copy_without(const node *s, size_t skip)
{
    node *n = wg_tree_new(s->kind, s->src, s->line, s->col);
    if (!n) return NULL;
    n->plain = s->plain;
    if (s->text && !(n->text = wg_strdup(s->text))) goto fail;
    for (size_t i = 0; i < s->n; i++) {
        if (i == skip) continue;
        node *k = NULL, *v = wg_tree_copy(s->vals[i]);
        if (!v) goto fail;
        if (s->kind == NK_MAP && !(k = wg_tree_copy(s->keys[i]))) {
            wg_tree_free(v);
            goto fail;
        }
        if (wg_tree_push(n, k, v)) {
            wg_tree_free(k);
            wg_tree_free(v);
            goto fail;
        }
    }
    return n;
fail:
    wg_tree_free(n);
    return NULL;
}

node *wg_tree_copy(const node *s)
{
    return copy_without(s, SIZE_MAX);
}

long wg_tree_find(const node *m, const char *key)
{
    if (!m || m->kind != NK_MAP) return -1;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i]->text, key) == 0) return (long)i;
    return -1;
}

const node *wg_tree_get(const node *m, const char *key)
{
    long i = wg_tree_find(m, key);
    return i < 0 ? NULL : m->vals[i];
}

/* YAML's null: an empty plain scalar, `~` or `null`. */
int wg_tree_is_null(const node *n)
{
    if (n->kind != NK_SCALAR || !n->plain) return 0;
    const char *t = n->text;
    return !*t || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") || !strcmp(t, "NULL");
}

/* Element `part` of a sequence: a 0-based index, or the map whose `name` is part. */
long wg_tree_item(const node *seq, const char *part)
{
    if (isdigit((unsigned char)part[0])) {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(part, &end, 10);
        return !*end && !errno && i < seq->n ? (long)i : -1;
    }
    for (size_t i = 0; i < seq->n; i++) {
        const node *nm = wg_tree_get(seq->vals[i], "name");
        if (nm && nm->kind == NK_SCALAR && strcmp(nm->text, part) == 0) return (long)i;
    }
    return -1;
}

void wg_doc_free(wg_doc *doc)
{
    if (!doc) return;
    wg_tree_free(doc->root);
    for (size_t i = 0; i < doc->nsrcs; i++) free(doc->srcs[i]);
    free(doc->srcs);
    free(doc->dir);
    free(doc);
}

/* Add a source label; its index, or SIZE_MAX when memory runs out. */
size_t wg_doc_add_src(wg_doc *doc, const char *label)
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

wg_doc *wg_doc_new(const char *name, const char *dir)
{
    wg_doc *doc = wg_calloc(1, sizeof *doc);
    if (!doc) return NULL;
    if (wg_doc_add_src(doc, name) == SIZE_MAX || (dir && !(doc->dir = wg_strdup(dir)))) {
        wg_doc_free(doc);
        return NULL;
    }
    return doc;
}

wg_doc *wg_doc_copy_without(const wg_doc *s, const char *key)
{
    wg_doc *doc = wg_doc_new(s->srcs[0], s->dir);
    if (!doc) return NULL;
    for (size_t i = 1; i < s->nsrcs; i++)
        if (wg_doc_add_src(doc, s->srcs[i]) == SIZE_MAX) goto fail;
    const long skip = key ? wg_tree_find(s->root, key) : -1;
    if (s->root && !(doc->root = copy_without(s->root, skip < 0 ? SIZE_MAX : (size_t)skip)))
        goto fail;
    return doc;
fail:
    wg_doc_free(doc);
    return NULL;
}

wg_doc *wg_doc_copy(const wg_doc *s)
{
    return wg_doc_copy_without(s, NULL);
}

/* "file:line:col: " or "label: " for nodes an override made. */
void wg_doc_locate(const wg_doc *doc, const node *n, char *buf, size_t cap)
{
    const char *src = doc->srcs[n ? n->src : 0];
    if (n && n->line)
        snprintf(buf, cap, "%s:%u:%u: ", src, n->line, n->col);
    else
        snprintf(buf, cap, "%s: ", src);
}

/* Dotted keys for messages; a key too long to show is cut (checked to keep
 * the compiler's truncation warning quiet: cutting is the intent). */
char *wg_tree_join(char *buf, const char *path, const char *key)
{
    int w = !path || !*path ? snprintf(buf, WG_PATH_LEN, "%s", key)
                            : snprintf(buf, WG_PATH_LEN, "%s.%s", path, key);
    if (w < 0) buf[0] = 0;
    return buf;
}

char *wg_tree_join_index(char *buf, const char *path, size_t i)
{
    if (snprintf(buf, WG_PATH_LEN, "%s.%zu", path, i) < 0) buf[0] = 0;
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

/* ---- the keys of a map being read: duplicates found in O(1) each ----
 * A map's keys are kept in an open-addressing table of their indices (FNV-1a
 * hashes, linear probing, at most half full), so that reading a map of n keys
 * takes O(n) comparisons, not the O(n^2) of a search of the keys read so far
 * (100,000 keys were 10^10 comparisons). Small maps are searched directly. */
#define KEYS_DIRECT 16   /* maps up to this many keys: a plain search */

typedef struct keyset {
    size_t *slot;   /* index + 1 of a key of the map, 0: free */
    size_t cap;     /* a power of two, or 0 before the map outgrows KEYS_DIRECT */
} keyset;

static uint64_t key_hash(const char *k)
{
    return wg_fnv1a_text(k);
}

/* ---- a set of names (list items' `name`s): duplicates found in O(1) each ---- */

int wg_nameset_add(wg_nameset *ns, const char *name)
{
    if (2 * (ns->n + 1) > ns->cap) {   /* (re)build at twice the size */
        size_t cap = ns->cap ? 2 * ns->cap : 64;
        const char **slot = wg_calloc(cap, sizeof *slot);
        if (!slot) return -1;
        for (size_t k = 0; k < ns->cap; k++) {
            if (!ns->slot[k]) continue;
            size_t i = (size_t)key_hash(ns->slot[k]) & (cap - 1);
            while (slot[i]) i = (i + 1) & (cap - 1);
            slot[i] = ns->slot[k];
        }
        free(ns->slot);
        ns->slot = slot;
        ns->cap = cap;
    }
    size_t i = (size_t)key_hash(name) & (ns->cap - 1);
    for (; ns->slot[i]; i = (i + 1) & (ns->cap - 1))
        if (strcmp(ns->slot[i], name) == 0) return 1;
    ns->slot[i] = name;
    ns->n++;
    return 0;
}

void wg_nameset_free(wg_nameset *ns)
{
    free(ns->slot);
    memset(ns, 0, sizeof *ns);
}

/* The slot of key in the table of map n: its own (*found = 1) or the free one it goes in. */
static size_t keyset_slot(const keyset *ks, const node *n, const char *key, wg_doc *doc,
                          int *found)
{
    size_t i = (size_t)key_hash(key) & (ks->cap - 1);
    *found = 0;
    for (; ks->slot[i]; i = (i + 1) & (ks->cap - 1)) {
        doc->key_compares++;
        if (strcmp(n->keys[ks->slot[i] - 1]->text, key) == 0) {
            *found = 1;
            break;
        }
    }
    return i;
}

/* Index of key among the keys of map n read so far, or -1. */
static long keyset_find(const keyset *ks, const node *n, const char *key, wg_doc *doc)
{
    if (!ks->cap) {
        for (size_t i = 0; i < n->n; i++) {
            doc->key_compares++;
            if (strcmp(n->keys[i]->text, key) == 0) return (long)i;
        }
        return -1;
    }
    int found;
    size_t i = keyset_slot(ks, n, key, doc, &found);
    return found ? (long)ks->slot[i] - 1 : -1;
}

/* Record the last key of map n (just pushed, not a duplicate); -1 when memory runs out. */
static int keyset_add(keyset *ks, const node *n, wg_doc *doc)
{
    if (n->n <= KEYS_DIRECT) return 0;
    if (2 * n->n > ks->cap) {   /* (re)build at twice the size */
        size_t cap = ks->cap ? 2 * ks->cap : 4 * KEYS_DIRECT;
        size_t *slot = wg_calloc(cap, sizeof *slot);
        if (!slot) return -1;
        free(ks->slot);
        ks->slot = slot;
        ks->cap = cap;
        for (size_t k = 0; k < n->n; k++) {
            int found;
            ks->slot[keyset_slot(ks, n, n->keys[k]->text, doc, &found)] = k + 1;
        }
        return 0;
    }
    int found;
    ks->slot[keyset_slot(ks, n, n->keys[n->n - 1]->text, doc, &found)] = n->n;
    return 0;
}

/* The entries of a map or items of a sequence, up to its end event (ks: the map's keys). */
static int yb_entries(ybuild *b, node *n, const char *path, int depth, keyset *ks)
{
    yaml_event_type_t end = n->kind == NK_MAP ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    for (;;) {
        yaml_event_t ev;
        node *key = NULL, *val;
        char sub[WG_PATH_LEN];
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
            long first = keyset_find(ks, n, key->text, b->doc);
            wg_tree_join(sub, path, key->text);
            if (first >= 0) {
                dup = 1;
                if (n->keys[first]->line)
                    yb_error(b, &at, sub, "duplicate key (first given on line %u)",
                             n->keys[first]->line);
                else
                    yb_error(b, &at, sub, "duplicate key");
            }
            if (yb_next(b, &ev)) {
                wg_tree_free(key);
                return -1;
            }
        } else {
            wg_tree_join_index(sub, path, n->n);
        }
        val = yb_node(b, &ev, sub, depth + 1);
        yaml_event_delete(&ev);
        if (!val || dup) {
            wg_tree_free(key);
            wg_tree_free(val);
            if (!val) return -1;
            continue;
        }
        if (wg_tree_push(n, key, val)) {
            wg_tree_free(key);
            wg_tree_free(val);
            yb_fail(b, WG_ENOMEM);
            return -1;
        }
        if (key && keyset_add(ks, n, b->doc)) {
            yb_fail(b, WG_ENOMEM);
            return -1;
        }
    }
}

/* The entries of a map or items of a sequence, up to its end event. */
static int yb_children(ybuild *b, node *n, const char *path, int depth)
{
    keyset ks = {NULL, 0};
    int rc = yb_entries(b, n, path, depth, &ks);
    free(ks.slot);
    return rc;
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
        n = wg_tree_scalar((const char *)ev->data.scalar.value,
                           ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, b->src, line, col);
        if (!n) yb_fail(b, WG_ENOMEM);
        return n;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (depth >= MAX_DEPTH) {
            yb_error(b, &ev->start_mark, path, "nested deeper than %d levels", MAX_DEPTH);
            return NULL;
        }
        n = wg_tree_new(ev->type == YAML_MAPPING_START_EVENT ? NK_MAP : NK_SEQ, b->src, line, col);
        if (!n) {
            yb_fail(b, WG_ENOMEM);
            return NULL;
        }
        if (yb_children(b, n, path, depth)) {
            wg_tree_free(n);
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
wg_status wg_tree_parse(wg_doc *doc, size_t src, int positions, const char *text, size_t len,
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
        wg_tree_free(root);
        return b.st;
    }
    *out = root;
    return WG_OK;
}

/* ------------------------------------------------------------------------
 * Scalars of any YAML text (waggle/scenario.h).
 */
wg_status wg_scenario_yaml_scalars(const char *text, size_t len, const char *name, size_t n,
                                   const char *const *keys, char **vals, wg_diag *d)
{
    wg_doc *doc = wg_doc_new(name ? name : "-", NULL);
    wg_status st = WG_ENOMEM;
    for (size_t i = 0; i < n; i++) vals[i] = NULL;
    if (!doc) goto oom;
    if ((st = wg_tree_parse(doc, 0, 1, text, len, &doc->root, d)) != WG_OK) goto done;
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
            if (at->kind == NK_SEQ) {   /* a sequence: a 0-based index (or the item named so) */
                long it = wg_tree_item(at, part);
                at = it >= 0 ? at->vals[it] : NULL;
            } else {
                at = wg_tree_get(at, part);
            }
            k += plen + (k[plen] == '.');
        }
        if (at && at->kind == NK_SCALAR && !wg_tree_is_null(at) &&
            !(vals[i] = wg_strdup(at->text))) {
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
    wg_doc_free(doc);
    return st;
}
