/*
 * tree.h — the scenario module's YAML tree (tree.c), shared by the files of
 * sim/scenario/ and by no one else. Not installed.
 *
 * A document (wg_doc) is a tree of maps, sequences and scalars plus the list
 * of its sources: srcs[0] is the file name, later entries label overrides
 * ("--set KEY=VALUE", a variant's set key, a sweep axis). Every node names
 * its source and, for nodes read from a file, its 1-based line and column
 * (0 for nodes an override made). Map keys are scalars; map keys are
 * unique (the parser refuses duplicates).
 */
#ifndef WG_SCENARIO_TREE_H
#define WG_SCENARIO_TREE_H

#include "waggle/scenario.h"

#define WG_PATH_LEN 256           /* longest dotted key shown in a message */
#define WG_MAX_PARTS 16           /* most parts in a dotted key */

enum { NK_SCALAR, NK_MAP, NK_SEQ };

typedef struct node node;
struct node {
    int kind;             /* NK_SCALAR, NK_MAP or NK_SEQ */
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
    uint64_t key_compares; /* key comparisons of the parser's duplicate checks so far:
                              O(keys) for every map (tests count them) */
};

/* ---- nodes ---- */

/* A new empty node of a kind, or a scalar holding a copy of text; NULL when
 * memory runs out. */
node *wg_tree_new(int kind, size_t src, unsigned line, unsigned col);
node *wg_tree_scalar(const char *text, int plain, size_t src, unsigned line, unsigned col);
/* Free n and everything below it; NULL is a harmless no-op. */
void wg_tree_free(node *n);
/* Append (key, val) to a map, or val to a sequence (key NULL): 0, or -1 when
 * memory runs out, in which case nothing changes and the caller still owns both. */
int wg_tree_push(node *n, node *key, node *val);
/* Remove and free entry i of a map or item i of a sequence. */
void wg_tree_remove(node *n, size_t i);
/* A deep copy of s (positions and sources kept), or NULL. */
node *wg_tree_copy(const node *s);
/* Index of key in map m, or -1 (also when m is NULL or not a map). O(entries). */
long wg_tree_find(const node *m, const char *key);
/* The value under key in map m, or NULL. */
const node *wg_tree_get(const node *m, const char *key);
/* Element `part` of a sequence: a 0-based index, or the map whose `name` is
 * part; -1 when there is none. */
long wg_tree_item(const node *seq, const char *part);
/* YAML's null: an empty plain scalar, `~` or `null`. */
int wg_tree_is_null(const node *n);

/* A set of names, for duplicate checks in O(1) each (the names are not
 * copied: they must outlive the set). Zero-initialise before use. */
typedef struct wg_nameset {
    const char **slot;   /* open addressing, FNV-1a, linear probing, at most half full */
    size_t cap, n;
} wg_nameset;
/* 1 when name is in the set already; else add it and return 0; -1 when memory runs out. */
int wg_nameset_add(wg_nameset *ns, const char *name);
void wg_nameset_free(wg_nameset *ns);

/* ---- documents ---- */

/* A document with no tree, source 0 `name`, resolving paths against dir
 * (may be NULL); NULL when memory runs out. */
wg_doc *wg_doc_new(const char *name, const char *dir);
void wg_doc_free(wg_doc *doc);
/* A deep copy (tree and sources), or NULL. */
wg_doc *wg_doc_copy(const wg_doc *s);
/* The same without the entry `key` of the root map (when it has one): what a
 * variant is derived from, without copying every variant each time. */
wg_doc *wg_doc_copy_without(const wg_doc *s, const char *key);
/* Add a source label; its index, or SIZE_MAX when memory runs out. */
size_t wg_doc_add_src(wg_doc *doc, const char *label);
/* "file:line:col: " into buf, or "label: " for a node an override made (or n NULL). */
void wg_doc_locate(const wg_doc *doc, const node *n, char *buf, size_t cap);

/* ---- dotted keys for messages (buf holds WG_PATH_LEN bytes; cut when longer) ---- */

char *wg_tree_join(char *buf, const char *path, const char *key);        /* "path.key" */
char *wg_tree_join_index(char *buf, const char *path, size_t i);         /* "path.i" */

/* ---- YAML text → tree ---- */

/*
 * Parse text (len bytes) into a tree whose nodes have source src of doc.
 * positions: 1 records line and column (a file), 0 leaves them 0 (an
 * override's value). *out is NULL for an empty stream. Only one YAML
 * document is accepted; aliases are refused, tags ignored, nesting bounded.
 * Errors: WG_EINPUT ("SRC:LINE:COL: KEY: what" in d, every duplicate key
 * reported), WG_ENOMEM.
 */
wg_status wg_tree_parse(wg_doc *doc, size_t src, int positions, const char *text, size_t len,
                        node **out, wg_diag *d);

#endif
