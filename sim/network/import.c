/*
 * import.c — network files: edge lists and CSV read by waggle itself (plain
 * or gzip, through zlib), GraphML, GML and Pajek through igraph's readers
 * (called through igraph.c, the only file that includes igraph.h).
 *
 * A network file is untrusted input: every problem is an error naming the
 * file and, where there is one, the line. Ids are non-negative integers up
 * to WG_MAX_ID, remapped to agents 0..n-1 in order of first appearance with
 * an open-addressing hash table (the original id kept in g->label).
 *
 * Edge lists and CSV stream into the CSR in two passes over the file (a .gz
 * file is opened again for the second): the first checks every line, maps
 * the ids and counts each agent's arcs; the second reads the lines again and
 * writes each arc straight into its row. No edge list is ever held: the peak
 * is the CSR itself (4 bytes an arc, 8 an undirected edge; weights 4 more an
 * arc) plus about 32 bytes an agent (ids, hash slots, offsets). Rows are
 * then sorted stably by target and duplicates dropped, the first occurrence
 * in the file kept, which is the graph wg_graph_from_edges would build from
 * the same list. Self-loops are dropped as they are read. With duplicates:
 * error a third pass finds the line of the first duplicate, marking arcs
 * seen in a bitmap of the CSR (one bit an arc). A file that changes between
 * the passes is an error. What a pass costs on a large file is the id
 * lookups (two random reads each: the hash slot, then the label); the last
 * id of each column is kept, so a file sorted by source looks its sources
 * up once. wg_import_save (`waggle net --save G.wgraph --memory SIZE`)
 * builds the same CSR a stretch of rows at a time through scratch files,
 * for a file whose arcs do not fit in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "igraph_glue.h"

#define WG_LINE_MAX 65536      /* bytes in one line of an edge list or CSV */
#define WG_MAX_FIELDS 64       /* fields of one line that are looked at */
#define WG_GZ_BUFFER 131072    /* zlib's read buffer, bytes */
#define WG_IMPORT_BYTES_PER_AGENT 64   /* offsets, labels, ids, state: the engine's estimate */
#define WG_SCAN_CHUNK 65536    /* bytes read at a time by the scan of a GraphML, GML or Pajek file */
#define WG_GZ_MAX_RATIO 100    /* an edge list expands at most this many times its file's size */
#define WG_GZ_MAX_SLACK (UINT64_C(1) << 20)   /* ... plus this many bytes (a tiny file) */
#define WG_PROGRESS_LINES 65536   /* lines between two reports of wg_import_save's progress */

/* ---- ids: open addressing from original id to agent ------------------- */

typedef struct idmap {
    uint32_t *slot;     /* agent + 1, 0 when empty */
    uint64_t mask;      /* capacity - 1, capacity a power of two */
    uint64_t *label;    /* original id of each agent */
    uint32_t n;
    uint64_t cap_label;
} idmap;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

static void idmap_free(idmap *m)
{
    free(m->slot);
    free(m->label);
}

static int idmap_grow(idmap *m)
{
    uint64_t cap = m->slot ? 2 * (m->mask + 1) : 1024;
    uint32_t *slot = wg_calloc(cap, sizeof *slot);
    if (!slot) return -1;
    for (uint32_t a = 0; a < m->n; a++) {
        if (m->label[a] == WG_TEXT_ID) continue;   /* a text id: in the text map */
        uint64_t h = mix64(m->label[a]) & (cap - 1);
        while (slot[h]) h = (h + 1) & (cap - 1);
        slot[h] = a + 1;
    }
    free(m->slot);
    m->slot = slot;
    m->mask = cap - 1;
    return 0;
}

/* Append an agent with label `label` (a text id's: WG_TEXT_ID, without a
 * slot). Returns -1 when memory runs out. */
static int idmap_push(idmap *m, uint64_t label)
{
    if (m->n == m->cap_label) {
        uint64_t cap = m->cap_label ? 2 * m->cap_label : 1024;
        uint64_t *l = wg_realloc(m->label, cap, sizeof *l);
        if (!l) return -1;
        m->label = l;
        m->cap_label = cap;
    }
    m->label[m->n++] = label;
    return 0;
}

/* Agent of id, added when new. Returns -1 when memory runs out. */
static int idmap_get(idmap *m, uint64_t id, uint32_t *agent)
{
    if (!m->slot || 2 * ((uint64_t)m->n + 1) > m->mask + 1)
        if (idmap_grow(m)) return -1;
    uint64_t h = mix64(id) & m->mask;
    while (m->slot[h]) {
        if (m->label[m->slot[h] - 1] == id) {
            *agent = m->slot[h] - 1;
            return 0;
        }
        h = (h + 1) & m->mask;
    }
    if (idmap_push(m, id)) return -1;
    m->slot[h] = m->n;
    *agent = m->n - 1;
    return 0;
}

/* ---- text ids: open addressing from text to agent ---------------------- */

/* Ids that are not non-negative integers (names, e-mails). Text k lives at
 * bytes + off[k] (NUL-terminated) and is agent agent[k]; the integer ids'
 * labels of those agents are WG_TEXT_ID. Agents are numbered across both
 * maps in order of first appearance, so the numbering is the file's. */
typedef struct textmap {
    uint32_t *slot;     /* k + 1, 0 when empty */
    uint64_t mask;      /* capacity - 1 */
    uint64_t *off;      /* offset of text k in bytes */
    uint32_t *agent;    /* agent of text k */
    uint64_t n, cap;    /* texts, room in off/agent */
    char *bytes;
    uint64_t len, bcap;
} textmap;

static uint64_t hash_text(const char *s)
{
    return mix64(wg_fnv1a_text(s));   /* FNV-1a, then mixed */
}

static void textmap_free(textmap *m)
{
    free(m->slot);
    free(m->off);
    free(m->agent);
    free(m->bytes);
    memset(m, 0, sizeof *m);
}

static int textmap_grow(textmap *m)
{
    uint64_t cap = m->slot ? 2 * (m->mask + 1) : 1024;
    uint32_t *slot = wg_calloc(cap, sizeof *slot);
    if (!slot) return -1;
    for (uint64_t k = 0; k < m->n; k++) {
        uint64_t h = hash_text(m->bytes + m->off[k]) & (cap - 1);
        while (slot[h]) h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)k + 1;
    }
    free(m->slot);
    m->slot = slot;
    m->mask = cap - 1;
    return 0;
}

/* Agent of text s: 1 found, 0 not there (added as agent `next` when add),
 * -1 out of memory. */
static int textmap_get(textmap *m, const char *s, int add, uint32_t next, uint32_t *agent)
{
    if (!m->slot || 2 * (m->n + 1) > m->mask + 1)
        if (textmap_grow(m)) return -1;
    uint64_t h = hash_text(s) & m->mask;
    while (m->slot[h]) {
        uint64_t k = m->slot[h] - 1;
        if (strcmp(m->bytes + m->off[k], s) == 0) {
            *agent = m->agent[k];
            return 1;
        }
        h = (h + 1) & m->mask;
    }
    if (!add) return 0;
    size_t len = strlen(s) + 1;
    if (m->n == m->cap) {
        uint64_t cap = m->cap ? 2 * m->cap : 1024;
        uint64_t *o = wg_realloc(m->off, cap, sizeof *o);
        if (!o) return -1;
        m->off = o;
        uint32_t *a = wg_realloc(m->agent, cap, sizeof *a);
        if (!a) return -1;
        m->agent = a;
        m->cap = cap;
    }
    if (m->len + len > m->bcap) {
        uint64_t cap = m->bcap ? 2 * m->bcap : 65536;
        while (cap < m->len + len) cap *= 2;
        char *b = wg_realloc(m->bytes, cap, 1);
        if (!b) return -1;
        m->bytes = b;
        m->bcap = cap;
    }
    memcpy(m->bytes + m->len, s, len);
    m->off[m->n] = m->len;
    m->agent[m->n] = next;
    m->len += len;
    m->slot[h] = (uint32_t)m->n + 1;
    m->n++;
    *agent = next;
    return 0;
}

/* g->name from the texts of m (agents n of g): the graph takes the bytes. */
static wg_status names_from_texts(wg_graph *g, textmap *m, const char *path, wg_diag *d)
{
    if (!m->n) return WG_OK;
    g->name = wg_calloc(g->n ? g->n : 1, sizeof *g->name);
    if (!g->name) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory for the ids of %u agents", path, g->n);
        return WG_ENOMEM;
    }
    g->name_text = m->bytes;
    m->bytes = NULL;
    for (uint64_t k = 0; k < m->n; k++) g->name[m->agent[k]] = g->name_text + m->off[k];
    return WG_OK;
}

/* ---- opening files ------------------------------------------------------ */

/* Open path for reading through the input layer (regular files only). */
static int open_input(const char *path, uint64_t *size, wg_diag *d)
{
    return wg_input_open(path, WG_IN_NETWORK, size, d);
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t k = strlen(suffix);
    return len >= k && strncasecmp(s + len - k, suffix, k) == 0;
}

