/*
 * scenario.c — the door of the scenario module (waggle/scenario.h): loading
 * a file or a text, applying overrides "KEY=VALUE" to its tree, deriving
 * variants and sweep points, and reading one key back.
 *
 * A load is three steps: tree.c parses the YAML into a tree that remembers
 * where every node came from; the overrides (--set) edit that tree (dotted
 * keys, list elements by index or by `name`, missing maps created); then
 * convert.c turns the tree into a checked wg_scenario. A variant or a sweep
 * point is a copy of the base's tree, edited and converted again, so it is
 * checked exactly as a file is.
 *
 * Invariants: a scenario returned with WG_OK passed every check (see
 * scenario.h), and so did every variant and every sweep value tried at load
 * time; it owns its tree (s->doc), which no derivation changes. Nothing
 * here is global: threads may load scenarios at once. Every allocation goes
 * through wg_malloc & co.; a failure makes the whole load return WG_ENOMEM
 * with nothing leaked.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario_impl.h"

#define MAX_TRIALS 64             /* grid values tried one by one at load time */

/* ------------------------------------------------------------------------
 * Dotted keys, as --set takes them.
 */
enum { KEY_OK, KEY_LONG, KEY_PARTS, KEY_EMPTY, KEY_UNKNOWN };

/* Split key into parts (pointers into buf, WG_PATH_LEN bytes; parts holds
 * WG_MAX_PARTS + 1) and put "model" in front of a key of model: given
 * without it. KEY_OK, or what is wrong: too long, too many parts, an empty
 * part, or an unknown first part. */
static int split_key(const char *key, char *buf, const char **parts, size_t *np)
{
    *np = 0;
    if (strlen(key) >= WG_PATH_LEN) return KEY_LONG;
    strcpy(buf, key);
    for (char *p = buf;;) {
        if (*np == WG_MAX_PARTS) return KEY_PARTS;
        parts[(*np)++] = p;
        char *dot = strchr(p, '.');
        if (!dot) break;
        *dot = 0;
        p = dot + 1;
    }
    for (size_t i = 0; i < *np; i++)
        if (!*parts[i]) return KEY_EMPTY;
    if (!wg_check_in_list(parts[0], wg_check_top_keys)) {
        if (!wg_check_in_list(parts[0], wg_check_model_keys)) return KEY_UNKNOWN;
        memmove(parts + 1, parts, *np * sizeof *parts);
        parts[0] = "model";
        (*np)++;
    }
    return KEY_OK;
}

/* ------------------------------------------------------------------------
 * Overrides: KEY=VALUE applied to the tree.
 */
enum { SET_OK = 0, SET_BAD = -1, SET_OOM = -2 };

/* `share: 0.05` means both valences; make it {positive: 0.05, negative: 0.05}
 * so that one of them can be overridden. */
