/*
 * check.c — the words of a scenario file and the typed readers that every
 * section of the conversion (convert.c) and the overrides (scenario.c) use:
 * the keys a section accepts, "did you mean", and reading a number, a
 * count, a text, a choice or a path out of a tree node with the message
 * that says where and what was expected.
 *
 * Invariants: a reader either stores a valid value and returns 1, or
 * reports exactly one error ("[variant 'V': ]FILE:LINE:COL: KEY: expected
 * ..., got X") and returns 0 without touching the destination; nothing
 * stops at the first error, so a file's problems are all shown at once. The
 * names of the model's vocabularies are not here: they are model.c's
 * tables (waggle/model.h); the lists here are the scenario file's own keys.
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

#include "scenario_impl.h"

#define EDIT_MAX 48               /* words longer than this get no suggestion */

/* ------------------------------------------------------------------------
 * The scenario file's words.
 */
const char *const wg_check_top_keys[] = {"name", "about", "unit", "step", "steps", "runs", "seed",
                                         "blowup", "seed_conflict", "network", "model", "segments", "events",
                                         "variants", "observed", "sweep", "trace", "arrivals", NULL};
const char *const wg_check_model_keys[] = {"contact", "exposure", "share", "quit", "quality",
                                           "stifle", "forget", "media", "duration",
                                           "threshold", "recommend", "rekindle", NULL};
const char *const wg_check_formats[] = {"edgelist", "csv", "graphml", "gml", "pajek", "wgraph", NULL};
const char *const wg_check_drop_error[] = {"drop", "error", NULL};

static const char *const k_er[] = {"generate", "nodes", "mean_degree", NULL};
static const char *const k_ba[] = {"generate", "nodes", "edges_per_node", NULL};
static const char *const k_ws[] = {"generate", "nodes", "neighbours", "rewire", NULL};
static const char *const k_conf[] = {"generate", "nodes", "degrees", NULL};
static const char *const k_sbm[] = {"generate", "sizes", "p", "directed", NULL};
static const char *const k_nodes[] = {"generate", "nodes", NULL};
static const char *const k_nodes_dir[] = {"generate", "nodes", "directed", NULL};
static const char *const k_lattice[] = {"generate", "dims", "periodic", NULL};
static const char *const k_famous[] = {"generate", "name", NULL};
const char *const wg_check_file_keys[] = {"file", "format", "directed", "weight", "self_loops",
                                          "duplicates", "header", "sign", "negative_ties", "nodes",
                                          NULL};

const wg_check_net_kind wg_check_net_kinds[WG_CHECK_NNET_KINDS] = {
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

const char *wg_check_net_kind_name(wg_net_kind k)
{
    for (size_t i = 0; i < WG_CHECK_NNET_KINDS; i++)
        if (wg_check_net_kinds[i].kind == k) return wg_check_net_kinds[i].name;
    return "file";
}

/* 1 when key names a pair of parameters by valence, as `share` names
 * share.positive and share.negative (read from model.c's table). */
int wg_check_pair_key(const char *key)
{
    size_t n = strlen(key);
    for (int p = 0; p < WG_NPARAMS; p++)
        if (!strncmp(wg_param_names[p], key, n) && wg_param_names[p][n] == '.') return 1;
    return 0;
}

/* ------------------------------------------------------------------------
 * Suggestions.
 */
/* Damerau–Levenshtein distance (optimal string alignment). */
size_t wg_check_distance(const char *a, const char *b)
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
 * within WG_SUGGEST_DIST edits, or NULL. */
const char *wg_check_suggest(const char *word, const char *const *a, const char *const *b)
{
    const char *best = NULL;
    size_t bestd = WG_SUGGEST_DIST + 1;
    for (int k = 0; k < 2; k++)
        for (const char *const *l = k ? b : a; l && *l; l++) {
            size_t dd = wg_check_distance(word, *l);
            if (dd < bestd && dd < strlen(*l)) {
                bestd = dd;
                best = *l;
            }
        }
    return best;
}

int wg_check_in_list(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0) return 1;
    return 0;
}

/* "a, b, c" */
char *wg_check_names(char *buf, size_t cap, const char *const *a, const char *const *b)
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
 * Typed readers.
 */