static wg_net_format guess_format(const char *path, int *gz)
{
    size_t len = strlen(path);
    *gz = ends_with(path, len, ".gz");
    if (*gz) len -= 3;
    if (ends_with(path, len, ".graphml") || ends_with(path, len, ".xml")) return WG_FMT_GRAPHML;
    if (ends_with(path, len, ".gml")) return WG_FMT_GML;
    if (ends_with(path, len, ".net") || ends_with(path, len, ".pajek")) return WG_FMT_PAJEK;
    if (ends_with(path, len, ".csv")) return WG_FMT_CSV;
    if (!*gz && ends_with(path, len, ".wgraph")) return WG_FMT_WGRAPH;
    return WG_FMT_EDGELIST;
}

/* ---- parsing fields ----------------------------------------------------- */

typedef enum { ID_OK, ID_NEGATIVE, ID_SYNTAX, ID_RANGE } id_result;

static id_result parse_id(const char *s, uint64_t *id)
{
    uint64_t v = 0;
    int big = 0;
    if (*s == '-') return s[1] >= '0' && s[1] <= '9' ? ID_NEGATIVE : ID_SYNTAX;
    if (*s == '+') s++;
    if (!*s) return ID_SYNTAX;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return ID_SYNTAX;
        if (v > (UINT64_MAX - 9) / 10) big = 1;
        else v = v * 10 + (uint64_t)(*s - '0');
    }
    *id = v;
    return big || v > WG_MAX_ID ? ID_RANGE : ID_OK;
}

/* Split an edge-list line on blanks, in place. Returns the field count. */
static int split_blank(char *p, char **f)
{
    int nf = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
        if (!*p) return nf;
        char *start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') p++;
        if (nf < WG_MAX_FIELDS) f[nf++] = start;
        if (*p) *p++ = '\0';
    }
}

static int is_blank_or_comment(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return *p == '\0' || *p == '\n' || *p == '\r' || *p == '#' || *p == '%';
}

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* ---- edge lists and CSV ------------------------------------------------- */

typedef struct reader {
    const wg_netspec *spec;
    const char *path;
    int csv;
    int weight_col;     /* 0-based column of the weight, -1 none */
    int sign_col;       /* 0-based column of the sign, -1 none */
    uint64_t neg_kept, neg_dropped, first_neg_line;   /* pass 1: negative ties (negative_ties) */
    int pass;           /* 1: check, map ids, count arcs; 2: fill the CSR; 3: find the first duplicate;
                           4: the arcs into bucket files (wg_import_save) */
    idmap ids;
    textmap texts;      /* ids that are not integers */
    int header_seen;    /* csv: the first line was taken as a header */
    char header[2][WG_ID_BUF];   /* its first two fields, for the check after pass 1 */
    uint64_t first_line;         /* pass 1: the first edge's line, its agents, whether both */
    uint32_t first_agent[2];     /* ids are text and whether either comes again (an edge */
    int first_text, first_again; /* list's first line that is a header by another name) */
    uint32_t *deg;      /* pass 1: arcs of each agent (growable, deg_cap entries) */
    uint64_t deg_cap;
    uint64_t edges;     /* pass 1: edges kept (self-loops not counted) */
    wg_graph *g;        /* passes 2 and 3: the CSR being filled (2) or checked (3) */
    uint64_t *seen;     /* pass 3: one bit per arc of g */
    uint64_t dup_line;  /* pass 3: line of the first duplicate, 0 until found */
    uint64_t loops, first_loop_line;
    uint64_t file_bytes;  /* the file's size on disk (compressed for .gz) */
    struct buckets *bk;   /* pass 4: the bucket files of wg_import_save */
    wg_import_progress_fn progress;   /* wg_import_save's progress (phase 0), or NULL */
    void *progress_ud;
    uint64_t progress_base;   /* bytes of the file read by the passes before this one */
    uint64_t last_id[2];      /* the last integer id of the source and target columns, */
    uint32_t last_agent[2];   /* and its agent (UINT32_MAX: none yet this pass) */
} reader;

/* Room in r->deg for agent (pass 1). */
static wg_status grow_deg(reader *r, uint64_t lineno, uint32_t agent, wg_diag *d)
{
    if (agent < r->deg_cap) return WG_OK;
    uint64_t cap = r->deg_cap ? 2 * r->deg_cap : 1024;
    uint32_t *nd = wg_realloc(r->deg, cap, sizeof *nd);
    if (!nd) {
        wg_diag_error(d, WG_ENOMEM, "%s:%llu: out of memory", r->path, (unsigned long long)lineno);
        return WG_ENOMEM;
    }
    memset(nd + r->deg_cap, 0, (cap - r->deg_cap) * sizeof *nd);
    r->deg = nd;
    r->deg_cap = cap;
    return WG_OK;
}

static wg_status changed(reader *r, uint64_t lineno, wg_diag *d)
{
    wg_diag_error(d, WG_EINPUT, "%s:%llu: the file changed while it was being read", r->path,
                  (unsigned long long)lineno);
    return WG_EINPUT;
}

/* A text id (not a non-negative integer): mapped by its bytes. */
static wg_status text_id(reader *r, uint64_t lineno, const char *tok, uint32_t *agent, wg_diag *d)
{
    if (strlen(tok) > WG_ID_TEXT_MAX) {
        wg_diag_error(d, WG_EINPUT, "%s:%llu: id \"%.32s...\" is longer than %d bytes", r->path,
                      (unsigned long long)lineno, tok, WG_ID_TEXT_MAX);
        return WG_EINPUT;
    }
    if (r->pass > 1) {   /* every id was mapped by pass 1 */
        if (textmap_get(&r->texts, tok, 0, 0, agent) != 1 || *agent >= r->ids.n) return changed(r, lineno, d);
        return WG_OK;
    }
    int found = textmap_get(&r->texts, tok, 1, r->ids.n, agent);
    if (found < 0 || (!found && idmap_push(&r->ids, WG_TEXT_ID))) {
        wg_diag_error(d, WG_ENOMEM, "%s:%llu: out of memory", r->path, (unsigned long long)lineno);
        return WG_ENOMEM;
    }
    return grow_deg(r, lineno, *agent, d);
}

/* The agent of the id tok of column col (0 source, 1 target), mapped in
 * pass 1 and looked up after. An edge list sorted by source (as most are)
 * names the same source line after line: the last integer id of each
 * column and its agent are kept, which spares the lookup, a random read
 * of the hash table and one of the labels. */
static wg_status check_id(reader *r, uint64_t lineno, int col, const char *tok, uint32_t *agent, wg_diag *d)
{
    uint64_t id = 0;
    switch (parse_id(tok, &id)) {
    case ID_NEGATIVE:
        wg_diag_error(d, WG_EINPUT, "%s:%llu: id %s is negative", r->path, (unsigned long long)lineno, tok);
        return WG_EINPUT;
    case ID_SYNTAX:
        return text_id(r, lineno, tok, agent, d);
    case ID_RANGE:
        wg_diag_error(d, WG_EINPUT, "%s:%llu: id %s is beyond the largest allowed id %llu", r->path,
                      (unsigned long long)lineno, tok, (unsigned long long)WG_MAX_ID);
        return WG_EINPUT;
    default:
        break;
    }
    if (r->last_agent[col] != UINT32_MAX && r->last_id[col] == id) {
        *agent = r->last_agent[col];
        return WG_OK;
    }
    if (r->pass > 1) {   /* every id was mapped by pass 1 */
        uint32_t n = r->ids.n;
        if (idmap_get(&r->ids, id, agent) || *agent >= n) {
            r->ids.n = n;
            return changed(r, lineno, d);
        }
    } else if (idmap_get(&r->ids, id, agent)) {
        wg_diag_error(d, WG_ENOMEM, "%s:%llu: out of memory", r->path, (unsigned long long)lineno);
        return WG_ENOMEM;
    } else {
        wg_status st = grow_deg(r, lineno, *agent, d);
        if (st != WG_OK) return st;
    }
    r->last_id[col] = id;
    r->last_agent[col] = *agent;
    return WG_OK;
}

static wg_status bucket_edge(reader *r, uint64_t lineno, uint32_t a, uint32_t b, float wv, wg_diag *d);

/* Edge a - b of line lineno, kept (not a self-loop), in the current pass. */
static wg_status keep_edge(reader *r, uint64_t lineno, uint32_t a, uint32_t b, float wv, int neg, wg_diag *d)
{
    const int directed = r->spec->directed;
    if (r->pass == 1) {
        if (r->deg[a] == UINT32_MAX || (!directed && r->deg[b] == UINT32_MAX)) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: an agent with more than %u arcs", r->path,
                          (unsigned long long)lineno, UINT32_MAX - 1);
            return WG_EINPUT;
        }
        r->deg[a]++;
        if (!directed) r->deg[b]++;
        r->edges++;
        r->neg_kept += neg != 0;
        return WG_OK;
    }
    if (r->pass == 4) return bucket_edge(r, lineno, a, b, wv, d);
    wg_graph *g = r->g;
    if (r->pass == 2) {   /* out_off[a] is the next free place of row a */
        for (int k = 0; k < (directed ? 1 : 2); k++) {
            uint32_t s = k ? b : a, t = k ? a : b;
            uint64_t pos = g->out_off[s]++;
            if (pos >= g->m) {   /* only when the file grew between the passes */
                wg_diag_error(d, WG_EINPUT, "%s:%llu: the file changed while it was being read",
                              r->path, (unsigned long long)lineno);
                return WG_EINPUT;
            }
            g->out_adj[pos] = t;
            if (g->out_w) g->out_w[pos] = wv;
            if (g->out_neg) g->out_neg[pos] = (uint8_t)(neg != 0);
        }
        return WG_OK;
    }
    if (!directed && a > b) {
        uint32_t x = a;
        a = b;
        b = x;
    }
    uint64_t k = wg_graph_arc(g, a, b);
    if (k == g->out_off[a + 1]) return changed(r, lineno, d);   /* pass 2 put every arc there */
    if (r->seen[k >> 6] >> (k & 63) & 1) r->dup_line = lineno;
    r->seen[k >> 6] |= UINT64_C(1) << (k & 63);
    return WG_OK;
}