static node *expand_pair(const node *sc)
{
    node *m = wg_tree_new(NK_MAP, sc->src, sc->line, sc->col);
    if (!m) return NULL;
    for (int i = 0; wg_valence_names[i]; i++) {
        node *k = wg_tree_scalar(wg_valence_names[i], 1, sc->src, sc->line, sc->col);
        node *v = k ? wg_tree_copy(sc) : NULL;
        if (!v || wg_tree_push(m, k, v)) {
            wg_tree_free(k);
            wg_tree_free(v);
            wg_tree_free(m);
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
    long j = wg_tree_find(cur, part);
    if (j < 0) {
        node *k = wg_tree_scalar(part, 1, src, 0, 0);
        node *m = k ? wg_tree_new(NK_MAP, src, 0, 0) : NULL;
        if (!m || wg_tree_push(cur, k, m)) {
            wg_tree_free(k);
            wg_tree_free(m);
            return SET_OOM;
        }
        j = (long)cur->n - 1;
    }
    node *nx = cur->vals[j];
    if (nx->kind == NK_SCALAR) {
        node *m = NULL;
        if (wg_tree_is_null(nx))
            m = wg_tree_new(NK_MAP, nx->src, nx->line, nx->col);
        else if (wg_check_pair_key(part))
            m = expand_pair(nx);
        else
            return SET_BAD;
        if (!m) return SET_OOM;
        wg_tree_free(nx);
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
    char buf[WG_PATH_LEN], list[WG_LIST_LEN];
    const char *parts[WG_MAX_PARTS + 1];
    size_t np = 0;
    int rc = SET_BAD;
    node *cur = doc->root;

    if (!cur || cur->kind != NK_MAP) {
        /* the conversion reports the file's own problem */
        wg_tree_free(val);
        return SET_OK;
    }
    const char *sug;
    switch (split_key(key, buf, parts, &np)) {
    case KEY_OK: break;
    case KEY_LONG:
        set_error(d, prefix, label, "key", "longer than %d characters", WG_PATH_LEN - 1);
        goto out;
    case KEY_PARTS:
        set_error(d, prefix, label, key, "more than %d parts", WG_MAX_PARTS);
        goto out;
    case KEY_EMPTY:
        set_error(d, prefix, label, key, "expected a dotted key such as share.negative");
        goto out;
    default:
        if ((sug = wg_check_suggest(parts[0], wg_check_top_keys, wg_check_model_keys)))
            set_error(d, prefix, label, key, "unknown key, did you mean '%s'?", sug);
        else
            set_error(d, prefix, label, key, "unknown key (expected one of %s)",
                      wg_check_names(list, sizeof list, wg_check_top_keys,
                                     wg_check_model_keys));
        goto out;
    }
    for (size_t i = 0; i < np; i++) {
        const char *part = parts[i];
        int last = i + 1 == np;
        if (cur->kind == NK_MAP) {
            long j = wg_tree_find(cur, part);
            if (last) {
                if (j >= 0) {
                    wg_tree_free(cur->vals[j]);
                    cur->vals[j] = val;
                    return SET_OK;
                }
                node *k = wg_tree_scalar(part, 1, src, 0, 0);
                if (!k || wg_tree_push(cur, k, val)) {
                    wg_tree_free(k);
                    rc = SET_OOM;
                    goto out;
                }
                return SET_OK;
            }
            /* a list element of a list the scenario does not have (segments.0.activity
             * without segments:): say so, rather than make a map that is no list */
            const char *nx = parts[i + 1];
            const node *have = wg_tree_get(cur, part);
            if ((!have || wg_tree_is_null(have)) && nx[0] >= '0' && nx[0] <= '9' &&
                strspn(nx, "0123456789") == strlen(nx)) {
                set_error(d, prefix, label, key, "%s is not set: there is no element %s to "
                          "change (give the list in the scenario first)", part, nx);
                goto out;
            }
            rc = walk_map(cur, part, src, &cur);
            if (rc == SET_BAD)
                set_error(d, prefix, label, key, "'%s' holds a value, not a map of keys", part);
            if (rc != SET_OK) goto out;
        } else if (cur->kind == NK_SEQ) {
            long j = wg_tree_item(cur, part);
            if (j < 0) {
                set_error(d, prefix, label, key,
                          "no element '%s' in the list (%zu elements, numbered from 0, or "
                          "named by their name)", part, cur->n);
                goto out;
            }
            if (last) {
                wg_tree_free(cur->vals[j]);
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
    wg_tree_free(val);
    return rc == SET_OK ? SET_BAD : rc;
}

/* An override's VALUE as a tree (a YAML scalar, or a flow list or map). */
static wg_status parse_value(wg_doc *doc, size_t src, const char *text, node **out, wg_diag *d)
{
    wg_status st = wg_tree_parse(doc, src, 0, text, strlen(text), out, d);
    if (st == WG_OK && !*out && !(*out = wg_tree_scalar("", 1, src, 0, 0))) st = WG_ENOMEM;
    return st;
}

/* Apply one override "key = value" with label `label` to doc. */
static wg_status override(wg_doc *doc, const char *key, const char *value, const char *label,
                          const char *prefix, wg_diag *d)
{
    node *val = NULL;
    size_t src = wg_doc_add_src(doc, label);
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

static wg_status derive_variant(const wg_scenario *base, size_t i, wg_scenario **out, wg_diag *d);
static wg_status derive_with(const wg_scenario *base, size_t n, const char *const *keys,
                             const char *const *values, const char *label, wg_scenario **out,
                             wg_diag *d);

/* The worst of two statuses: out of memory, then bad input. */
static wg_status worse(wg_status a, wg_status b)
{
    return a == WG_ENOMEM || b == WG_ENOMEM ? WG_ENOMEM : a != WG_OK ? a : b;
}

/* Derive every variant and try sweep values, so that `waggle check` finds
 * what would break later. Only for a base without errors. Every variant
 * and every axis is tried (each reports its own problems) until memory
 * runs out; the worst status. */
static wg_status check_derived(const wg_scenario *s, wg_diag *d)
{
    wg_scenario *t = NULL;
    wg_status worst = WG_OK;
    char label[WG_PATH_LEN + 64], val[64];
    for (size_t i = 0; i < s->nvariants && worst != WG_ENOMEM; i++) {
        worst = worse(worst, derive_variant(s, i, &t, d));
        wg_scenario_free(t);
    }
    if (!s->sweep.kind) return worst;
    const node *sw = wg_tree_get(s->doc->root, "sweep");
    const node *axes = s->sweep.kind == 1 ? wg_tree_get(sw, "grid")
                                          : wg_tree_get(wg_tree_get(sw, "sobol"), "ranges");
    for (size_t i = 0; i < s->sweep.naxes && worst != WG_ENOMEM; i++) {
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
        wg_doc_locate(s->doc, axes->keys[i], label, sizeof label);
        label[strlen(label) - 2] = 0;   /* no ": " */
        for (size_t j = 0; j < nt; j++) {
            const char *v = val;
            snprintf(val, sizeof val, "%.17g", trial[j]);
            wg_status st = derive_with(s, 1, &key, &v, label, &t, d);
            wg_scenario_free(t);
            worst = worse(worst, st);
            if (st != WG_OK) break;
        }
    }
    return worst;
}

/* Convert doc (owned) into a scenario. deep: also derive every variant and
 * try the sweep's values. */
static wg_status build(wg_doc *doc, int deep, const char *prefix, wg_scenario **out, wg_diag *d)
{
    wg_status st = wg_convert(doc, prefix, out, d);
    if (st != WG_OK || !deep || (st = check_derived(*out, d)) == WG_OK) return st;
    if (st == WG_ENOMEM) wg_diag_error(d, WG_ENOMEM, "out of memory while reading the scenario");
    wg_scenario_free(*out);
    *out = NULL;
    return st;
}

/* Apply variant i's `set` and `events` to a copy of the base's tree. */
static wg_status derive_variant(const wg_scenario *base, size_t i, wg_scenario **out, wg_diag *d)
{
    wg_doc *doc;
    node *root, *evs = NULL, *set = NULL, *vr;
    char prefix[WG_PATH_LEN + 32], label[WG_PATH_LEN + 64];
    wg_status st = WG_OK;
    int replace = 0;
    *out = NULL;
    if (i >= base->nvariants) {
        wg_diag_error(d, WG_EINPUT, "%s: no variant %zu (it has %zu)", base->path, i,
                      base->nvariants);
        return WG_EINPUT;
    }
    snprintf(prefix, sizeof prefix, "variant '%s': ", base->variants[i].name);
    vr = wg_tree_get(base->doc->root, "variants")->vals[i];
    const node *vs = wg_tree_get(vr, "set"), *ve = wg_tree_get(vr, "events");
    const node *rp = wg_tree_get(vr, "replace_events");
    replace = rp && wg_check_bool_value(rp) == 1;
    /* the base without its variants: copying every variant for each one made
     * `waggle check` of N variants O(N^2). Only a `set` key under variants
     * (whose entry is dropped below anyway) needs them in the copy. */
    int whole = 0;
    for (size_t k = 0; vs && vs->kind == NK_MAP && k < vs->n; k++)
        whole |= strncmp(vs->keys[k]->text, "variants", 8) == 0 &&
                 (vs->keys[k]->text[8] == 0 || vs->keys[k]->text[8] == '.');
    if (!(doc = whole ? wg_doc_copy(base->doc) : wg_doc_copy_without(base->doc, "variants")))
        goto oom;
    root = doc->root;
    if (ve && !(evs = wg_tree_copy(ve))) goto oom;
    /* a copy: an override may replace the variant's own `set` map in doc
     * (`--set variants.v.set.variants.v.set.x=1`) while we walk it */
    if (vs && !(set = wg_tree_copy(vs))) goto oom;
    for (size_t k = 0; set && k < set->n; k++) {
        node *val = wg_tree_copy(set->vals[k]);
        size_t src;
        wg_doc_locate(doc, set->keys[k], label, sizeof label);
        label[strlen(label) - 2] = 0;
        if (!val || (src = wg_doc_add_src(doc, label)) == SIZE_MAX) {
            wg_tree_free(val);
            goto oom;
        }
        int rc = doc_set(doc, set->keys[k]->text, val, src, prefix, d);
        if (rc == SET_OOM) goto oom;
        if (rc == SET_BAD) st = WG_EINPUT;
    }
    wg_tree_free(set);
    set = NULL;
    const long vi = wg_tree_find(root, "variants");
    if (vi >= 0) wg_tree_remove(root, (size_t)vi);
    long ei = wg_tree_find(root, "events");
    if (evs && (replace || ei < 0)) {
        if (ei >= 0) {
            wg_tree_free(root->vals[ei]);
            root->vals[ei] = evs;
        } else {
            node *k = wg_tree_scalar("events", 1, evs->src, 0, 0);
            if (!k || wg_tree_push(root, k, evs)) {
                wg_tree_free(k);
                goto oom;
            }
        }
        evs = NULL;
    } else if (evs) {
        node *base_evs = root->vals[ei];
        while (evs->n) {
            if (wg_tree_push(base_evs, NULL, evs->vals[0])) goto oom;
            for (size_t k = 1; k < evs->n; k++) evs->vals[k - 1] = evs->vals[k];
            evs->n--;
        }
    } else if (replace && ei >= 0) {
        wg_tree_remove(root, (size_t)ei);
    }
    wg_tree_free(evs);
    if (st != WG_OK) {
        wg_doc_free(doc);
        return st;
    }
    return build(doc, 0, prefix, out, d);
oom:
    wg_tree_free(set);
    wg_tree_free(evs);
    wg_doc_free(doc);
    wg_diag_error(d, WG_ENOMEM, "out of memory while deriving a variant");
    return WG_ENOMEM;
}

/* The label of a swept value, "FILE:LINE:COL: KEY=VALUE" where the sweep names the
 * key in the file (a point's problem then says where its key is), else "KEY=VALUE".
 * Caller frees; NULL when out of memory. */
static char *swept_label(const wg_scenario *base, const char *key, const char *value)
{
    char where[WG_PATH_LEN + 64] = "";
    const node *sw = base->sweep.kind ? wg_tree_get(base->doc->root, "sweep") : NULL;
    const node *axes = !sw ? NULL : base->sweep.kind == 1 ? wg_tree_get(sw, "grid")
                                  : wg_tree_get(wg_tree_get(sw, "sobol"), "ranges");
    long i = wg_tree_find(axes, key);
    if (i >= 0 && axes->keys[i]->line) wg_doc_locate(base->doc, axes->keys[i], where, sizeof where);
    size_t len = strlen(where) + strlen(key) + strlen(value) + 2;
    char *lb = wg_malloc(len, 1);
    if (lb) snprintf(lb, len, "%s%s=%s", where, key, value);
    return lb;
}

/* base with keys[i] = values[i]; label: "KEY=VALUE" (after where the sweep names
 * the key) when NULL. */
static wg_status derive_with(const wg_scenario *base, size_t n, const char *const *keys,
                             const char *const *values, const char *label, wg_scenario **out,
                             wg_diag *d)
{
    wg_doc *doc = wg_doc_copy(base->doc);
    wg_status worst = WG_OK;
    *out = NULL;
    if (!doc) goto oom;
    for (size_t i = 0; i < n; i++) {
        char *lb = label ? NULL : swept_label(base, keys[i], values[i]);
        wg_status st;
        if (!label && !lb) goto oom;
        st = override(doc, keys[i], values[i], label ? label : lb, "", d);
        free(lb);
        if (st == WG_ENOMEM) goto oom;
        if (st != WG_OK) worst = st;
    }
    if (worst != WG_OK) {
        wg_doc_free(doc);
        return worst;
    }
    return build(doc, 0, "", out, d);
oom:
    wg_doc_free(doc);
    wg_diag_error(d, WG_ENOMEM, "out of memory while applying overrides");
    return WG_ENOMEM;
}

/* ------------------------------------------------------------------------
 * Public entry points.
 */
wg_status wg_scenario_parse(const char *text, size_t len, const char *name, const char *dir,
                            const char *const *sets, size_t nsets, wg_scenario **out, wg_diag *d)
{
    wg_doc *doc = wg_doc_new(name ? name : "-", dir);
    wg_status st, st_sets;
    *out = NULL;
    if (!doc) {
        wg_diag_error(d, WG_ENOMEM, "out of memory while reading the scenario");
        return WG_ENOMEM;
    }
    st = wg_tree_parse(doc, 0, 1, text, len, &doc->root, d);
    if (st != WG_OK) {
        wg_doc_free(doc);
        return st;
    }
    st_sets = apply_sets(doc, sets, nsets, d);
    if (st_sets == WG_ENOMEM) {
        wg_doc_free(doc);
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
    char *text = NULL, *dir = NULL;
    size_t len = 0;
    wg_status rc = WG_EINPUT;
    *out = NULL;
    if ((rc = wg_input_read(path, WG_IN_SCENARIO, &text, &len, d)) != WG_OK) return rc;
    rc = WG_EINPUT;
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
    free(text);
    free(dir);
    return rc;
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
 * Reading one key of the tree (for `waggle fit`: start values; and, for
 * write.c, where a value sits in the file so an edited copy keeps its
 * comments).
 */
wg_status wg_scenario_place_of(const wg_scenario *s, const char *key, wg_scenario_place *out)
{
    char buf[WG_PATH_LEN];
    const char *parts[WG_MAX_PARTS + 1];
    size_t np;
    memset(out, 0, sizeof *out);
    const node *cur = s->doc ? s->doc->root : NULL;
    if (!cur || cur->kind != NK_MAP || split_key(key, buf, parts, &np) != KEY_OK)
        return WG_EINPUT;
    for (size_t i = 0; i < np; i++) {
        const node *next = NULL;
        if (cur->kind == NK_MAP) {
            long j = wg_tree_find(cur, parts[i]);
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
            long j = wg_tree_item(cur, parts[i]);
            if (j < 0) return WG_EINPUT;
            next = cur->vals[j];
        } else if (i + 1 == np && cur->plain && wg_check_pair_key(parts[i - 1]) &&
                   wg_check_in_list(parts[i], wg_valence_names)) {
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

wg_status wg_scenario_lookup(const wg_scenario *s, const char *key, wg_scenario_value *out)
{
    wg_scenario_place p;
    wg_status st = wg_scenario_place_of(s, key, &p);
    out->found = p.found;
    out->text = p.text;
    out->shared = p.shared;
    return st;
}