void wg_check_err(wg_check *c, const node *at, const char *path, const char *fmt, ...)
{
    char msg[640], where[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wg_doc_locate(c->doc, at, where, sizeof where);
    wg_diag_error(c->d, WG_EINPUT, "%s%s%s%s%s", c->prefix, where, path && *path ? path : "",
                  path && *path ? ": " : "", msg);
    c->errors++;
}

/* How a node reads in "got ..." */
const char *wg_check_got(const node *n)
{
    if (!n) return "nothing";
    if (n->kind == NK_MAP) return "a map";
    if (n->kind == NK_SEQ) return "a list";
    if (wg_tree_is_null(n)) return "nothing";
    return n->text;
}

int wg_check_map(wg_check *c, const node *n, const char *path)
{
    if (n->kind == NK_MAP) return 1;
    wg_check_err(c, n, path, "expected a map of keys, got %s", wg_check_got(n));
    return 0;
}

int wg_check_seq(wg_check *c, const node *n, const char *path)
{
    if (n->kind == NK_SEQ) return 1;
    wg_check_err(c, n, path, "expected a list, got %s", wg_check_got(n));
    return 0;
}

/* A zeroed array of `size`-byte items, one per item of the list n; NULL
 * when n is not a list or is empty (reported unless allow_empty) or when
 * memory runs out (c->oom set). */
void *wg_check_list(wg_check *c, const node *n, const char *path, size_t size, int allow_empty)
{
    void *a;
    if (!wg_check_seq(c, n, path)) return NULL;
    if (!n->n) {
        if (!allow_empty) wg_check_err(c, n, path, "expected at least one item, got an empty list");
        return NULL;
    }
    if (!(a = wg_calloc(n->n, size))) c->oom = 1;
    return a;
}

void wg_check_keys(wg_check *c, const node *m, const char *path, const char *const *known,
                   const char *const *more)
{
    char p[WG_PATH_LEN], list[WG_LIST_LEN];
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i]->text;
        if (wg_check_in_list(k, known) || wg_check_in_list(k, more)) continue;
        const char *sug = wg_check_suggest(k, known, more);
        wg_tree_join(p, path, k);
        if (sug)
            wg_check_err(c, m->keys[i], p, "unknown key, did you mean '%s'?", sug);
        else
            wg_check_err(c, m->keys[i], p, "unknown key (expected one of %s)",
                         wg_check_names(list, sizeof list, known, more));
    }
}