/* The column of `what` (weight or sign) named by w: a 1-based number, or
 * a header name; -1 into *col when w is NULL. */
static wg_status resolve_col(reader *r, const char *w, const char *what, int *col, char **hdr, int nhdr,
                             wg_diag *d)
{
    *col = -1;
    if (!w) return WG_OK;
    if (all_digits(w)) {
        long c = strtol(w, NULL, 10);
        if (c < 3 || c > WG_MAX_FIELDS) {
            wg_diag_error(d, WG_EINPUT, "%s: %s column %s must be between 3 and %d", r->path, what, w,
                          WG_MAX_FIELDS);
            return WG_EINPUT;
        }
        *col = (int)c - 1;
        return WG_OK;
    }
    for (int i = 0; hdr && i < nhdr; i++)
        if (strcmp(hdr[i], w) == 0) {
            if (i < 2) break;
            *col = i;
            return WG_OK;
        }
    if (!r->csv)
        wg_diag_error(d, WG_EINPUT, "%s: an edge list names its %s by column number (3 or more), not \"%s\"",
                      r->path, what, w);
    else if (!hdr)
        wg_diag_error(d, WG_EINPUT, "%s: %s \"%s\" names a column but the file has no header", r->path, what, w);
    else
        wg_diag_error(d, WG_EINPUT, "%s: %s \"%s\" is not a column of the header (after source and target)",
                      r->path, what, w);
    return WG_EINPUT;
}

/* The weight and sign columns of spec (hdr: the header's fields, or NULL). */
static wg_status resolve_weight(reader *r, char **hdr, int nhdr, wg_diag *d)
{
    wg_status st = resolve_col(r, r->spec->weight, "weight", &r->weight_col, hdr, nhdr, d);
    if (st == WG_OK) st = resolve_col(r, r->spec->sign, "sign", &r->sign_col, hdr, nhdr, d);
    if (st == WG_OK && r->sign_col >= 0 && r->sign_col == r->weight_col) {
        wg_diag_error(d, WG_EINPUT, "%s: weight and sign name one column; a negative weight is a "
                      "negative tie by itself (leave sign: out)", r->path);
        st = WG_EINPUT;
    }
    return st;
}

/* Field col of line lineno as a number into *x: finite and not 0. */
static wg_status number_field(reader *r, uint64_t lineno, char **f, int nf, int col, const char *what,
                              double *x, wg_diag *d)
{
    char *end;
    if (col >= nf) {
        wg_diag_error(d, WG_EINPUT, "%s:%llu: no %s in column %d", r->path, (unsigned long long)lineno, what,
                      col + 1);
        return WG_EINPUT;
    }
    const char *t = f[col];
    if (!strcmp(t, "+") || !strcmp(t, "-")) {   /* a sign written as itself */
        *x = *t == '-' ? -1.0 : 1.0;
        return WG_OK;
    }
    *x = strtod(t, &end);
    if (end == t || *end || !isfinite(*x) || *x == 0 || !isfinite((float)*x) || (float)*x == 0) {
        wg_diag_error(d, WG_EINPUT, "%s:%llu: %s \"%s\" is not a finite number other than 0", r->path,
                      (unsigned long long)lineno, what, t);
        return WG_EINPUT;
    }
    return WG_OK;
}

/* One data line: ids, weight, self-loop check, then the edge is kept. */
static wg_status read_edge(reader *r, uint64_t lineno, char **f, int nf, wg_diag *d)
{
    uint32_t a, b;
    float wv = 1.0f;
    wg_status st;
    if (nf < 2) {
        wg_diag_error(d, WG_EINPUT, "%s:%llu: expected a source and a target", r->path, (unsigned long long)lineno);
        return WG_EINPUT;
    }
    if ((st = check_id(r, lineno, 0, f[0], &a, d)) != WG_OK) return st;
    if ((st = check_id(r, lineno, 1, f[1], &b, d)) != WG_OK) return st;
    if (r->pass == 1 && !r->first_line) {
        uint64_t id;
        r->first_line = lineno;
        r->first_agent[0] = a;
        r->first_agent[1] = b;
        r->first_text = parse_id(f[0], &id) == ID_SYNTAX && parse_id(f[1], &id) == ID_SYNTAX;
        if (!r->header_seen)
            for (int i = 0; i < 2; i++) snprintf(r->header[i], sizeof r->header[i], "%s", f[i]);
    } else if (r->pass == 1 && r->first_text &&
               (a == r->first_agent[0] || a == r->first_agent[1] || b == r->first_agent[0] ||
                b == r->first_agent[1])) {
        r->first_again = 1;
    }
    /* a negative weight, or a negative sign, is a distrust tie; the weight is |w| */
    int neg = 0;
    double x;
    if (r->weight_col >= 0) {
        if ((st = number_field(r, lineno, f, nf, r->weight_col, "weight", &x, d)) != WG_OK) return st;
        neg = x < 0;
        wv = (float)fabs(x);
    }
    if (r->sign_col >= 0) {
        if ((st = number_field(r, lineno, f, nf, r->sign_col, "sign", &x, d)) != WG_OK) return st;
        neg |= x < 0;
    }
    if (neg && r->pass == 1) {
        if (r->spec->negative_ties == WG_NEG_ERROR) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: a negative tie (%s \"%s\"): say network.negative_ties: drop "
                          "(leave it out) or flip (word of mouth over it arrives with the other valence)",
                          r->path, (unsigned long long)lineno, r->sign_col >= 0 && x < 0 ? "sign" : "weight",
                          f[r->sign_col >= 0 && x < 0 ? r->sign_col : r->weight_col]);
            return WG_EINPUT;
        }
        if (!r->first_neg_line) r->first_neg_line = lineno;
    }
    if (neg && r->spec->negative_ties == WG_NEG_DROP) {
        if (r->pass == 1) r->neg_dropped++;
        return WG_OK;
    }
    if (a == b) {
        if (r->spec->self_loops_error) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: self-loop %s -> %s", r->path, (unsigned long long)lineno, f[0],
                          f[1]);
            return WG_EINPUT;
        }
        if (r->pass == 1) r->loops++;
        return WG_OK;
    }
    return keep_edge(r, lineno, a, b, wv, neg, d);
}

/* zlib's error text without the "<fd:N>: " it puts first. */
static const char *gz_reason(gzFile gz, int *err)
{
    const char *msg = gzerror(gz, err);
    if (!strncmp(msg, "<fd:", 4)) {
        const char *c = strstr(msg, ": ");
        if (c) msg = c + 2;
    }
    return msg;
}

/* Read every line of an edge list or CSV through zlib (plain or gzip). */
static wg_status read_lines(reader *r, gzFile gz, wg_diag *d)
{
    char *line = wg_malloc(WG_LINE_MAX, 1);
    char *f[WG_MAX_FIELDS];
    uint64_t lineno = 0;
    int first = 1;
    wg_status st = WG_OK;
    if (!line) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", r->path);
        return WG_ENOMEM;
    }
    if (!r->csv && (st = resolve_weight(r, NULL, 0, d)) != WG_OK) goto done;
    z_off_t at = gztell(gz);
    const uint64_t max_bytes = WG_GZ_MAX_RATIO * r->file_bytes + WG_GZ_MAX_SLACK;
    while (!r->dup_line && gzgets(gz, line, WG_LINE_MAX)) {
        size_t len = strlen(line);
        z_off_t next = gztell(gz);
        lineno++;
        if (next >= 0 && at >= 0 && (uint64_t)(next - at) != len) {
            /* gzgets read more than strlen sees: a NUL byte inside the line */
            wg_diag_error(d, WG_EINPUT, "%s:%llu: a NUL byte: not a text file (UTF-16 is not read; "
                          "save it as UTF-8)", r->path, (unsigned long long)lineno);
            st = WG_EINPUT;
            goto done;
        }
        if (next >= 0 && (uint64_t)next > max_bytes) {
            wg_diag_error(d, WG_EINPUT, "%s: expands to more than %llu times its size (at line %llu): "
                          "not a compressed edge list", r->path, (unsigned long long)WG_GZ_MAX_RATIO,
                          (unsigned long long)lineno);
            st = WG_EINPUT;
            goto done;
        }
        at = next;
        if (r->progress && lineno % WG_PROGRESS_LINES == 0) {
            r->progress(r->progress_ud, 0, (r->progress_base + (uint64_t)gzoffset(gz)) >> 20,
                        (2 * r->file_bytes) >> 20);
            if (wg_stopped()) {   /* wg_import_save's passes are long: a signal stops them */
                wg_diag_error(d, WG_EINTR, "interrupted: stopped while reading %s", r->path);
                st = WG_EINTR;
                goto done;
            }
        }
        if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
            memmove(line, line + 3, (len -= 3) + 1);   /* a UTF-8 byte-order mark */
        if (len == WG_LINE_MAX - 1 && line[len - 1] != '\n' && !gzeof(gz)) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: line longer than %d bytes", r->path, (unsigned long long)lineno,
                          WG_LINE_MAX - 2);
            st = WG_EINPUT;
            goto done;
        }
        if (len && line[len - 1] != '\n') {
            /* a last line without newline: make sure the stream ended cleanly,
             * not in the middle of a truncated gzip member */
            int err = Z_OK;
            const char *msg = gz_reason(gz, &err);
            if (err != Z_OK && err != Z_STREAM_END) {
                wg_diag_error(d, WG_EINPUT, "%s: truncated or corrupt gzip data (%s)", r->path, msg);
                st = WG_EINPUT;
                goto done;
            }
        }
        if (is_blank_or_comment(line)) continue;
        int nf = r->csv ? (int)wg_csv_split(line, f, WG_MAX_FIELDS) : split_blank(line, f);
        if (first && (r->csv || r->spec->header == WG_HEADER_YES)) {
            uint64_t id;
            first = 0;
            /* A first line whose first two fields are not integers is a header,
             * unless the scenario says (header: true or false). */
            int header = r->spec->header == WG_HEADER_GUESS
                             ? nf < 2 || parse_id(f[0], &id) == ID_SYNTAX || parse_id(f[1], &id) == ID_SYNTAX
                             : r->spec->header == WG_HEADER_YES;
            if (header) {
                r->header_seen = r->spec->header == WG_HEADER_GUESS;
                for (int i = 0; i < 2; i++)
                    snprintf(r->header[i], sizeof r->header[i], "%s", i < nf ? f[i] : "");
                if (r->csv && (st = resolve_weight(r, f, nf, d)) != WG_OK) goto done;
                continue;
            }
            if (r->csv && (st = resolve_weight(r, NULL, 0, d)) != WG_OK) goto done;
        }
        if ((st = read_edge(r, lineno, f, nf, d)) != WG_OK) goto done;
    }
    int err = Z_OK;
    const char *msg = gz_reason(gz, &err);
    if (err == Z_ERRNO) {
        wg_diag_error(d, WG_EINPUT, "%s: read error: %s", r->path, strerror(errno));
        st = WG_EINPUT;
    } else if (err != Z_OK && err != Z_STREAM_END) {
        wg_diag_error(d, WG_EINPUT, "%s: truncated or corrupt gzip data (%s)", r->path, msg);
        st = WG_EINPUT;
    } else if (r->csv && first) {
        if ((st = resolve_weight(r, NULL, 0, d)) != WG_OK) goto done;
    }
done:
    free(line);
    return st;
}

/* Report self-loops and duplicates: a note when dropped, an error in error mode. */
static wg_status report_drops(const wg_netspec *spec, const char *path, uint64_t loops, uint64_t dups,
                              uint64_t dup_line, wg_diag *d)
{
    if (loops && spec->self_loops_error) {
        wg_diag_error(d, WG_EINPUT, "%s: %llu self-loops (self_loops: error)", path, (unsigned long long)loops);
        return WG_EINPUT;
    }
    if (dups && spec->duplicates_error) {
        if (dup_line)
            wg_diag_error(d, WG_EINPUT, "%s:%llu: duplicate edge (%llu in all; duplicates: error)", path,
                          (unsigned long long)dup_line, (unsigned long long)dups);
        else
            wg_diag_error(d, WG_EINPUT, "%s: %llu duplicate edges (duplicates: error)", path,
                          (unsigned long long)dups);
        return WG_EINPUT;
    }
    if (loops) wg_diag_note(d, "%s: %llu self-loop%s dropped", path, (unsigned long long)loops, loops > 1 ? "s" : "");
    if (dups)
        wg_diag_note(d, "%s: %llu duplicate edge%s dropped", path, (unsigned long long)dups, dups > 1 ? "s" : "");
    return WG_OK;
}

/* One pass over the file (plain or gzip) with r->pass set. */
static wg_status read_pass(reader *r, wg_diag *d)
{
    int fd = open_input(r->path, &r->file_bytes, d);
    if (fd < 0) return WG_EINPUT;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory opening the file", r->path);
        return WG_ENOMEM;
    }
    gzbuffer(gz, WG_GZ_BUFFER);
    r->weight_col = r->sign_col = -1;
    r->last_agent[0] = r->last_agent[1] = UINT32_MAX;
    wg_status st = read_lines(r, gz, d);
    int zc = gzclose_r(gz);
    if (st == WG_OK && zc != Z_OK) {
        wg_diag_error(d, WG_EINPUT, "%s: truncated or corrupt gzip data (%s)", r->path,
                      zc == Z_BUF_ERROR ? "unexpected end of file" : "read error");
        st = WG_EINPUT;
    }
    return st;
}

/* Sort row [lo, hi) of g by target, stably (weights and signs follow):
 * insertion sort for short rows, else a merge sort through the scratch
 * arrays (hi - lo entries each). */
static void sort_row(wg_graph *g, uint64_t lo, uint64_t hi, uint32_t *tadj, float *tw, uint8_t *tneg)
{
    uint32_t *adj = g->out_adj;
    float *w = g->out_w;
    uint8_t *neg = g->out_neg;
    if (hi - lo <= 32) {
        for (uint64_t i = lo + 1; i < hi; i++) {
            uint32_t x = adj[i];
            float y = w ? w[i] : 0.0f;
            uint8_t z = neg ? neg[i] : 0;
            uint64_t j = i;
            for (; j > lo && adj[j - 1] > x; j--) {
                adj[j] = adj[j - 1];
                if (w) w[j] = w[j - 1];
                if (neg) neg[j] = neg[j - 1];
            }
            adj[j] = x;
            if (w) w[j] = y;
            if (neg) neg[j] = z;
        }
        return;
    }
    uint64_t mid = lo + (hi - lo) / 2;
    sort_row(g, lo, mid, tadj, tw, tneg);
    sort_row(g, mid, hi, tadj, tw, tneg);
    if (adj[mid - 1] <= adj[mid]) return;
    uint64_t i = lo, j = mid, k = 0;
    while (i < mid || j < hi) {
        int left = j == hi || (i < mid && adj[i] <= adj[j]);
        uint64_t from = left ? i++ : j++;
        tadj[k] = adj[from];
        if (w) tw[k] = w[from];
        if (neg) tneg[k] = neg[from];
        k++;
    }
    memcpy(adj + lo, tadj, k * sizeof *adj);
    if (w) memcpy(w + lo, tw, k * sizeof *w);
    if (neg) memcpy(neg + lo, tneg, k);
}

/* Sort every row stably by target and drop duplicates (the first kept), in
 * place; returns the arcs removed, or UINT64_MAX when memory runs out. */
static uint64_t sort_and_dedup(wg_graph *g)
{
    uint64_t maxdeg = 0, removed = 0, wpos = 0;
    for (uint32_t v = 0; v < g->n; v++)
        if (g->out_off[v + 1] - g->out_off[v] > maxdeg) maxdeg = g->out_off[v + 1] - g->out_off[v];
    const int big = maxdeg > 32;
    uint32_t *tadj = big ? wg_malloc(maxdeg, sizeof *tadj) : NULL;
    float *tw = big && g->out_w ? wg_malloc(maxdeg, sizeof *tw) : NULL;
    uint8_t *tneg = big && g->out_neg ? wg_malloc(maxdeg, 1) : NULL;
    if (big && (!tadj || (g->out_w && !tw) || (g->out_neg && !tneg))) {
        free(tadj);
        free(tw);
        free(tneg);
        return UINT64_MAX;
    }
    for (uint32_t v = 0; v < g->n; v++) {
        uint64_t lo = g->out_off[v], hi = g->out_off[v + 1];
        sort_row(g, lo, hi, tadj, tw, tneg);
        g->out_off[v] = wpos;
        for (uint64_t k = lo; k < hi; k++) {
            if (k > lo && g->out_adj[k] == g->out_adj[k - 1]) {
                removed++;
                continue;
            }
            g->out_adj[wpos] = g->out_adj[k];
            if (g->out_w) g->out_w[wpos] = g->out_w[k];
            if (g->out_neg) g->out_neg[wpos] = g->out_neg[k];
            wpos++;
        }
    }
    g->out_off[g->n] = wpos;
    g->m = wpos;
    free(tadj);
    free(tw);
    free(tneg);
    return removed;
}

/* Pass 1 over the file and the checks of what it found: r is set up for
 * pass 2 (the ids mapped, r->deg the arcs of each agent). */