void wg_check_missing(wg_check *c, const node *m, const char *path, const char *key)
{
    wg_check_err(c, m, path, "missing key '%s'", key);
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

int wg_check_real(wg_check *c, const node *n, const char *path, int range, double *out)
{
    static const char *const what[] = {"a number", "a number >= 0", "a number > 0",
                                       "a probability in [0, 1]", "a fraction in (0, 1]"};
    double v = 0;
    int ok = n->kind == NK_SCALAR && !wg_tree_is_null(n) && parse_double(n->text, &v) == 0;
    if (ok) switch (range) {
        case R_NONNEG: ok = v >= 0; break;
        case R_POS: ok = v > 0; break;
        case R_PROB: ok = v >= 0 && v <= 1; break;
        case R_FRAC: ok = v > 0 && v <= 1; break;
        default: break;
        }
    if (!ok) {
        wg_check_err(c, n, path, "expected %s, got %s", what[range], wg_check_got(n));
        return 0;
    }
    *out = v;
    return 1;
}

#define EXP_MAX 100000   /* exponents beyond are no count of anything: "not a whole number" */

/* A whole number written as digits, a decimal or with an exponent (1e6,
 * 1.5e3, 1e19), read exactly, without a detour through double (which holds
 * integers exactly only up to 2^53). 0: a whole number >= 0 in *out; 1: not
 * one; 2: a whole number beyond 2^64 - 1. */
static int parse_uint(const char *t, uint64_t *out)
{
    const char *s = t + (*t == '+');
    size_t nint = strspn(s, "0123456789"), nfrac = 0;
    const char *frac = s + nint;
    if (*frac == '.') nfrac = strspn(++frac, "0123456789");
    else frac = NULL;
    const char *e = frac ? frac + nfrac : s + nint;
    long exp = 0;
    if (nint + nfrac == 0) return 1;
    if (*e == 'e' || *e == 'E') {
        const char *x = e + 1 + (e[1] == '+' || e[1] == '-');
        size_t nx = strspn(x, "0123456789");
        if (!nx || x[nx]) return 1;
        errno = 0;
        exp = strtol(e + 1, NULL, 10);
        if (errno || exp > EXP_MAX || exp < -EXP_MAX) return 1;
    } else if (*e) {
        return 1;
    }
    /* the digits d_1 .. d_n (integer part, then fraction), the point after nint + exp of them */
    const long n = (long)(nint + nfrac), point = (long)nint + exp;
    uint64_t v = 0;
    for (long i = 0; i < n || i < point; i++) {
        const int digit = i < n ? (i < (long)nint ? s[i] : frac[i - (long)nint]) - '0' : 0;
        if (i >= point) {
            if (digit) return 1;   /* a fraction */
            continue;
        }
        if (v > (UINT64_MAX - (uint64_t)digit) / 10) {
            /* beyond 64 bits, unless a fraction follows (then it is no whole number) */
            for (long k = point; k < n; k++)
                if ((k < (long)nint ? s[k] : frac[k - (long)nint]) != '0') return 1;
            return 2;
        }
        v = v * 10 + (uint64_t)digit;
    }
    *out = v;
    return 0;
}

int wg_check_uint(wg_check *c, const node *n, const char *path, uint64_t lo, uint64_t hi,
                  uint64_t *out)
{
    uint64_t v = 0;
    int rc = n->kind != NK_SCALAR || wg_tree_is_null(n) ? 1 : parse_uint(n->text, &v);
    if (rc || v < lo || v > hi) {
        wg_check_err(c, n, path, "expected a whole number in [%" PRIu64 ", %" PRIu64 "], got %s%s",
                     lo, hi, wg_check_got(n),
                     rc == 2 ? " (out of range: beyond 2^64 - 1)" : !rc && v > hi ? " (out of range)" : "");
        return 0;
    }
    *out = v;
    return 1;
}

int wg_check_u32(wg_check *c, const node *n, const char *path, uint64_t lo, uint32_t *out)
{
    uint64_t v;
    if (!wg_check_uint(c, n, path, lo, UINT32_MAX, &v)) return 0;
    *out = (uint32_t)v;
    return 1;
}

/* A string into *dst (replacing what was there). */
int wg_check_str(wg_check *c, const node *n, const char *path, char **dst)
{
    if (n->kind != NK_SCALAR || wg_tree_is_null(n)) {
        wg_check_err(c, n, path, "expected a text, got %s", wg_check_got(n));
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
int wg_check_bool_value(const node *n)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", NULL};
    if (n->kind != NK_SCALAR) return -1;
    return wg_check_in_list(n->text, yes) ? 1 : wg_check_in_list(n->text, no) ? 0 : -1;
}

int wg_check_bool(wg_check *c, const node *n, const char *path, int *out)
{
    int b = wg_check_bool_value(n);
    if (b < 0) {
        wg_check_err(c, n, path, "expected true or false, got %s", wg_check_got(n));
        return 0;
    }
    *out = b;
    return 1;
}

int wg_check_choice(wg_check *c, const node *n, const char *path, const char *const *names,
                    int *out)
{
    char list[WG_LIST_LEN];
    int i = n->kind == NK_SCALAR ? wg_name_index(names, n->text) : -1;
    if (i >= 0) {
        *out = i;
        return 1;
    }
    const char *sug = n->kind == NK_SCALAR ? wg_check_suggest(n->text, names, NULL) : NULL;
    wg_check_names(list, sizeof list, names, NULL);
    if (sug)
        wg_check_err(c, n, path, "expected one of %s, got %s (did you mean '%s'?)", list,
                     wg_check_got(n), sug);
    else
        wg_check_err(c, n, path, "expected one of %s, got %s", list, wg_check_got(n));
    return 0;
}

/* rel joined to the scenario's folder unless absolute. */
static char *resolve(const char *dir, const char *rel)
{
    if (!dir || !*dir || rel[0] == '/' || !strcmp(dir, ".")) return wg_strdup(rel);
    return wg_path_join(dir, rel);
}

/* A path to an existing regular file, resolved, into *dst. */
int wg_check_path(wg_check *c, const node *n, const char *path, char **dst)
{
    char *rel = NULL;
    struct stat st;
    if (!wg_check_str(c, n, path, &rel)) return 0;
    char *p = resolve(c->doc->dir, rel);
    free(rel);
    if (!p) {
        c->oom = 1;
        return 0;
    }
    if (stat(p, &st) != 0) {
        wg_check_err(c, n, path, "cannot read '%s': %s", p, strerror(errno));
        free(p);
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        wg_check_err(c, n, path, "'%s' is not a regular file", p);
        free(p);
        return 0;
    }
    free(*dst);
    *dst = p;
    return 1;
}