static wg_status first_pass(reader *r, const wg_netspec *spec, int csv, wg_import_progress_fn progress,
                            void *progress_ud, wg_diag *d)
{
    wg_status st;
    memset(r, 0, sizeof *r);
    r->progress = progress;
    r->progress_ud = progress_ud;
    r->spec = spec;
    r->path = spec->file;
    r->csv = csv;
    r->pass = 1;
    if ((st = read_pass(r, d)) != WG_OK) return st;
    if (r->edges == 0) {
        wg_diag_error(d, WG_EINPUT, "%s: no edges in the network file", spec->file);
        return WG_EINPUT;
    }
    for (int i = 0; i < 2 && r->header_seen && r->texts.n; i++) {
        uint32_t a;
        if (r->header[i][0] && textmap_get(&r->texts, r->header[i], 0, 0, &a) == 1) {
            wg_diag_error(d, WG_EINPUT, "%s:1: the first line was read as a header, but \"%s\" is also an "
                          "id in the file: say network.header: true (a header) or false (an edge)",
                          spec->file, r->header[i]);
            return WG_EINPUT;
        }
    }
    if (!csv && spec->header == WG_HEADER_GUESS && r->first_text && !r->first_again) {
        wg_diag_error(d, WG_EINPUT, "%s:%llu: the first line \"%s %s\" looks like a header (neither id "
                      "comes again): say network.header: true (a header) or false (an edge)", spec->file,
                      (unsigned long long)r->first_line, r->header[0], r->header[1]);
        return WG_EINPUT;
    }
    if (r->ids.n == WG_MAX_AGENTS) {
        wg_diag_error(d, WG_EINPUT, "network: too many agents (%u)", r->ids.n);
        return WG_EINPUT;
    }
    /* the labels at their exact size: shrinking cannot lose data */
    uint64_t *label = realloc(r->ids.label, (size_t)r->ids.n * sizeof *label);
    if (label) r->ids.label = label;
    r->ids.cap_label = r->ids.n;
    return WG_OK;
}

/* Notes of the ties left out or flipped (after report_drops). */
static void note_negative(const reader *r, const wg_graph *g, wg_diag *d)
{
    if (r->neg_dropped)
        wg_diag_note(d, "%s: %llu negative tie%s dropped (negative_ties: drop; the first on line %llu)",
                     r->path, (unsigned long long)r->neg_dropped, r->neg_dropped > 1 ? "s" : "",
                     (unsigned long long)r->first_neg_line);
    if (g && r->neg_kept) {
        uint64_t k = 0;
        for (uint64_t i = 0; i < g->m; i++) k += g->out_neg[i];
        wg_diag_note(d, "%s: %llu of %llu arcs are distrust ties (negative_ties: flip: word of mouth over "
                     "them arrives with the other valence)", r->path, (unsigned long long)k,
                     (unsigned long long)g->m);
    }
}

static wg_status import_text(const wg_netspec *spec, int csv, wg_graph **out, wg_diag *d)
{
    reader r;
    wg_graph *g = NULL;
    uint64_t dups = 0;
    wg_status st;
    if ((st = first_pass(&r, spec, csv, NULL, NULL, d)) != WG_OK) goto fail;
    const uint64_t m = spec->directed ? r.edges : 2 * r.edges;
    char what[64];
    snprintf(what, sizeof what, "network: %u agents and %llu arcs", r.ids.n, (unsigned long long)m);
    if ((st = wg_mem_check((double)m * (r.weight_col >= 0 ? 8 : 4) + (double)r.ids.n * WG_IMPORT_BYTES_PER_AGENT,
                           what, d)) != WG_OK)
        goto fail;
    g = wg_graph_alloc(r.ids.n, m, spec->directed ? 1 : 0, r.weight_col >= 0);
    if (g && r.neg_kept && !(g->out_neg = wg_calloc(m ? m : 1, 1))) {
        wg_graph_free(g);
        g = NULL;
    }
    if (!g) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory for a graph of %u agents and %llu arcs", spec->file,
                      r.ids.n, (unsigned long long)m);
        st = WG_ENOMEM;
        goto fail;
    }
    /* out_off[a]: where row a starts, then (pass 2) its next free place */
    for (uint32_t a = 0; a < g->n; a++) g->out_off[a + 1] = g->out_off[a] + r.deg[a];
    free(r.deg);
    r.deg = NULL;
    r.g = g;
    r.pass = 2;
    if ((st = read_pass(&r, d)) != WG_OK) goto fail;
    for (uint32_t a = g->n; a > 0; a--) g->out_off[a] = g->out_off[a - 1];
    g->out_off[0] = 0;
    if (g->out_off[g->n] != m) {
        wg_diag_error(d, WG_EINPUT, "%s: the file changed while it was being read", spec->file);
        st = WG_EINPUT;
        goto fail;
    }
    uint64_t removed = sort_and_dedup(g);
    if (removed == UINT64_MAX) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory sorting the neighbours of an agent", spec->file);
        st = WG_ENOMEM;
        goto fail;
    }
    dups = spec->directed ? removed : removed / 2;
    if (removed < m) {   /* shrinking cannot lose data; keep the old block if realloc refuses */
        uint32_t *adj = realloc(g->out_adj, (g->m ? g->m : 1) * sizeof *adj);
        if (adj) g->out_adj = adj;
        if (g->out_w) {
            float *ww = realloc(g->out_w, (g->m ? g->m : 1) * sizeof *ww);
            if (ww) g->out_w = ww;
        }
        if (g->out_neg) {
            uint8_t *nn = realloc(g->out_neg, g->m ? g->m : 1);
            if (nn) g->out_neg = nn;
        }
    }
    if (dups && spec->duplicates_error) {
        r.seen = wg_calloc((g->m + 63) / 64 + 1, sizeof *r.seen);
        r.pass = 3;
        if (r.seen && (st = read_pass(&r, d)) != WG_OK) goto fail;
    }
    st = report_drops(spec, spec->file, r.loops, dups, r.dup_line, d);
    if (st != WG_OK) goto fail;
    note_negative(&r, g, d);
    if ((st = names_from_texts(g, &r.texts, spec->file, d)) != WG_OK) goto fail;
    g->label = r.ids.label;    /* the graph takes the labels */
    r.ids.label = NULL;
    idmap_free(&r.ids);
    textmap_free(&r.texts);
    free(r.seen);
    *out = g;
    return WG_OK;
fail:
    wg_graph_free(g);
    free(r.deg);
    free(r.seen);
    idmap_free(&r.ids);
    textmap_free(&r.texts);
    return st;
}

/* ---- an edge list saved as .wgraph through bucket files ----------------- */

/*
 * wg_import_save: the CSR of a text file built a stretch of rows at a time,
 * for a network whose arcs do not fit in memory. Pass 1 is import_text's
 * (the ids, each agent's arcs); the rows are then cut into buckets of
 * consecutive agents whose arcs fit in the budget, and pass 2 appends each
 * arc, as a record (row, target[, weight]), to its bucket's file, in the
 * order of the file. Each bucket in turn is read back into its rows (the
 * arcs of a row in the order of the file, as pass 2 of import_text puts
 * them), sorted and cleared of duplicates by the same sort_and_dedup, and
 * its arcs appended to a file of arcs (and one of weights). The offsets
 * are then known, and the .wgraph is written from them and the two files:
 * the same bytes as `--save` after an import in memory. The scratch files
 * are made beside the output, unlinked as soon as they are open (nothing
 * is left behind, whatever happens), and hold about twice the arcs' bytes
 * at most. Memory: the offsets and ids (about 28 bytes an agent, as the
 * import in memory holds beside its CSR), a buffer for each bucket, and
 * one bucket's rows.
 */

#define WG_BUCKETS_MAX 1024u          /* bucket files open at once at most */
#define WG_BUCKET_RECORDS 8192u       /* records buffered for each bucket */

typedef struct buckets {
    uint32_t k;           /* buckets */
    uint32_t *row0;       /* k + 1: bucket b is the rows row0[b] .. row0[b + 1] - 1 */
    FILE **f;             /* each bucket's records */
    uint32_t *rec;        /* k x WG_BUCKET_RECORDS records of `words` words each */
    uint32_t *used;       /* records buffered for each bucket */
    uint64_t *count;      /* records written to each bucket in all */
    int words;            /* 2 (row, target) or 3 (and the weight's bits) */
    int failed;           /* errno of the first failed write, or -1 */
} buckets;

/* A scratch file in dir, already unlinked: it is gone when closed. */
static FILE *scratch_file(const char *dir)
{
    size_t len = strlen(dir);
    char *name = wg_malloc(len + 32, 1);
    if (!name) return NULL;
    snprintf(name, len + 32, "%s/.waggle-scratch-XXXXXX", dir);
    int fd = mkstemp(name);
    FILE *f = NULL;
    if (fd >= 0) {
        unlink(name);
        if (!(f = fdopen(fd, "w+b"))) close(fd);
    }
    free(name);
    return f;
}

static void buckets_flush(buckets *bk, uint32_t b)
{
    size_t n = bk->used[b];
    bk->used[b] = 0;
    if (!n || bk->failed) return;
    const uint32_t *p = bk->rec + (size_t)b * WG_BUCKET_RECORDS * bk->words;
    errno = 0;
    if (fwrite(p, (size_t)bk->words * 4, n, bk->f[b]) != n) bk->failed = errno ? errno : -1;
}

/* Arc s -> t into the bucket of row s. */
static void buckets_put(buckets *bk, uint32_t s, uint32_t t, float wv)
{
    uint32_t lo = 0, hi = bk->k;   /* the bucket b with row0[b] <= s < row0[b + 1] */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (bk->row0[mid] <= s) lo = mid;
        else hi = mid;
    }
    uint32_t *p = bk->rec + ((size_t)lo * WG_BUCKET_RECORDS + bk->used[lo]) * bk->words;
    p[0] = s;
    p[1] = t;
    if (bk->words == 3) memcpy(&p[2], &wv, 4);
    bk->count[lo]++;
    if (++bk->used[lo] == WG_BUCKET_RECORDS) buckets_flush(bk, lo);
}

static wg_status bucket_edge(reader *r, uint64_t lineno, uint32_t a, uint32_t b, float wv, wg_diag *d)
{
    (void)lineno;
    (void)d;
    buckets_put(r->bk, a, b, wv);
    if (!r->spec->directed) buckets_put(r->bk, b, a, wv);
    return WG_OK;
}

static void buckets_free(buckets *bk)
{
    for (uint32_t b = 0; bk->f && b < bk->k; b++)
        if (bk->f[b]) fclose(bk->f[b]);
    free(bk->f);
    free(bk->row0);
    free(bk->rec);
    free(bk->used);
    free(bk->count);
    memset(bk, 0, sizeof *bk);
}

/* Cut rows 0 .. n - 1 (off: the rows' starts, n + 1 entries) into buckets
 * of at most budget bytes: 4 an arc (8 when weighted) and 8 a row; a row
 * larger than that alone. Returns the number of buckets, or 0 past
 * WG_BUCKETS_MAX; row0 (WG_BUCKETS_MAX + 1 entries) receives their starts. */
static uint32_t buckets_cut(const uint64_t *off, uint32_t n, uint64_t budget, int weighted, uint32_t *row0)
{
    const uint64_t per_arc = weighted ? 8 : 4;
    uint32_t k = 0;
    for (uint32_t v = 0; v < n;) {
        if (k == WG_BUCKETS_MAX) return 0;
        row0[k++] = v;
        uint64_t bytes = 0;
        do {
            bytes += (off[v + 1] - off[v]) * per_arc + 8;
            v++;
        } while (v < n && bytes + (off[v + 1] - off[v]) * per_arc + 8 <= budget);
    }
    row0[k] = n;
    return k;
}

/* Bucket b's rows [v0, v1), arcs [a0, a1) of the unsorted rows (off),
 * read back from its file, sorted and cleared of duplicates, its arcs
 * appended to adj_f (and weights to w_f); off[v0 .. v1 - 1] become the
 * final offsets (*base: the arcs of the buckets before, then after it).
 * Duplicates removed are added to *removed. */
static wg_status bucket_rows(const buckets *bk, uint32_t b, uint64_t *off, uint64_t *base, FILE *adj_f,
                             FILE *w_f, uint64_t *removed, const char *path, wg_diag *d)
{
    const uint32_t v0 = bk->row0[b], v1 = bk->row0[b + 1], rows = v1 - v0;
    const uint64_t a0 = off[v0], arcs = off[v1] - a0;
    wg_status st = WG_OK;
    wg_graph t;
    memset(&t, 0, sizeof t);
    t.n = rows;
    t.m = arcs;
    t.out_off = wg_malloc((size_t)rows + 1, sizeof *t.out_off);
    t.out_adj = wg_malloc(arcs ? arcs : 1, sizeof *t.out_adj);
    t.out_w = w_f ? wg_malloc(arcs ? arcs : 1, sizeof *t.out_w) : NULL;
    uint32_t *rec = wg_malloc((size_t)WG_BUCKET_RECORDS * bk->words, 4);
    if (!t.out_off || !t.out_adj || (w_f && !t.out_w) || !rec) {
        wg_diag_error(d, st = WG_ENOMEM, "%s: out of memory for %llu arcs of agents %u to %u", path,
                      (unsigned long long)arcs, v0, v1 - 1);
        goto done;
    }
    for (uint32_t v = 0; v < rows; v++) t.out_off[v] = off[v0 + v] - a0;   /* then the next free place */
    if (bk->count[b] != arcs) goto changed;
    if (fseek(bk->f[b], 0, SEEK_SET) != 0) goto io;
    for (uint64_t done = 0; done < arcs;) {
        size_t want = arcs - done < WG_BUCKET_RECORDS ? (size_t)(arcs - done) : WG_BUCKET_RECORDS;
        if (fread(rec, (size_t)bk->words * 4, want, bk->f[b]) != want) goto io;
        for (size_t i = 0; i < want; i++) {
            const uint32_t *p = rec + i * bk->words;
            const uint32_t v = p[0] - v0;
            if (p[0] < v0 || v >= rows || t.out_off[v] >= off[v0 + v + 1] - a0) goto changed;
            const uint64_t pos = t.out_off[v]++;
            t.out_adj[pos] = p[1];
            if (t.out_w) memcpy(&t.out_w[pos], &p[2], 4);
        }
        done += want;
    }
    for (uint32_t v = rows; v > 0; v--) t.out_off[v] = t.out_off[v - 1];
    t.out_off[0] = 0;
    uint64_t gone = sort_and_dedup(&t);
    if (gone == UINT64_MAX) {
        wg_diag_error(d, st = WG_ENOMEM, "%s: out of memory sorting the neighbours of an agent", path);
        goto done;
    }
    *removed += gone;
    errno = 0;
    if (fwrite(t.out_adj, sizeof *t.out_adj, t.m, adj_f) != t.m ||
        (w_f && fwrite(t.out_w, sizeof *t.out_w, t.m, w_f) != t.m))
        goto io;
    for (uint32_t v = 0; v < rows; v++) off[v0 + v] = *base + t.out_off[v];
    *base += t.m;
    goto done;
changed:
    wg_diag_error(d, st = WG_EINPUT, "%s: the file changed while it was being read", path);
    goto done;
io:
    wg_diag_error(d, st = WG_EIO, "%s: the scratch files beside the output: %s", path,
                  errno ? strerror(errno) : "read or write failed");
done:
    free(t.out_off);
    free(t.out_adj);
    free(t.out_w);
    free(rec);
    return st;
}

wg_status wg_import_save(const wg_netspec *spec, uint64_t budget, const char *scratch_dir, FILE *out,
                         const char *out_path, wg_import_saved *saved, wg_graph **degrees,
                         wg_import_progress_fn progress, void *progress_ud, wg_diag *d)
{
    reader r;
    buckets bk;
    uint64_t *off = NULL, removed = 0, base = 0;
    FILE *adj_f = NULL, *w_f = NULL;
    int gz = 0;
    wg_status st;
    memset(&r, 0, sizeof r);
    memset(&bk, 0, sizeof bk);
    if (degrees) *degrees = NULL;
    wg_net_format fmt = spec->format != WG_FMT_GUESS ? spec->format : guess_format(spec->file, &gz);
    if (fmt != WG_FMT_EDGELIST && fmt != WG_FMT_CSV) {
        wg_diag_error(d, WG_EINPUT, "%s: --memory saves an edge list or CSV file; read this one "
                      "without --memory", spec->file);
        return WG_EINPUT;
    }
    if ((st = first_pass(&r, spec, fmt == WG_FMT_CSV, progress, progress_ud, d)) != WG_OK) goto done;
    if ((st = wg_wgraph_savable(r.texts.n > 0, r.neg_kept > 0, out_path, d)) != WG_OK) goto done;
    const uint32_t n = r.ids.n;
    const int weighted = r.weight_col >= 0;
    off = wg_malloc((size_t)n + 1, sizeof *off);
    bk.row0 = wg_malloc(WG_BUCKETS_MAX + 1, sizeof *bk.row0);
    if (!off || !bk.row0) goto nomem;
    off[0] = 0;
    for (uint32_t a = 0; a < n; a++) off[a + 1] = off[a] + r.deg[a];
    free(r.deg);
    r.deg = NULL;
    if (!(bk.k = buckets_cut(off, n, budget, weighted, bk.row0))) {
        wg_diag_error(d, st = WG_EINPUT, "--memory %.0f MB: the %llu arcs would need more than %u "
                      "pieces of that size; give it more memory", budget / 1e6,
                      (unsigned long long)off[n], WG_BUCKETS_MAX);
        goto done;
    }
    bk.words = weighted ? 3 : 2;
    bk.f = wg_calloc(bk.k, sizeof *bk.f);
    bk.rec = wg_malloc((size_t)bk.k * WG_BUCKET_RECORDS * bk.words, 4);
    bk.used = wg_calloc(bk.k, sizeof *bk.used);
    bk.count = wg_calloc(bk.k, sizeof *bk.count);
    if (!bk.f || !bk.rec || !bk.used || !bk.count) goto nomem;
    errno = 0;
    for (uint32_t b = 0; b < bk.k; b++)
        if (!(bk.f[b] = scratch_file(scratch_dir))) goto noscratch;
    if (!(adj_f = scratch_file(scratch_dir)) || (weighted && !(w_f = scratch_file(scratch_dir))))
        goto noscratch;
    r.bk = &bk;
    r.pass = 4;
    r.progress_base = r.file_bytes;
    if ((st = read_pass(&r, d)) != WG_OK) goto done;
    if (progress) progress(progress_ud, 0, (2 * r.file_bytes) >> 20, (2 * r.file_bytes) >> 20);
    for (uint32_t b = 0; b < bk.k; b++) buckets_flush(&bk, b);
    if (bk.failed) {
        errno = bk.failed > 0 ? bk.failed : 0;
        goto noscratch;
    }
    for (uint32_t b = 0; b < bk.k; b++) {
        if ((st = bucket_rows(&bk, b, off, &base, adj_f, w_f, &removed, spec->file, d)) != WG_OK) goto done;
        fclose(bk.f[b]);   /* its disk space back */
        bk.f[b] = NULL;
        if (progress) progress(progress_ud, 1, b + 1, bk.k);
        if (wg_stopped()) {
            wg_diag_error(d, st = WG_EINTR, "interrupted: stopped while sorting the rows of %s", spec->file);
            goto done;
        }
    }
    off[n] = base;
    if ((st = report_drops(spec, spec->file, r.loops, spec->directed ? removed : removed / 2, 0, d)) != WG_OK)
        goto done;
    note_negative(&r, NULL, d);
    if (fflush(adj_f) != 0 || (w_f && fflush(w_f) != 0)) goto noscratch;
    if ((st = wg_wgraph_write_files(out, out_path, n, base, spec->directed, off, adj_f, w_f, r.ids.label,
                                    d)) != WG_OK)
        goto done;
    saved->nodes = n;
    saved->arcs = base;
    saved->buckets = bk.k;
    if (degrees) {   /* the offsets, handed over */
        wg_graph *g = wg_calloc(1, sizeof *g);
        if (!g) goto nomem;
        g->n = n;
        g->m = base;
        g->directed = spec->directed;
        g->out_off = off;
        off = NULL;
        *degrees = g;
    }
    goto done;
nomem:
    wg_diag_error(d, st = WG_ENOMEM, "%s: out of memory for the offsets of %u agents", spec->file, r.ids.n);
    goto done;
noscratch:
    wg_diag_error(d, st = WG_EIO, "%s: scratch files in %s: %s", spec->file, scratch_dir,
                  errno ? strerror(errno) : "write failed");
done:
    buckets_free(&bk);
    if (adj_f) fclose(adj_f);
    if (w_f) fclose(w_f);
    free(off);
    free(r.deg);
    free(r.seen);
    idmap_free(&r.ids);
    textmap_free(&r.texts);
    return st;
}

/* ---- GraphML, GML, Pajek: read by igraph through igraph.c ---------------- */

#define WG_SCAN_CARRY 15        /* bytes kept between chunks: longer than any marker searched */
#define WG_PAJEK_HEAD 64        /* bytes of a line looked at for "*Vertices N" */
#define WG_PAJEK_FREE_AGENTS 1000000   /* agents a Pajek file may declare beyond its size in bytes */
#define WG_IGRAPH_BYTES_PER_AGENT 96   /* igraph's vectors and waggle's CSR, an agent */

/* "*Vertices N" at the start of a line (any case): N into *count, 1; else 0. */
static int pajek_vertices(const char *line, size_t n, double *count)
{
    static const char key[] = "*vertices";
    char head[WG_PAJEK_HEAD + 1];
    if (n < sizeof key) return 0;
    memcpy(head, line, n);
    head[n] = '\0';
    if (strncasecmp(head, key, sizeof key - 1) != 0) return 0;
    char *p = head + sizeof key - 1, *end;
    if (*p != ' ' && *p != '\t') return 0;
    *count = strtod(p, &end);
    return end != p;
}

/* The whole file, before igraph sees it: a NUL byte (binary, UTF-16) is
 * refused with its line; GraphML with a DTD or entity declarations anywhere
 * is refused; a Pajek "*Vertices N" is bounded by the file's size and the
 * memory of the machine before igraph allocates N vertices. f is rewound,
 * past a UTF-8 byte-order mark. */
static wg_status scan_file(const char *path, FILE *f, wg_net_format fmt, wg_diag *d)
{
    char *buf = wg_malloc(WG_SCAN_CHUNK + WG_SCAN_CARRY + 1, 1);
    char head[WG_PAJEK_HEAD];
    size_t nhead = 0, keep = 0, k;
    uint64_t line = 1, bytes = 0;
    int bom = 0;
    wg_status st = WG_OK;
    if (!buf) {
        wg_diag_error(d, WG_ENOMEM, "%s: out of memory", path);
        return WG_ENOMEM;
    }
    while (st == WG_OK && (k = fread(buf + keep, 1, WG_SCAN_CHUNK, f)) > 0) {
        if (bytes == 0 && k >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) bom = 1;
        for (size_t i = keep; i < keep + k; i++) {
            char c = buf[i];
            if (c == '\0') {
                wg_diag_error(d, WG_EINPUT, "%s:%llu: a NUL byte: not a text file (UTF-16 is not "
                              "read; save it as UTF-8)", path, (unsigned long long)line);
                st = WG_EINPUT;
                break;
            }
            if (c == '\n') {
                double n;
                if (fmt == WG_FMT_PAJEK && pajek_vertices(head, nhead, &n)) {
                    if (!(n >= 0 && n < WG_MAX_AGENTS)) {
                        wg_diag_error(d, WG_EINPUT, "%s:%llu: *Vertices %.0f: expected a count "
                                      "below %u", path, (unsigned long long)line, n, WG_MAX_AGENTS);
                        st = WG_EINPUT;
                        break;
                    }
                    struct stat sb;
                    double size = fstat(fileno(f), &sb) == 0 ? (double)sb.st_size : 0;
                    if (n > size + WG_PAJEK_FREE_AGENTS) {
                        wg_diag_error(d, WG_EINPUT, "%s:%llu: *Vertices %.0f in a file of %.0f "
                                      "bytes: more agents than it can describe (at most its size "
                                      "+ %d)", path, (unsigned long long)line, n, size,
                                      WG_PAJEK_FREE_AGENTS);
                        st = WG_EINPUT;
                        break;
                    }
                    char what[64];
                    snprintf(what, sizeof what, "network: %.0f agents", n);
                    if ((st = wg_mem_check(n * WG_IGRAPH_BYTES_PER_AGENT, what, d)) != WG_OK)
                        break;
                }
                line++;
                nhead = 0;
            } else if (nhead < WG_PAJEK_HEAD) {
                head[nhead++] = c;
            }
        }
        buf[keep + k] = '\0';
        if (st == WG_OK && fmt == WG_FMT_GRAPHML &&
            (strstr(buf, "<!DOCTYPE") || strstr(buf, "<!ENTITY"))) {
            wg_diag_error(d, WG_EINPUT, "%s: DTDs and entities are not accepted", path);
            st = WG_EINPUT;
        }
        bytes += k;
        /* the last WG_SCAN_CARRY bytes start the next chunk, so a marker across chunks is seen */
        size_t total = keep + k;
        keep = total < WG_SCAN_CARRY ? total : WG_SCAN_CARRY;
        memmove(buf, buf + total - keep, keep);
    }
    free(buf);
    if (st == WG_OK && ferror(f)) {
        wg_diag_error(d, WG_EINPUT, "%s: read error: %s", path, strerror(errno));
        st = WG_EINPUT;
    }
    rewind(f);
    if (bom) fseek(f, 3, SEEK_SET);
    return st;
}

/* The "id" node attributes (GraphML, GML) as the agents' ids: integers
 * (parse_id) into g->label, the others (GraphML's "n50") into g->name. */
static wg_status labels_from_ids(wg_graph *g, const char *path, wg_diag *d)
{
    for (size_t i = 0; i < g->nattrs; i++) {
        if (strcmp(g->attr_names[i], "id") != 0) continue;
        size_t text = 0;
        for (uint32_t a = 0; a < g->n; a++) {
            const char *v = g->attr_values[i][a];
            uint64_t id;
            if (!v) return WG_OK;   /* an agent without id: agents are numbered */
            if (parse_id(v, &id) != ID_OK) {
                if (strlen(v) > WG_ID_TEXT_MAX) {
                    wg_diag_error(d, WG_EINPUT, "%s: node id \"%.32s...\" is longer than %d bytes", path,
                                  v, WG_ID_TEXT_MAX);
                    return WG_EINPUT;
                }
                text += strlen(v) + 1;
            }
        }
        uint64_t *label = wg_malloc(g->n ? g->n : 1, sizeof *label);
        char **name = text ? wg_calloc(g->n ? g->n : 1, sizeof *name) : NULL;
        char *bytes = text ? wg_malloc(text, 1) : NULL;
        if (!label || (text && (!name || !bytes))) {
            free(label);
            free(name);
            free(bytes);
            wg_diag_error(d, WG_ENOMEM, "%s: out of memory reading node attributes", path);
            return WG_ENOMEM;
        }
        size_t at = 0;
        for (uint32_t a = 0; a < g->n; a++) {
            const char *v = g->attr_values[i][a];
            if (parse_id(v, &label[a]) == ID_OK) continue;
            label[a] = WG_TEXT_ID;
            name[a] = memcpy(bytes + at, v, strlen(v) + 1);
            at += strlen(v) + 1;
        }
        g->label = label;
        g->name = name;
        g->name_text = bytes;
        return WG_OK;
    }
    return WG_OK;
}

static wg_status import_igraph(const wg_netspec *spec, wg_net_format fmt, wg_graph **out, wg_diag *d)
{
    wg_graph *g = NULL;
    uint64_t loops = 0, dups = 0;
    wg_status st;
    int fd = open_input(spec->file, NULL, d);
    if (fd < 0) return WG_EINPUT;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        wg_diag_error(d, WG_ENOMEM, "%s: cannot open the network file: %s", spec->file, strerror(errno));
        return WG_ENOMEM;
    }
    if ((st = scan_file(spec->file, f, fmt, d)) != WG_OK) goto fail;
    if ((st = wg_igraph_read(spec, fmt, f, &g, &loops, &dups, d)) != WG_OK) goto fail;
    if ((st = report_drops(spec, spec->file, loops, dups, 0, d)) != WG_OK) goto fail;
    if ((st = labels_from_ids(g, spec->file, d)) != WG_OK) goto fail;
    fclose(f);
    *out = g;
    return WG_OK;
fail:
    wg_graph_free(g);
    fclose(f);
    return st;
}

/* ---- network.nodes: a table of node attributes ------------------------- */

/* Column name of the graph's attributes: its index, adding it when new
 * (values NULL); SIZE_MAX when memory runs out. An attribute the network
 * file already has (GraphML) is replaced by the table's column. */
static size_t attr_column(wg_graph *g, const char *name)
{
    for (size_t i = 0; i < g->nattrs; i++)
        if (strcmp(g->attr_names[i], name) == 0) {
            for (uint32_t a = 0; a < g->n; a++) {
                free(g->attr_values[i][a]);
                g->attr_values[i][a] = NULL;
            }
            return i;
        }
    char **names = wg_realloc(g->attr_names, g->nattrs + 1, sizeof *names);
    if (!names) return SIZE_MAX;
    g->attr_names = names;
    char ***values = wg_realloc(g->attr_values, g->nattrs + 1, sizeof *values);
    if (!values) return SIZE_MAX;
    g->attr_values = values;
    char *nm = wg_strdup(name);
    char **col = wg_calloc(g->n ? g->n : 1, sizeof *col);
    if (!nm || !col) {
        free(nm);
        free(col);
        return SIZE_MAX;
    }
    g->attr_names[g->nattrs] = nm;
    g->attr_values[g->nattrs] = col;
    return g->nattrs++;
}

/* The node table of spec->nodes_file (CSV with a header; the column
 * spec->nodes_id, default "id", holds ids as the network file wrote them):
 * every other column becomes a node attribute, for `by: attribute` picks
 * and segments. A row for an id the network lacks is counted in a note; a
 * second row for one id, a row with fewer fields than the header, or a
 * header without the id column is an error with its line. O(n + rows). */
static wg_status read_nodes(const wg_netspec *spec, wg_graph *g, wg_diag *d)
{
    const char *path = spec->nodes_file, *idname = spec->nodes_id ? spec->nodes_id : "id";
    char *text = NULL, *f[WG_MAX_FIELDS];
    size_t len = 0, cols[WG_MAX_FIELDS];
    textmap ix;
    uint8_t *has_row = NULL;
    uint64_t lineno = 0, missing = 0, first_missing = 0, *row_line = NULL;
    int nhdr = 0, idcol = -1;
    wg_status st = wg_input_read(path, WG_IN_NETWORK, &text, &len, d);
    if (st != WG_OK) return st;
    memset(&ix, 0, sizeof ix);
    has_row = wg_calloc(g->n ? g->n : 1, 1);
    row_line = wg_calloc(g->n ? g->n : 1, sizeof *row_line);
    if (!has_row || !row_line) goto oom;
    for (uint32_t a = 0; a < g->n; a++) {   /* the network's ids, as wg_graph_id writes them */
        char buf[WG_ID_BUF];
        uint32_t x;
        if (textmap_get(&ix, wg_graph_id(g, a, buf), 1, a, &x) < 0) goto oom;
    }
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        lineno++;
        if (line[strspn(line, " \t\r")] == '\0') continue;   /* a blank line */
        int nf = (int)wg_csv_split(line, f, WG_MAX_FIELDS);
        if (idcol < 0) {   /* the header */
            nhdr = nf;
            for (int i = 0; i < nf; i++) {
                if (!*f[i]) {
                    wg_diag_error(d, WG_EINPUT, "%s:%llu: column %d of the header has no name", path,
                                  (unsigned long long)lineno, i + 1);
                    goto bad;
                }
                for (int j = 0; j < i; j++)
                    if (!strcmp(f[i], f[j])) {
                        wg_diag_error(d, WG_EINPUT, "%s:%llu: two columns named \"%s\"", path,
                                      (unsigned long long)lineno, f[i]);
                        goto bad;
                    }
                if (!strcmp(f[i], idname)) idcol = i;
            }
            if (idcol < 0) {
                wg_diag_error(d, WG_EINPUT, "%s:%llu: no column \"%s\" (the ids) in the header%s", path,
                              (unsigned long long)lineno, idname,
                              spec->nodes_id ? "" : "; network.nodes.id names another");
                goto bad;
            }
            if (nf < 2) {
                wg_diag_error(d, WG_EINPUT, "%s:%llu: no column beside \"%s\": no attribute to read", path,
                              (unsigned long long)lineno, idname);
                goto bad;
            }
            for (int i = 0; i < nf; i++)
                if (i != idcol && (cols[i] = attr_column(g, f[i])) == SIZE_MAX) goto oom;
            continue;
        }
        if (nf < nhdr) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: %d field%s, the header has %d", path, (unsigned long long)lineno,
                          nf, nf == 1 ? "" : "s", nhdr);
            goto bad;
        }
        /* an integer id as the network writes it ("007" is 7) */
        char canon[WG_ID_BUF];
        uint64_t id;
        const char *key = f[idcol];
        if (parse_id(key, &id) == ID_OK) {
            snprintf(canon, sizeof canon, "%llu", (unsigned long long)id);
            key = canon;
        }
        uint32_t a;
        if (strlen(key) > WG_ID_TEXT_MAX || textmap_get(&ix, key, 0, 0, &a) != 1) {
            if (!missing++) first_missing = lineno;
            continue;
        }
        if (has_row[a]) {
            wg_diag_error(d, WG_EINPUT, "%s:%llu: id \"%s\" has a row already (line %llu)", path,
                          (unsigned long long)lineno, f[idcol], (unsigned long long)row_line[a]);
            goto bad;
        }
        has_row[a] = 1;
        row_line[a] = lineno;
        for (int i = 0; i < nhdr; i++)
            if (i != idcol && *f[i] && !(g->attr_values[cols[i]][a] = wg_strdup(f[i]))) goto oom;
    }
    if (idcol < 0) {
        wg_diag_error(d, WG_EINPUT, "%s: no header (a first line naming the columns, one of them \"%s\")", path,
                      idname);
        goto bad;
    }
    if (missing)
        wg_diag_note(d, "%s: %llu row%s for ids that are not in the network left out (the first on line %llu)",
                     path, (unsigned long long)missing, missing > 1 ? "s" : "", (unsigned long long)first_missing);
    st = WG_OK;
    goto done;
oom:
    wg_diag_error(d, WG_ENOMEM, "%s: out of memory reading the node attributes", path);
    st = WG_ENOMEM;
    goto done;
bad:
    st = WG_EINPUT;
done:
    textmap_free(&ix);
    free(has_row);
    free(row_line);
    free(text);
    return st;
}

wg_status wg_import(const wg_netspec *spec, wg_graph **out, wg_diag *d)
{
    int gz = 0;
    wg_status st;
    *out = NULL;
    if (!spec->file || !*spec->file) {
        wg_diag_error(d, WG_EINPUT, "network: file needs a path");
        return WG_EINPUT;
    }
    wg_net_format fmt = guess_format(spec->file, &gz);
    if (spec->format != WG_FMT_GUESS) fmt = spec->format;
    if (spec->sign && fmt != WG_FMT_EDGELIST && fmt != WG_FMT_CSV) {
        wg_diag_error(d, WG_EINPUT, "%s: network.sign names a column of an edge list or CSV file; "
                      "this is not one", spec->file);
        return WG_EINPUT;
    }
    switch (fmt) {
    case WG_FMT_EDGELIST: st = import_text(spec, 0, out, d); break;
    case WG_FMT_CSV: st = import_text(spec, 1, out, d); break;
    case WG_FMT_GRAPHML:
    case WG_FMT_GML:
    case WG_FMT_PAJEK:
        if (gz) {
            wg_diag_error(d, WG_EINPUT, "%s: compressed GraphML, GML and Pajek files are not supported; "
                                        "decompress it first", spec->file);
            return WG_EINPUT;
        }
        st = import_igraph(spec, fmt, out, d);
        break;
    case WG_FMT_WGRAPH:
        if (gz) {
            wg_diag_error(d, WG_EINPUT, "%s: a .wgraph file is mapped, not read: it cannot be "
                                        "compressed", spec->file);
            return WG_EINPUT;
        }
        st = wg_wgraph_map(spec->file, spec->directed, spec->weight != NULL, out, d);
        if (st == WG_OK && spec->directed_set && !spec->directed && (*out)->directed) {
            wg_diag_error(d, WG_EINPUT, "%s: the file holds a directed network but the scenario's "
                          "network.directed is false: remove network.directed, or make it true", spec->file);
            wg_graph_free(*out);
            *out = NULL;
            return WG_EINPUT;
        }
        break;
    default:
        wg_diag_error(d, WG_EINPUT, "%s: unknown network format", spec->file);
        return WG_EINPUT;
    }
    if (st == WG_OK && spec->nodes_file && (st = read_nodes(spec, *out, d)) != WG_OK) {
        wg_graph_free(*out);
        *out = NULL;
    }
    WG_ASSERT(st != WG_OK || wg_graph_valid(*out));
    return st;
}
