/*
 * convert.c — the scenario's tree (tree.h) → a validated wg_scenario,
 * section by section: model, segments, events, network, variants,
 * observed, sweep.
 *
 * Every check reports "[variant 'V': ]FILE:LINE:COL: KEY: what was
 * expected, got X" through check.c's readers and goes on, so that all
 * problems of a file are shown at once.
 *
 * Invariants: a scenario returned with WG_OK passed every check listed in
 * scenario.h and owns its tree (s->doc); defaults are DESIGN's (below) and
 * are filled before the tree is read, so a key that is absent keeps its
 * default. Names of the model's vocabularies (parameters, valences,
 * contact, exposure, picks, event kinds) are looked up in model.c's tables.
 * A failed allocation makes the whole conversion WG_ENOMEM with nothing
 * leaked.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

#define MAX_GRID 1000000u         /* most values of one grid axis */
#define MAX_SOBOL 4294967295u     /* most Sobol points */
#define MAX_INDEX_KEYS 20         /* keys of a design with indices: 2 × 20 = GSL's 40 dimensions */

/* Defaults of DESIGN's scenario section. */
#define DEFAULT_STEPS 100
#define DEFAULT_RUNS 100
#define DEFAULT_SEED 1
#define DEFAULT_BLOWUP 0.01

static const char *const segment_keys[] = {"name", "pick", "activity", "susceptibility", "share",
                                           "quit", "quality", "stifle", "forget", "media", NULL};
static const char *const pick_keys[] = {"by", "count", "top", "fraction", "segment", "ids",
                                        "attribute", "value", NULL};
/* observed.metric: the metrics of summary.csv (results' vocabulary) */
static const char *const metrics[] = {"unaware", "advocates", "critics", "supporters", "rejecters",
                                      "immune", "reach_positive", "reach_negative", "new_positive",
                                      "new_negative", "sentiment", "exposures_positive",
                                      "exposures_negative", "cumulative_exposures_positive",
                                      "cumulative_exposures_negative", "reach_negative_from_seed",
                                      "reach_negative_from_word_of_mouth", "reach_negative_from_media",
                                      "reach_negative_from_recommend", "reach_positive_from_seed",
                                      "reach_positive_from_word_of_mouth", "reach_positive_from_media",
                                      "reach_positive_from_recommend", NULL};

/* ---- model parameters (model: and segments) ---- */

/* The file's key of a parameter pair, its name up to the dot ("share" of
 * share.positive, as model.c spells it), into buf (WG_PATH_LEN bytes). */
static const char *pair_key(wg_param p, char *buf)
{
    const char *name = wg_param_name(p);
    size_t n = strcspn(name, ".");
    snprintf(buf, WG_PATH_LEN, "%.*s", (int)n, name);
    return buf;
}

static void conv_params(wg_check *c, const node *m, const char *path, wg_params *p, uint32_t *set,
                        int segment)
{
    /* in this order: the order of the messages */
    static const struct { wg_param pos, neg; } pairs[] = {
        {WG_P_SHARE_POS, WG_P_SHARE_NEG},
        {WG_P_QUIT_POS, WG_P_QUIT_NEG},
        {WG_P_MEDIA_POS, WG_P_MEDIA_NEG},
    };
    static const struct { wg_param p; int range; } singles[] = {
        {WG_P_QUALITY, R_PROB},
        {WG_P_STIFLE, R_PROB},
        {WG_P_FORGET, R_PROB},
        {WG_P_ACTIVITY, R_NONNEG},
        {WG_P_SUSCEPTIBILITY, R_NONNEG},
    };
    char key[WG_PATH_LEN], kp[WG_PATH_LEN], vp[WG_PATH_LEN];
    double x;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        const node *v = wg_tree_get(m, pair_key(pairs[i].pos, key));
        if (!v) continue;
        wg_tree_join(kp, path, key);
        if (v->kind == NK_SCALAR) {
            /* `share: 0.05` sets both valences (short for teaching) */
            if (wg_check_real(c, v, kp, R_PROB, &x)) {
                p->v[pairs[i].pos] = p->v[pairs[i].neg] = x;
                *set |= 1u << pairs[i].pos | 1u << pairs[i].neg;
            }
            continue;
        }
        if (!wg_check_map(c, v, kp)) continue;
        wg_check_keys(c, v, kp, wg_valence_names, NULL);
        for (int k = 0; k < WG_NVALENCES; k++) {
            const node *w = wg_tree_get(v, wg_valence_names[k]);
            wg_param q = k ? pairs[i].neg : pairs[i].pos;
            if (w && wg_check_real(c, w, wg_tree_join(vp, kp, wg_valence_names[k]), R_PROB, &x)) {
                p->v[q] = x;
                *set |= 1u << q;
            }
        }
    }
    for (size_t i = 0; i < sizeof singles / sizeof *singles; i++) {
        if (!segment && singles[i].range != R_PROB) continue;
        const char *name = wg_param_name(singles[i].p);
        const node *v = wg_tree_get(m, name);
        if (v && wg_check_real(c, v, wg_tree_join(kp, path, name), singles[i].range, &x)) {
            p->v[singles[i].p] = x;
            *set |= 1u << singles[i].p;
        }
    }
}

/* ---- talking times (model.duration) ---- */

/* One valence's law: a map with one key, the law's name, e.g. {fixed: 3} or
 * {gamma: {mean: 6, sd: 4}}. quit_set: quit.<valence> was given too. */
static void conv_duration_law(wg_check *c, const node *n, const char *path, int v, int quit_set)
{
    static const char *const mean_sd[] = {"mean", "sd", NULL};
    static const char *const beta_ab[] = {"a", "b", NULL};
    static const char *const geo_keys[] = {"quit", NULL};
    wg_duration *d = &c->s->model.duration[v];
    char kp[WG_PATH_LEN], lp[WG_PATH_LEN];
    int k;
    if (!wg_check_map(c, n, path)) return;
    if (n->n != 1) {
        wg_check_err(c, n, path, "expected one law (%s), got %zu keys",
                     wg_check_names(kp, sizeof kp, wg_duration_law_names, NULL), n->n);
        return;
    }
    if (!wg_check_choice(c, n->keys[0], path, wg_duration_law_names, &k)) return;
    if (quit_set) {
        wg_check_err(c, n->keys[0], path, "give either quit.%s or duration.%s, not both",
                     wg_valence_names[v], wg_valence_names[v]);
        return;
    }
    const node *law = n->vals[0];
    wg_tree_join(lp, path, wg_duration_law_names[k]);
    wg_duration x = {.law = (wg_duration_law)k, .a = 0, .b = 0};
    uint64_t steps;
    switch (x.law) {
    case WG_DUR_FIXED:
        if (!wg_check_uint(c, law, lp, 1, UINT32_MAX, &steps)) return;
        x.a = (double)steps;
        break;
    case WG_DUR_GAMMA:
    case WG_DUR_LOGNORMAL:
    case WG_DUR_WEIBULL:
    case WG_DUR_BETA_QUIT: {
        const char *const *keys = x.law == WG_DUR_BETA_QUIT ? beta_ab : mean_sd;
        if (!wg_check_map(c, law, lp)) return;
        wg_check_keys(c, law, lp, keys, NULL);
        const node *na = wg_tree_get(law, keys[0]), *nb = wg_tree_get(law, keys[1]);
        if (!na) wg_check_missing(c, law, lp, keys[0]);
        if (!nb) wg_check_missing(c, law, lp, keys[1]);
        if (!na || !nb ||
            !wg_check_real(c, na, wg_tree_join(kp, lp, keys[0]), R_POS, &x.a) ||
            !wg_check_real(c, nb, wg_tree_join(kp, lp, keys[1]), R_POS, &x.b))
            return;
        double g[2];
        if (x.law == WG_DUR_WEIBULL && wg_duration_gsl_params(&x, g) != 0) {
            wg_check_err(c, law, lp, "no Weibull law of shape in [0.01, 1000] has mean %g and "
                         "sd %g (sd / mean at least 0.0013)", x.a, x.b);
            return;
        }
        break;
    }
    case WG_DUR_GEOMETRIC:
    default: {
        const node *nq;
        double q;
        if (!wg_check_map(c, law, lp)) return;
        wg_check_keys(c, law, lp, geo_keys, NULL);
        if (!(nq = wg_tree_get(law, "quit"))) {
            wg_check_missing(c, law, lp, "quit");
            return;
        }
        if (!wg_check_real(c, nq, wg_tree_join(kp, lp, "quit"), R_PROB, &q)) return;
        c->s->model.p.v[WG_P_QUIT_POS + v] = q;
        break;
    }
    }
    *d = x;
}

/* model.duration: {positive: LAW, negative: LAW}. set: the parameters that
 * model: gave (bit WG_P_QUIT_POS + v when quit.<valence> was given). */
static void conv_duration(wg_check *c, const node *m, uint32_t set)
{
    char vp[WG_PATH_LEN];
    if (!wg_check_map(c, m, "duration")) return;
    wg_check_keys(c, m, "duration", wg_valence_names, NULL);
    for (int v = 0; v < WG_NVALENCES; v++) {
        const node *n = wg_tree_get(m, wg_valence_names[v]);
        if (n)
            conv_duration_law(c, n, wg_tree_join(vp, "duration", wg_valence_names[v]), v,
                              !!(set >> (WG_P_QUIT_POS + v) & 1u));
    }
    if (c->s->model.contact == WG_CONTACT_ONCE &&
        (c->s->model.duration[WG_POS].law != WG_DUR_GEOMETRIC ||
         c->s->model.duration[WG_NEG].law != WG_DUR_GEOMETRIC))
        wg_check_err(c, m, "duration", "contact once talks one step only: a duration needs "
                     "contact all or one");
}

/* ---- thresholds (model.threshold, exposure threshold) ---- */

/* One law of thresholds at n: a number in [0, 1], {uniform: [lo, hi]} or
 * {normal: {mean: M, sd: S}} (M in [0, 1], S > 0; truncated to [0, 1]). */
static int conv_thr_law(wg_check *c, const node *n, const char *path, wg_thr_law *out)
{
    char kp[WG_PATH_LEN], lp[WG_PATH_LEN], ip[WG_PATH_LEN];
    wg_thr_law x = {WG_THR_FIXED, 0, 0};
    int k;
    if (n->kind == NK_SCALAR) {
        if (!wg_check_real(c, n, path, R_PROB, &x.a)) return 0;
        *out = x;
        return 1;
    }
    if (n->kind != NK_MAP || n->n != 1) {
        wg_check_err(c, n, path, "expected a threshold in [0, 1] or one law (%s), got %s",
                     wg_check_names(kp, sizeof kp, wg_thr_kind_names + 1, NULL), wg_check_got(n));
        return 0;
    }
    if (!wg_check_choice(c, n->keys[0], path, wg_thr_kind_names + 1, &k)) return 0;
    x.kind = (wg_thr_kind)(k + 1);
    const node *law = n->vals[0];
    wg_tree_join(lp, path, wg_thr_kind_names[x.kind]);
    if (x.kind == WG_THR_UNIFORM) {
        if (!wg_check_seq(c, law, lp)) return 0;
        if (law->n != 2) {
            wg_check_err(c, law, lp, "expected [lo, hi], two thresholds in [0, 1], got %zu items",
                         law->n);
            return 0;
        }
        if (!wg_check_real(c, law->vals[0], wg_tree_join_index(ip, lp, 0), R_PROB, &x.a) ||
            !wg_check_real(c, law->vals[1], wg_tree_join_index(ip, lp, 1), R_PROB, &x.b))
            return 0;
        if (x.a > x.b) {
            wg_check_err(c, law, lp, "expected lo <= hi, got [%g, %g]", x.a, x.b);
            return 0;
        }
    } else {
        static const char *const mean_sd[] = {"mean", "sd", NULL};
        if (!wg_check_map(c, law, lp)) return 0;
        wg_check_keys(c, law, lp, mean_sd, NULL);
        const node *nm = wg_tree_get(law, "mean"), *ns = wg_tree_get(law, "sd");
        if (!nm) wg_check_missing(c, law, lp, "mean");
        if (!ns) wg_check_missing(c, law, lp, "sd");
        if (!nm || !ns || !wg_check_real(c, nm, wg_tree_join(kp, lp, "mean"), R_PROB, &x.a) ||
            !wg_check_real(c, ns, wg_tree_join(kp, lp, "sd"), R_POS, &x.b))
            return 0;
    }
    *out = x;
    return 1;
}

/* model.threshold: one law for both valences, or {positive: LAW, negative:
 * LAW} (both needed). */
static void conv_threshold(wg_check *c, const node *n)
{
    char vp[WG_PATH_LEN];
    wg_thr_law *t = c->s->model.threshold;
    if (n->kind == NK_MAP && (wg_tree_get(n, "positive") || wg_tree_get(n, "negative"))) {
        wg_check_keys(c, n, "threshold", wg_valence_names, NULL);
        for (int v = 0; v < WG_NVALENCES; v++) {
            const node *x = wg_tree_get(n, wg_valence_names[v]);
            if (!x) wg_check_missing(c, n, "threshold", wg_valence_names[v]);
            else conv_thr_law(c, x, wg_tree_join(vp, "threshold", wg_valence_names[v]), &t[v]);
        }
        return;
    }
    if (conv_thr_law(c, n, "threshold", &t[WG_POS])) t[WG_NEG] = t[WG_POS];
}

/* 1 when parameter p is quit.<v> of a valence whose talking time is not
 * geometric (the model's duration sets it; quit would be ignored). */
static int quit_ignored(const wg_check *c, int p)
{
    return (p == WG_P_QUIT_POS || p == WG_P_QUIT_NEG) &&
           c->s->model.duration[p - WG_P_QUIT_POS].law != WG_DUR_GEOMETRIC;
}

/* ---- attention (model.recommend, model.rekindle) ---- */

/* model.recommend: {positive: r, negative: r, memory: {decay: d} | {power: p, scale: c}}:
 * strengths >= 0, at least one of them, and a memory. */
static void conv_recommend(wg_check *c, const node *m)
{
    static const char *const keys[] = {"positive", "negative", "memory", NULL};
    static const char *const memory_keys[] = {"decay", "power", "scale", NULL};
    wg_recommend *rc = &c->s->model.recommend;
    char kp[WG_PATH_LEN];
    const node *v, *mem;
    int given = 0;
    if (!wg_check_map(c, m, "recommend")) return;
    wg_check_keys(c, m, "recommend", keys, NULL);
    for (int k = 0; k < WG_NVALENCES; k++)
        if ((v = wg_tree_get(m, wg_valence_names[k]))) {
            given = 1;
            wg_check_real(c, v, wg_tree_join(kp, "recommend", wg_valence_names[k]), R_NONNEG,
                          &rc->strength[k]);
        }
    if (!given)
        wg_check_err(c, m, "recommend", "give the strength of positive or negative "
                     "recommendation (e.g. negative: 0.5)");
    else if (c->s->model.exposure == WG_EXPOSURE_THRESHOLD)
        wg_check_err(c, m, "recommend", "a recommendation hit is drawn beside media and "
                     "contacts: it needs exposure independent or fractional, got threshold");
    if (!(mem = wg_tree_get(m, "memory"))) {
        wg_check_err(c, m, "recommend", "missing key 'memory' ({decay: d} for an exponential "
                     "memory, {power: p, scale: c} for a power law)");
        return;
    }
    if (!wg_check_map(c, mem, "recommend.memory")) return;
    wg_check_keys(c, mem, "recommend.memory", memory_keys, NULL);
    const node *dn = wg_tree_get(mem, "decay"), *pn = wg_tree_get(mem, "power"),
               *sn = wg_tree_get(mem, "scale");
    if (dn && (pn || sn)) {
        wg_check_err(c, pn ? pn : sn, wg_tree_join(kp, "recommend.memory", pn ? "power" : "scale"),
                     "give either decay (exponential) or power and scale (a power law), not both");
        return;
    }
    if (dn) {
        rc->memory = WG_MEMORY_EXPONENTIAL;
        wg_check_real(c, dn, "recommend.memory.decay", R_PROB, &rc->decay);
        return;
    }
    if (!pn || !sn) {
        wg_check_missing(c, mem, "recommend.memory", pn ? "scale" : sn ? "power" : "decay");
        return;
    }
    rc->memory = WG_MEMORY_POWER;
    wg_check_real(c, pn, "recommend.memory.power", R_POS, &rc->power);
    wg_check_real(c, sn, "recommend.memory.scale", R_POS, &rc->scale);
}

/* model.rekindle: {positive: p, negative: p} (or one p for both), probabilities. */
static void conv_rekindle(wg_check *c, const node *m)
{
    char kp[WG_PATH_LEN];
    double x;
    if (m->kind == NK_SCALAR) {
        if (wg_check_real(c, m, "rekindle", R_PROB, &x))
            c->s->model.rekindle[WG_POS] = c->s->model.rekindle[WG_NEG] = x;
    } else if (wg_check_map(c, m, "rekindle")) {
        wg_check_keys(c, m, "rekindle", wg_valence_names, NULL);
        for (int k = 0; k < WG_NVALENCES; k++) {
            const node *v = wg_tree_get(m, wg_valence_names[k]);
            if (v)
                wg_check_real(c, v, wg_tree_join(kp, "rekindle", wg_valence_names[k]), R_PROB,
                              &c->s->model.rekindle[k]);
        }
    }
    if (c->s->model.exposure != WG_EXPOSURE_INDEPENDENT &&
        (c->s->model.rekindle[WG_POS] > 0 || c->s->model.rekindle[WG_NEG] > 0))
        wg_check_err(c, m, "rekindle", "rekindling is triggered by contacts: it needs exposure "
                     "independent, got %s", wg_exposure_name(c->s->model.exposure));
}

static void conv_model(wg_check *c, const node *m)
{
    wg_model *md = &c->s->model;
    uint32_t set = 0;
    const node *v;
    int k;
    if (!wg_check_map(c, m, "model")) return;
    /* parameter names without "model." in messages: they are the names --set takes */
    wg_check_keys(c, m, "", wg_check_model_keys, NULL);
    if ((v = wg_tree_get(m, "contact")) && wg_check_choice(c, v, "contact", wg_contact_names, &k))
        md->contact = (wg_contact)k;
    if ((v = wg_tree_get(m, "exposure")) &&
        wg_check_choice(c, v, "exposure", wg_exposure_names, &k))
        md->exposure = (wg_exposure)k;
    conv_params(c, m, "", &md->p, &set, 0);
    if ((v = wg_tree_get(m, "duration"))) conv_duration(c, v, set);
    /* checked whatever the exposure (a variant may change it), read with threshold only */
    if ((v = wg_tree_get(m, "threshold")))
        conv_threshold(c, v);
    else if (md->exposure == WG_EXPOSURE_THRESHOLD)
        wg_check_err(c, wg_tree_get(m, "exposure"), "exposure",
                     "exposure threshold needs model.threshold (a share in [0, 1] per valence, "
                     "e.g. threshold: {positive: 0.18, negative: 0.25})");
    if ((v = wg_tree_get(m, "recommend"))) conv_recommend(c, v);
    if ((v = wg_tree_get(m, "rekindle"))) conv_rekindle(c, v);
}

/* ---- picks ---- */

/* Index of the segment named by n into *out. */
static int find_segment(wg_check *c, const node *n, const char *path, int *out)
{
    const wg_scenario *s = c->s;
    const char *best = NULL;
    size_t bestd = WG_SUGGEST_DIST + 1;
    char list[WG_LIST_LEN];
    size_t len = 0;
    if (n->kind != NK_SCALAR || wg_tree_is_null(n)) {
        wg_check_err(c, n, path, "expected a segment name, got %s", wg_check_got(n));
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
        size_t dd = wg_check_distance(n->text, nm);
        if (dd < bestd && dd < strlen(nm)) {
            bestd = dd;
            best = nm;
        }
        int w = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", nm);
        if (w > 0 && (size_t)w < sizeof list - len) len += (size_t)w;
    }
    if (!s->nsegments)
        wg_check_err(c, n, path, "no segment named '%s' (the scenario has no segments)", n->text);
    else if (best)
        wg_check_err(c, n, path, "no segment named '%s', did you mean '%s'? (segments: %s)",
                     n->text, best, list);
    else
        wg_check_err(c, n, path, "no segment named '%s' (segments: %s)", n->text, list);
    return 0;
}

/* An id that reads as a number (it starts with a digit, a sign or a point
 * and strtod reads all of it; quoted, only digits) is an integer id; any
 * other is a text id. */
static int numeric_id(const node *n)
{
    const char *t = n->text;
    char *end;
    if (n->kind != NK_SCALAR || !t || !*t) return 1;   /* wg_check_uint says what is wrong */
    if (!n->plain) {   /* quoted: text unless it is all digits, as a file's integer ids are */
        if (*t == '+') t++;
        return *t && strspn(t, "0123456789") == strlen(t);
    }
    if (!((*t >= '0' && *t <= '9') || *t == '+' || *t == '-' || *t == '.')) return 0;
    strtod(t, &end);
    return *end == '\0';
}

static void conv_ids(wg_check *c, const node *v, const char *path, wg_pick *p)
{
    char ip[WG_PATH_LEN];
    if (!(p->ids = wg_check_list(c, v, path, sizeof *p->ids, 0))) return;
    p->nids = v->n;
    for (size_t i = 0; i < v->n; i++) {
        const node *x = v->vals[i];
        wg_tree_join_index(ip, path, i);
        if (numeric_id(x)) {
            wg_check_uint(c, x, ip, 0, WG_MAX_ID, &p->ids[i]);
            continue;
        }
        if (strlen(x->text) > WG_ID_TEXT_MAX) {
            wg_check_err(c, x, ip, "expected an id (an integer, or text of at most %d bytes), "
                         "got %zu bytes", WG_ID_TEXT_MAX, strlen(x->text));
            continue;
        }
        if (!p->id_text && !(p->id_text = wg_calloc(v->n, sizeof *p->id_text))) {
            c->oom = 1;
            return;
        }
        p->ids[i] = UINT64_MAX;
        if (!(p->id_text[i] = wg_strdup(x->text))) {
            c->oom = 1;
            return;
        }
    }
    p->count = p->nids;
}

/* Record where a pick was written ("[variant 'V': ]FILE:LINE:COL: KEY"), for
 * the checks that only the network allows (events.c): the node at fault
 * then is `at`, the count, ids or attribute when given, else the pick. */
static void pick_where(wg_check *c, const node *at, const char *path, wg_pick *p)
{
    char where[320];
    wg_doc_locate(c->doc, at, where, sizeof where);
    size_t len = strlen(c->prefix) + strlen(where) + strlen(path) + 1;
    if (!(p->where = wg_malloc(len, 1))) {
        c->oom = 1;
        return;
    }
    snprintf(p->where, len, "%s%s%s", c->prefix, where, path);
}

/* The pick keys of m (the caller checks for unknown keys). respond: only
 * by degree or random. self: the segment being defined, or -1. */
static void conv_pick(wg_check *c, const node *m, const char *path, wg_pick *p, int respond,
                      int self)
{
    const node *by = wg_tree_get(m, "by"), *cnt = wg_tree_get(m, "count");
    const node *top = wg_tree_get(m, "top"), *fr = wg_tree_get(m, "fraction");
    const node *seg = wg_tree_get(m, "segment"), *ids = wg_tree_get(m, "ids");
    const node *attr = wg_tree_get(m, "attribute"), *val = wg_tree_get(m, "value");
    char kp[WG_PATH_LEN];
    int k;
    p->by = WG_PICK_RANDOM;
    p->segment = -1;
    if (by && wg_check_choice(c, by, wg_tree_join(kp, path, "by"), wg_pick_by_names, &k)) {
        p->by = (wg_pick_by)k;
        if (respond && p->by != WG_PICK_RANDOM && p->by != WG_PICK_DEGREE)
            wg_check_err(c, by, kp, "expected degree or random, got %s", wg_check_got(by));
    }
    int ranked = p->by == WG_PICK_DEGREE || p->by == WG_PICK_PAGERANK || p->by == WG_PICK_KCORE;
    if (p->by == WG_PICK_ID || p->by == WG_PICK_ATTRIBUTE) {
        const node *size = cnt ? cnt : top ? top : fr;
        if (size)
            wg_check_err(c, size, path,
                         "no count, top or fraction with by: %s (it picks every match)",
                         wg_pick_by_names[p->by]);
    } else if (!cnt && !top && !fr) {
        wg_check_err(c, m, path, "missing key 'count' (or '%s')", ranked ? "top" : "fraction");
    } else if (!!cnt + !!top + !!fr > 1) {
        wg_check_err(c, m, path, "give only one of count, top and fraction");
    } else if (cnt) {
        wg_check_uint(c, cnt, wg_tree_join(kp, path, "count"), 1, WG_MAX_AGENTS, &p->count);
    } else if (top && !ranked) {
        wg_check_err(c, top, wg_tree_join(kp, path, "top"),
                     "top is for ranked picks (by: degree, pagerank or kcore); use fraction");
    } else {
        wg_check_real(c, top ? top : fr, wg_tree_join(kp, path, top ? "top" : "fraction"), R_FRAC,
                      &p->fraction);
    }
    if (p->by == WG_PICK_SEGMENT) {
        if (!seg)
            wg_check_missing(c, m, path, "segment");
        else if (find_segment(c, seg, wg_tree_join(kp, path, "segment"), &p->segment) &&
                 p->segment == self)
            wg_check_err(c, seg, kp, "a segment cannot pick from itself");
    } else if (seg) {
        wg_check_err(c, seg, wg_tree_join(kp, path, "segment"), "only with by: segment");
    }
    if (p->by == WG_PICK_ID) {
        if (!ids)
            wg_check_missing(c, m, path, "ids");
        else
            conv_ids(c, ids, wg_tree_join(kp, path, "ids"), p);
    } else if (ids) {
        wg_check_err(c, ids, wg_tree_join(kp, path, "ids"), "only with by: id");
    }
    if (p->by == WG_PICK_ATTRIBUTE) {
        if (!attr) wg_check_missing(c, m, path, "attribute");
        if (!val) wg_check_missing(c, m, path, "value");
        if (attr) wg_check_str(c, attr, wg_tree_join(kp, path, "attribute"), &p->attribute);
        if (val) wg_check_str(c, val, wg_tree_join(kp, path, "value"), &p->value);
    } else {
        if (attr)
            wg_check_err(c, attr, wg_tree_join(kp, path, "attribute"), "only with by: attribute");
        if (val) wg_check_err(c, val, wg_tree_join(kp, path, "value"), "only with by: attribute");
    }
    if (cnt)
        pick_where(c, cnt, wg_tree_join(kp, path, "count"), p);
    else if (p->by == WG_PICK_ID && ids)
        pick_where(c, ids, wg_tree_join(kp, path, "ids"), p);
    else if (p->by == WG_PICK_ATTRIBUTE && attr)
        pick_where(c, attr, wg_tree_join(kp, path, "attribute"), p);
    else
        pick_where(c, m, path, p);
}

/* ---- segments ---- */

/* The required, unique `name` of list item m into *dst; seen holds the names
 * of the earlier items (segments or variants), so that N items take O(N). */
static void conv_unique_name(wg_check *c, const node *m, const char *path, const char *what,
                             char **dst, wg_nameset *seen)
{
    char kp[WG_PATH_LEN];
    const node *v = wg_tree_get(m, "name");
    if (!v) {
        wg_check_missing(c, m, path, "name");
        return;
    }
    if (!wg_check_str(c, v, wg_tree_join(kp, path, "name"), dst)) return;
    const int rc = wg_nameset_add(seen, *dst);
    if (rc < 0) c->oom = 1;
    else if (rc) wg_check_err(c, v, kp, "%s '%s' is already defined", what, *dst);
}

static void conv_segments(wg_check *c, const node *seq)
{
    wg_scenario *s = c->s;
    char p[WG_PATH_LEN], kp[WG_PATH_LEN];
    if (!(s->segments = wg_check_list(c, seq, "segments", sizeof *s->segments, 1))) return;
    s->nsegments = seq->n;
    /* names first: a segment's pick may name another segment */
    wg_nameset seen = {0};
    for (size_t i = 0; i < seq->n; i++) {
        s->segments[i].pick.segment = -1;
        wg_params_default(&s->segments[i].p);
        if (seq->vals[i]->kind == NK_MAP)
            conv_unique_name(c, seq->vals[i], wg_tree_join_index(p, "segments", i), "segment",
                             &s->segments[i].name, &seen);
    }
    wg_nameset_free(&seen);
    for (size_t i = 0; i < seq->n; i++) {
        const node *m = seq->vals[i], *pk;
        wg_segment *g = &s->segments[i];
        wg_tree_join_index(p, "segments", i);
        if (!wg_check_map(c, m, p)) continue;
        wg_check_keys(c, m, p, segment_keys, NULL);
        if (!(pk = wg_tree_get(m, "pick")))
            wg_check_missing(c, m, p, "pick");
        else if (wg_check_map(c, pk, wg_tree_join(kp, p, "pick"))) {
            wg_check_keys(c, pk, kp, pick_keys, NULL);
            conv_pick(c, pk, kp, &g->pick, 0, (int)i);
        }
        conv_params(c, m, p, &g->p, &g->set, 1);
        for (int q = WG_P_QUIT_POS; q <= WG_P_QUIT_NEG; q++)
            if ((g->set >> q & 1u) && quit_ignored(c, q))
                wg_check_err(c, wg_tree_get(m, "quit"), wg_tree_join(kp, p, "quit"),
                             "model.duration.%s sets the talking time of %s talkers; a "
                             "segment's quit.%s would be ignored", wg_valence_names[q - WG_P_QUIT_POS],
                             wg_valence_names[q - WG_P_QUIT_POS], wg_valence_names[q - WG_P_QUIT_POS]);
    }
}

/* ---- events ---- */

static void conv_set_event(wg_check *c, const node *m, const char *path, wg_event *e)
{
    static const char *const set_keys[] = {"key", "value", "segment", NULL};
    static const char *const scale_keys[] = {"key", "factor", "segment", NULL};
    const char *const *known = e->kind == WG_EV_SET ? set_keys : scale_keys;
    const char *vkey = e->kind == WG_EV_SET ? "value" : "factor";
    const node *kn = wg_tree_get(m, "key"), *vn = wg_tree_get(m, vkey);
    const node *sn = wg_tree_get(m, "segment");
    char kp[WG_PATH_LEN], list[WG_LIST_LEN];
    int param = -1;
    if (!wg_check_map(c, m, path)) return;
    if (kn) {
        wg_check_keys(c, m, path, known, NULL);
        if (kn->kind == NK_SCALAR && (param = wg_param_from_name(kn->text)) < 0) {
            const char *sug = wg_check_suggest(kn->text, wg_param_names, NULL);
            wg_check_err(c, kn, wg_tree_join(kp, path, "key"),
                         "expected a parameter (%s), got %s%s%s%s",
                         wg_check_names(list, sizeof list, wg_param_names, NULL), wg_check_got(kn),
                         sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
        } else if (kn->kind != NK_SCALAR) {
            wg_check_err(c, kn, wg_tree_join(kp, path, "key"), "expected a parameter name, got %s",
                         wg_check_got(kn));
        }
        if (!vn) wg_check_missing(c, m, path, vkey);
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
                wg_check_err(c, m->keys[i], wg_tree_join(kp, path, k), "one parameter per event");
            } else {
                const char *sug = wg_check_suggest(k, wg_param_names, known);
                if (sug)
                    wg_check_err(c, m->keys[i], wg_tree_join(kp, path, k),
                                 "unknown key, did you mean '%s'?", sug);
                else
                    wg_check_err(c, m->keys[i], wg_tree_join(kp, path, k),
                                 "unknown key (expected key, %s, segment or a parameter: %s)",
                                 vkey, wg_check_names(list, sizeof list, wg_param_names, NULL));
            }
        }
        if (param < 0 && !vn) wg_check_missing(c, m, path, "key");
    }
    if (param >= 0) e->param = (wg_param)param;
    if (param >= 0 && quit_ignored(c, param))
        wg_check_err(c, kn ? kn : m, path, "model.duration.%s sets the talking time; %s would "
                     "be ignored", wg_valence_names[param - WG_P_QUIT_POS], wg_param_name(param));
    if (vn) {
        int range = e->kind == WG_EV_SCALE || param == WG_P_ACTIVITY ||
                    param == WG_P_SUSCEPTIBILITY ? R_NONNEG : R_PROB;
        wg_check_real(c, vn, wg_tree_join(kp, path, vkey), range, &e->value);
    }
    if (sn) find_segment(c, sn, wg_tree_join(kp, path, "segment"), &e->segment);
}

/* `when: {CONDITION: VALUE}`: one condition of wg_when_names, a number >= 0
 * (a count, or a share of the agents when below 1). */
static void conv_when(wg_check *c, const node *m, const char *path, wg_when *w)
{
    char kp[WG_PATH_LEN], list[WG_LIST_LEN];
    if (!wg_check_map(c, m, path)) return;
    if (m->n != 1) {
        wg_check_err(c, m, path, "expected one condition (one of %s), got %zu",
                     wg_check_names(list, sizeof list, wg_when_names, NULL), m->n);
        return;
    }
    const char *key = m->keys[0]->text;
    int k = wg_name_index(wg_when_names, key);
    if (k < 0) {
        const char *sug = wg_check_suggest(key, wg_when_names, NULL);
        wg_check_err(c, m->keys[0], wg_tree_join(kp, path, key),
                     "unknown condition%s%s%s (expected one of %s)",
                     sug ? ", did you mean '" : "", sug ? sug : "", sug ? "'?" : "",
                     wg_check_names(list, sizeof list, wg_when_names, NULL));
        return;
    }
    if (!wg_check_real(c, m->vals[0], wg_tree_join(kp, path, key), R_NONNEG, &w->value)) return;
    w->cond = (wg_when_cond)k;
    w->on = 1;
}

/* `respond.policy: {delay, per_step, by, until}` of respond map kn. A
 * standing policy picks its own critics: no by/count/top/fraction beside it. */
static void conv_policy(wg_check *c, const node *kn, const node *pn, const char *path,
                        wg_event *e)
{
    static const char *const keys[] = {"delay", "per_step", "by", "until", NULL};
    static const char *const pick_only[] = {"by", "count", "top", "fraction", NULL};
    char p[WG_PATH_LEN], kp[WG_PATH_LEN];
    const node *v;
    uint64_t u;
    int k;
    for (int i = 0; pick_only[i]; i++)
        if ((v = wg_tree_get(kn, pick_only[i])))
            wg_check_err(c, v, wg_tree_join(kp, path, pick_only[i]),
                         "a standing policy picks its own critics: %s",
                         !strcmp(pick_only[i], "by")
                             ? "give by inside policy (first, degree, reach or random)"
                             : "give per_step inside policy instead");
    wg_tree_join(p, path, "policy");
    if (!wg_check_map(c, pn, p)) return;
    wg_check_keys(c, pn, p, keys, NULL);
    wg_policy *pol = &e->policy;
    pol->on = 1;
    pol->by = WG_RESPOND_FIRST;
    pol->until = c->steps_ok && c->s->steps ? c->s->steps - 1 : UINT32_MAX;
    if ((v = wg_tree_get(pn, "delay")) &&
        wg_check_uint(c, v, wg_tree_join(kp, p, "delay"), 0, UINT32_MAX, &u))
        pol->delay = (uint32_t)u;
    if (!(v = wg_tree_get(pn, "per_step")))
        wg_check_missing(c, pn, p, "per_step");
    else if (wg_check_uint(c, v, wg_tree_join(kp, p, "per_step"), 1, WG_MAX_AGENTS, &u))
        pol->per_step = (uint32_t)u;
    if ((v = wg_tree_get(pn, "by")) &&
        wg_check_choice(c, v, wg_tree_join(kp, p, "by"), wg_respond_by_names, &k))
        pol->by = (wg_respond_by)k;
    if ((v = wg_tree_get(pn, "until")) &&
        wg_check_uint(c, v, wg_tree_join(kp, p, "until"), 0, UINT32_MAX, &u)) {
        if (c->steps_ok && u >= c->s->steps)
            wg_check_err(c, v, kp, "step %" PRIu64 " is beyond the last step %u", u,
                         c->s->steps - 1);
        else
            pol->until = (uint32_t)u;
        if (!e->when.on && u < e->step)
            wg_check_err(c, v, kp, "the policy ends (step %" PRIu64 ") before it starts (step %u)",
                         u, e->step);
    }
}

/* A media pulse's decay (DESIGN "Attention"): exponential, `decay` in
 * [0, 1], or a power law, `power` > 0 with its `scale` > 0 in steps. */
static void conv_media_decay(wg_check *c, const node *kn, const char *p, wg_event *e)
{
    char kp[WG_PATH_LEN];
    const node *dn = wg_tree_get(kn, "decay"), *pn = wg_tree_get(kn, "power"),
               *sn = wg_tree_get(kn, "scale");
    if (dn && pn) {
        wg_check_err(c, pn, wg_tree_join(kp, p, "power"),
                     "give either decay (exponential) or power and scale (a power law), not both");
        return;
    }
    if (dn) {
        wg_check_real(c, dn, wg_tree_join(kp, p, "decay"), R_PROB, &e->decay);
        if (sn)
            wg_check_err(c, sn, wg_tree_join(kp, p, "scale"),
                         "scale is the time scale of a power-law decay: give power, not decay");
        return;
    }
    if (!pn) {
        wg_check_err(c, kn, p, "missing key 'decay' (or 'power' and 'scale' for a power-law "
                     "decay)");
        return;
    }
    wg_check_real(c, pn, wg_tree_join(kp, p, "power"), R_POS, &e->power);
    if (!sn)
        wg_check_missing(c, kn, p, "scale");
    else
        wg_check_real(c, sn, wg_tree_join(kp, p, "scale"), R_POS, &e->scale);
}

static void conv_event(wg_check *c, const node *m, const char *path, wg_event *e)
{
    static const char *const media_keys[] = {"valence", "amplitude", "decay", "power", "scale",
                                             NULL};
    static const char *const seed_keys[] = {"valence", NULL};
    static const char *const respond_keys[] = {"win", "calm", NULL};
    static const char *const respond_more[] = {"by", "count", "top", "fraction", "policy", "cost",
                                               NULL};
    static const char *const step_key[] = {"step", "when", "repeat", NULL};
    const node *kn = NULL, *v;
    char p[WG_PATH_LEN], kp[WG_PATH_LEN], list[WG_LIST_LEN];
    int kind = -1, unknown = 0, k;
    uint64_t u;
    e->segment = -1;
    e->pick.segment = -1;
    if (!wg_check_map(c, m, path)) return;
    for (size_t i = 0; i < m->n; i++) {
        const char *key = m->keys[i]->text;
        int ki = wg_name_index(wg_event_kind_names, key);
        if (wg_check_in_list(key, step_key)) continue;
        if (ki >= 0 && kind >= 0) {
            wg_check_err(c, m->keys[i], path,
                         "more than one event type ('%s' and '%s'); write two events",
                         wg_event_kind_names[kind], key);
        } else if (ki >= 0) {
            kind = ki;
            kn = m->vals[i];
        } else {
            const char *sug = wg_check_suggest(key, wg_event_kind_names, step_key);
            unknown = 1;
            wg_check_err(c, m->keys[i], wg_tree_join(p, path, key),
                         "unknown event type%s%s%s (expected one of %s)",
                         sug ? ", did you mean '" : "", sug ? sug : "", sug ? "'?" : "",
                         wg_check_names(list, sizeof list, wg_event_kind_names, NULL));
        }
    }
    const node *wn = wg_tree_get(m, "when");
    if ((v = wg_tree_get(m, "step")) && wn) {
        wg_check_err(c, wn, wg_tree_join(p, path, "when"),
                     "give either step or when, not both (a trigger has no fixed step)");
    } else if (wn) {
        conv_when(c, wn, wg_tree_join(p, path, "when"), &e->when);
    } else if (!v) {
        wg_check_missing(c, m, path, "step");
    } else if (wg_check_uint(c, v, wg_tree_join(p, path, "step"), 0, UINT32_MAX, &u)) {
        if (c->steps_ok && u >= c->s->steps)
            wg_check_err(c, v, p, "step %" PRIu64 " is beyond the last step %u", u,
                         c->s->steps - 1);
        e->step = (uint32_t)u;
    }
    if ((v = wg_tree_get(m, "repeat"))) {
        if (!wn)
            wg_check_err(c, v, wg_tree_join(p, path, "repeat"),
                         "repeat is for triggers: add when: (e.g. when: {critics_above: 100})");
        else
            wg_check_bool(c, v, wg_tree_join(p, path, "repeat"), &e->when.repeat);
    }
    if (kind < 0) {
        if (!unknown)
            wg_check_err(c, m, path, "missing the event type (one of %s)",
                         wg_check_names(list, sizeof list, wg_event_kind_names, NULL));
        return;
    }
    e->kind = (wg_event_kind)kind;
    wg_tree_join(p, path, wg_event_kind_names[kind]);
    if (e->kind == WG_EV_SET || e->kind == WG_EV_SCALE) {
        conv_set_event(c, kn, p, e);
        return;
    }
    if (!wg_check_map(c, kn, p)) return;
    switch (e->kind) {
    case WG_EV_SEED:
        wg_check_keys(c, kn, p, seed_keys, pick_keys);
        conv_pick(c, kn, p, &e->pick, 0, -1);
        break;
    case WG_EV_BLOCK:
        wg_check_keys(c, kn, p, pick_keys, NULL);
        conv_pick(c, kn, p, &e->pick, 0, -1);
        break;
    case WG_EV_MEDIA:
        wg_check_keys(c, kn, p, media_keys, NULL);
        if (e->when.repeat)
            wg_check_err(c, wg_tree_get(m, "repeat"), wg_tree_join(kp, path, "repeat"),
                         "a media pulse fires once; repeat is for seed, set, scale, respond "
                         "and block");
        if (!(v = wg_tree_get(kn, "amplitude")))
            wg_check_missing(c, kn, p, "amplitude");
        else
            wg_check_real(c, v, wg_tree_join(kp, p, "amplitude"), R_PROB, &e->amplitude);
        conv_media_decay(c, kn, p, e);
        break;
    case WG_EV_RESPOND: {
        int ok = 1;
        wg_check_keys(c, kn, p, respond_keys, respond_more);
        const node *pn = wg_tree_get(kn, "policy");
        if (pn) {
            conv_policy(c, kn, pn, p, e);
        } else {
            conv_pick(c, kn, p, &e->pick, 1, -1);
        }
        if ((v = wg_tree_get(kn, "cost")))
            wg_check_real(c, v, wg_tree_join(kp, p, "cost"), R_NONNEG, &e->cost);
        for (int i = 0; respond_keys[i]; i++) {
            double *dst = i ? &e->calm : &e->win;
            if (!(v = wg_tree_get(kn, respond_keys[i]))) {
                wg_check_missing(c, kn, p, respond_keys[i]);
                ok = 0;
            } else {
                ok &= wg_check_real(c, v, wg_tree_join(kp, p, respond_keys[i]), R_PROB, dst);
            }
        }
        if (ok && e->win + e->calm > 1)
            wg_check_err(c, kn, p, "win + calm must be at most 1, got %g + %g = %g", e->win,
                         e->calm, e->win + e->calm);
        break;
    }
    default:
        break;
    }
    if (e->kind == WG_EV_SEED || e->kind == WG_EV_MEDIA) {
        if (!(v = wg_tree_get(kn, "valence")))
            wg_check_missing(c, kn, p, "valence");
        else if (wg_check_choice(c, v, wg_tree_join(kp, p, "valence"), wg_valence_names, &k))
            e->valence = k ? WG_NEG : WG_POS;
    }
}

static void conv_events(wg_check *c, const node *seq)
{
    wg_scenario *s = c->s;
    char p[WG_PATH_LEN];
    if (!(s->events = wg_check_list(c, seq, "events", sizeof *s->events, 1))) return;
    s->nevents = seq->n;
    for (size_t i = 0; i < seq->n; i++)
        conv_event(c, seq->vals[i], wg_tree_join_index(p, "events", i), &s->events[i]);
}

/* ---- network ---- */

static void conv_degrees(wg_check *c, const node *m, wg_netspec *ns)
{
    static const char *const keys[] = {"poisson", "power_law", "min", "cutoff", "file", NULL};
    const char *path = "network.degrees";
    const node *po = wg_tree_get(m, "poisson"), *pl = wg_tree_get(m, "power_law");
    const node *fi = wg_tree_get(m, "file");
    const node *mn = wg_tree_get(m, "min"), *cu = wg_tree_get(m, "cutoff");
    if (!wg_check_map(c, m, path)) return;
    wg_check_keys(c, m, path, keys, NULL);
    if (!!po + !!pl + !!fi != 1) {
        wg_check_err(c, m, path, "expected exactly one of poisson, power_law and file");
        return;
    }
    if (po) {
        ns->deg_kind = WG_DEG_POISSON;
        wg_check_real(c, po, "network.degrees.poisson", R_NONNEG, &ns->deg_mean);
    } else if (fi) {
        ns->deg_kind = WG_DEG_FILE;
        wg_check_path(c, fi, "network.degrees.file", &ns->deg_file);
    } else {
        ns->deg_kind = WG_DEG_POWER_LAW;
        ns->deg_min = 1;
        if (wg_check_real(c, pl, "network.degrees.power_law", R_POS, &ns->deg_exponent) && !cu &&
            ns->deg_exponent <= 1)
            wg_check_err(c, pl, "network.degrees.power_law",
                         "expected an exponent > 1 without a cutoff, got %s", wg_check_got(pl));
        if (mn) wg_check_u32(c, mn, "network.degrees.min", 1, &ns->deg_min);
        if (cu) wg_check_real(c, cu, "network.degrees.cutoff", R_POS, &ns->deg_cutoff);
    }
    if (!pl && (mn || cu)) wg_check_err(c, mn ? mn : cu, path, "min and cutoff go with power_law");
}

static void conv_sbm(wg_check *c, const node *m, wg_netspec *ns)
{
    const node *sz = wg_tree_get(m, "sizes"), *pm = wg_tree_get(m, "p");
    char kp[WG_PATH_LEN], rp[WG_PATH_LEN];
    uint64_t total = 0;
    if (!sz) wg_check_missing(c, m, "network", "sizes");
    if (!pm) wg_check_missing(c, m, "network", "p");
    if (!sz || !pm || !wg_check_seq(c, pm, "network.p") ||
        !(ns->sizes = wg_check_list(c, sz, "network.sizes", sizeof *ns->sizes, 0)))
        return;
    if (!(ns->p = wg_calloc(sz->n * sz->n, sizeof *ns->p))) {
        c->oom = 1;
        return;
    }
    ns->nblocks = sz->n;
    for (size_t i = 0; i < sz->n; i++)
        if (wg_check_uint(c, sz->vals[i], wg_tree_join_index(kp, "network.sizes", i), 1,
                          WG_MAX_AGENTS, &ns->sizes[i]))
            total += ns->sizes[i];
    if (total > WG_MAX_AGENTS)
        wg_check_err(c, sz, "network.sizes", "expected at most %u agents in all, got %" PRIu64,
                     WG_MAX_AGENTS, total);
    ns->nodes = total;
    if (pm->n != sz->n) {
        wg_check_err(c, pm, "network.p", "expected %zu rows (one per block), got %zu", sz->n,
                     pm->n);
        return;
    }
    int square = 1;
    for (size_t i = 0; i < pm->n; i++) {
        const node *row = pm->vals[i];
        wg_tree_join_index(rp, "network.p", i);
        if (!wg_check_seq(c, row, rp)) {
            square = 0;
            continue;
        }
        if (row->n != sz->n) {
            wg_check_err(c, row, rp, "expected %zu probabilities (one per block), got %zu", sz->n,
                         row->n);
            square = 0;
            continue;
        }
        for (size_t j = 0; j < row->n; j++)
            if (!wg_check_real(c, row->vals[j], wg_tree_join_index(kp, rp, j), R_PROB,
                               &ns->p[i * sz->n + j]))
                square = 0;
    }
    if (!square || ns->directed) return;
    for (size_t i = 0; i < sz->n; i++)
        for (size_t j = 0; j < i; j++)
            if (ns->p[i * sz->n + j] != ns->p[j * sz->n + i]) {
                wg_tree_join_index(kp, wg_tree_join_index(rp, "network.p", i), j);
                wg_check_err(c, pm->vals[i]->vals[j], kp,
                             "expected %g as p[%zu][%zu] (p must be symmetric unless "
                             "directed: true), got %s",
                             ns->p[j * sz->n + i], j, i, wg_check_got(pm->vals[i]->vals[j]));
                return;
            }
}

static void conv_lattice(wg_check *c, const node *m, wg_netspec *ns)
{
    const node *dm = wg_tree_get(m, "dims"), *pe = wg_tree_get(m, "periodic");
    char kp[WG_PATH_LEN];
    if (pe) wg_check_bool(c, pe, "network.periodic", &ns->periodic);
    if (!dm) {
        wg_check_missing(c, m, "network", "dims");
        return;
    }
    if (!wg_check_seq(c, dm, "network.dims")) return;
    if (dm->n != 2) {
        wg_check_err(c, dm, "network.dims", "expected [width, height], got %zu numbers", dm->n);
        return;
    }
    int ok = wg_check_u32(c, dm->vals[0], wg_tree_join_index(kp, "network.dims", 0), 1,
                          &ns->dims[0]);
    ok &= wg_check_u32(c, dm->vals[1], wg_tree_join_index(kp, "network.dims", 1), 1, &ns->dims[1]);
    ns->nodes = (uint64_t)ns->dims[0] * ns->dims[1];
    if (ok && ns->nodes > WG_MAX_AGENTS)
        wg_check_err(c, dm, "network.dims", "expected at most %u agents, got %" PRIu64,
                     WG_MAX_AGENTS, ns->nodes);
}

static void conv_file_net(wg_check *c, const node *m, wg_netspec *ns)
{
    const node *v;
    int k;
    ns->kind = WG_NET_FILE;
    wg_check_keys(c, m, "network", wg_check_file_keys, NULL);
    wg_check_path(c, wg_tree_get(m, "file"), "network.file", &ns->file);
    if ((v = wg_tree_get(m, "format")) &&
        wg_check_choice(c, v, "network.format", wg_check_formats, &k))
        ns->format = (wg_net_format)(WG_FMT_EDGELIST + k);
    if ((v = wg_tree_get(m, "directed")) && wg_check_bool(c, v, "network.directed", &ns->directed))
        ns->directed_set = 1;
    if ((v = wg_tree_get(m, "weight"))) wg_check_str(c, v, "network.weight", &ns->weight);
    if ((v = wg_tree_get(m, "header")) && wg_check_bool(c, v, "network.header", &k))
        ns->header = k ? WG_HEADER_YES : WG_HEADER_NO;
    if ((v = wg_tree_get(m, "sign"))) wg_check_str(c, v, "network.sign", &ns->sign);
    if ((v = wg_tree_get(m, "negative_ties")) &&
        wg_check_choice(c, v, "network.negative_ties", wg_negative_ties_names, &k))
        ns->negative_ties = k;
    if ((v = wg_tree_get(m, "nodes")) && wg_check_map(c, v, "network.nodes")) {
        static const char *const keys[] = {"file", "id", NULL};
        const node *nf = wg_tree_get(v, "file"), *ni = wg_tree_get(v, "id");
        wg_check_keys(c, v, "network.nodes", keys, NULL);
        if (!nf)
            wg_check_missing(c, v, "network.nodes", "file");
        else
            wg_check_path(c, nf, "network.nodes.file", &ns->nodes_file);
        if (ni) wg_check_str(c, ni, "network.nodes.id", &ns->nodes_id);
    }
    if ((v = wg_tree_get(m, "self_loops")) &&
        wg_check_choice(c, v, "network.self_loops", wg_check_drop_error, &k))
        ns->self_loops_error = k;
    if ((v = wg_tree_get(m, "duplicates")) &&
        wg_check_choice(c, v, "network.duplicates", wg_check_drop_error, &k))
        ns->duplicates_error = k;
}

static void conv_network(wg_check *c, const node *m)
{
    wg_netspec *ns = &c->s->net;
    const node *g, *v;
    const char *names[WG_CHECK_NNET_KINDS + 1];
    const wg_check_net_kind *nk = NULL;
    int k;
    if (!wg_check_map(c, m, "network")) return;
    g = wg_tree_get(m, "generate");
    if (g && wg_tree_get(m, "file")) {
        wg_check_err(c, m, "network", "give either 'generate' or 'file', not both");
        return;
    }
    if (!g && !wg_tree_get(m, "file")) {
        wg_check_err(c, m, "network", "missing key 'generate' or 'file'");
        return;
    }
    if (!g) {
        conv_file_net(c, m, ns);
        return;
    }
    for (size_t i = 0; i < WG_CHECK_NNET_KINDS; i++) names[i] = wg_check_net_kinds[i].name;
    names[WG_CHECK_NNET_KINDS] = NULL;
    if (!wg_check_choice(c, g, "network.generate", names, &k)) return;
    nk = &wg_check_net_kinds[k];
    ns->kind = nk->kind;
    wg_check_keys(c, m, "network", nk->keys, NULL);
    if ((v = wg_tree_get(m, "directed"))) wg_check_bool(c, v, "network.directed", &ns->directed);
    int nodes_ok = 0;
    if (wg_check_in_list("nodes", nk->keys)) {
        if (!(v = wg_tree_get(m, "nodes")))
            wg_check_missing(c, m, "network", "nodes");
        else
            nodes_ok = wg_check_uint(c, v, "network.nodes", 1, WG_MAX_AGENTS, &ns->nodes);
    }
    switch (ns->kind) {
    case WG_NET_ERDOS_RENYI:
        if (!(v = wg_tree_get(m, "mean_degree")))
            wg_check_missing(c, m, "network", "mean_degree");
        else if (wg_check_real(c, v, "network.mean_degree", R_NONNEG, &ns->mean_degree) &&
                 nodes_ok && ns->mean_degree > (double)(ns->nodes - 1))
            wg_check_err(c, v, "network.mean_degree",
                         "expected at most nodes - 1 = %" PRIu64 ", got %s", ns->nodes - 1,
                         wg_check_got(v));
        break;
    case WG_NET_BARABASI_ALBERT:
        if (!(v = wg_tree_get(m, "edges_per_node")))
            wg_check_missing(c, m, "network", "edges_per_node");
        else
            wg_check_u32(c, v, "network.edges_per_node", 1, &ns->edges_per_node);
        break;
    case WG_NET_WATTS_STROGATZ:
        if (!(v = wg_tree_get(m, "neighbours")))
            wg_check_missing(c, m, "network", "neighbours");
        else
            wg_check_u32(c, v, "network.neighbours", 1, &ns->neighbours);
        if (!(v = wg_tree_get(m, "rewire")))
            wg_check_missing(c, m, "network", "rewire");
        else
            wg_check_real(c, v, "network.rewire", R_PROB, &ns->rewire);
        break;
    case WG_NET_CONFIGURATION:
        if (!(v = wg_tree_get(m, "degrees")))
            wg_check_missing(c, m, "network", "degrees");
        else
            conv_degrees(c, v, ns);
        break;
    case WG_NET_SBM: conv_sbm(c, m, ns); break;
    case WG_NET_LATTICE: conv_lattice(c, m, ns); break;
    case WG_NET_FAMOUS:
        if (!(v = wg_tree_get(m, "name")))
            wg_check_missing(c, m, "network", "name");
        else
            wg_check_str(c, v, "network.name", &ns->famous);
        break;
    default: break;
    }
}

/* ---- variants, observed, sweep ---- */

static void conv_variants(wg_check *c, const node *seq)
{
    static const char *const keys[] = {"name", "about", "set", "events", "replace_events", NULL};
    wg_scenario *s = c->s;
    char p[WG_PATH_LEN], kp[WG_PATH_LEN];
    const node *v;
    int b;
    if (!(s->variants = wg_check_list(c, seq, "variants", sizeof *s->variants, 1))) return;
    s->nvariants = seq->n;
    wg_nameset seen = {0};
    for (size_t i = 0; i < seq->n; i++) {
        const node *m = seq->vals[i];
        wg_variant *va = &s->variants[i];
        wg_tree_join_index(p, "variants", i);
        if (!wg_check_map(c, m, p)) continue;
        wg_check_keys(c, m, p, keys, NULL);
        conv_unique_name(c, m, p, "variant", &va->name, &seen);
        if ((v = wg_tree_get(m, "about")))
            wg_check_str(c, v, wg_tree_join(kp, p, "about"), &va->about);
        if ((v = wg_tree_get(m, "set"))) wg_check_map(c, v, wg_tree_join(kp, p, "set"));
        if ((v = wg_tree_get(m, "events"))) wg_check_seq(c, v, wg_tree_join(kp, p, "events"));
        if ((v = wg_tree_get(m, "replace_events")))
            wg_check_bool(c, v, wg_tree_join(kp, p, "replace_events"), &b);
    }
    wg_nameset_free(&seen);
}

/* The observed series is copied into every run folder (observed.csv), so a
 * scenario names only files of its own folder tree: observed.file, resolved
 * against the scenario's folder (symbolic links followed), must be in it or
 * below it. A path given on the command line (--set observed.file=PATH) may be
 * anywhere: the user named it. 1 when the file may be read. */
static int observed_inside(wg_check *c, const node *v, const char *file)
{
    const char *label = c->doc->srcs[v->src];
    if (strncmp(label, "--set ", 6) == 0) return 1;
    const char *dir = c->doc->dir && *c->doc->dir ? c->doc->dir : ".";
    char *top = realpath(dir, NULL), *real = realpath(file, NULL);
    size_t n = top ? strlen(top) : 0;
    int inside = top && real &&
                 (strcmp(top, "/") == 0 || (strncmp(real, top, n) == 0 && real[n] == '/'));
    if (!inside && top && real)
        wg_check_err(c, v, "observed.file", "'%s' is outside the scenario's folder %s: a "
                     "scenario names observed files in its folder or below it (the series "
                     "is copied into the results); to use this one, give it on the command "
                     "line (--set observed.file=PATH)", file, dir);
    else if (!inside)
        c->oom = 1;   /* realpath of an existing file and folder fails only for memory */
    free(top);
    free(real);
    return inside;
}

static void conv_observed(wg_check *c, const node *m)
{
    static const char *const keys[] = {"file", "x", "y", "metric", "scale", NULL};
    wg_observed *o = &c->s->observed;
    const node *v;
    int k;
    if (!wg_check_map(c, m, "observed")) return;
    wg_check_keys(c, m, "observed", keys, NULL);
    o->present = 1;
    if (!(v = wg_tree_get(m, "file")))
        wg_check_missing(c, m, "observed", "file");
    else
        if (wg_check_path(c, v, "observed.file", &o->file) && !observed_inside(c, v, o->file)) {
            free(o->file);
            o->file = NULL;
        }
    if ((v = wg_tree_get(m, "x")))
        wg_check_str(c, v, "observed.x", &o->x);
    else if (!(o->x = wg_strdup("day")))
        c->oom = 1;
    if ((v = wg_tree_get(m, "y"))) wg_check_str(c, v, "observed.y", &o->y);
    if ((v = wg_tree_get(m, "metric")) && wg_check_choice(c, v, "observed.metric", metrics, &k))
        wg_check_str(c, v, "observed.metric", &o->metric);
    if ((v = wg_tree_get(m, "scale"))) wg_check_real(c, v, "observed.scale", R_POS, &o->scale);
}

/* One grid axis: a list of values or {from, to, count}. */
static void conv_grid_axis(wg_check *c, const node *v, const char *path, wg_sweep_axis *ax)
{
    static const char *const keys[] = {"from", "to", "count", NULL};
    char kp[WG_PATH_LEN];
    if (v->kind == NK_SEQ) {
        if (!(ax->values = wg_check_list(c, v, path, sizeof *ax->values, 0))) return;
        ax->nvalues = v->n;
        for (size_t i = 0; i < v->n; i++)
            wg_check_real(c, v->vals[i], wg_tree_join_index(kp, path, i), R_ANY, &ax->values[i]);
        return;
    }
    if (v->kind != NK_MAP) {
        wg_check_err(c, v, path, "expected a list of values or {from, to, count}, got %s",
                     wg_check_got(v));
        return;
    }
    wg_check_keys(c, v, path, keys, NULL);
    const node *fn = wg_tree_get(v, "from"), *tn = wg_tree_get(v, "to");
    const node *cn = wg_tree_get(v, "count");
    double from = 0, to = 0;
    uint64_t n = 0;
    int ok = 1;
    for (int i = 0; keys[i]; i++)
        if (!wg_tree_get(v, keys[i])) {
            wg_check_missing(c, v, path, keys[i]);
            ok = 0;
        }
    if (!ok) return;
    ok &= wg_check_real(c, fn, wg_tree_join(kp, path, "from"), R_ANY, &from);
    ok &= wg_check_real(c, tn, wg_tree_join(kp, path, "to"), R_ANY, &to);
    ok &= wg_check_uint(c, cn, wg_tree_join(kp, path, "count"), 1, MAX_GRID, &n);
    if (!ok) return;
    if (!(ax->values = wg_calloc(n, sizeof *ax->values))) {
        c->oom = 1;
        return;
    }
    ax->nvalues = n;
    for (uint64_t i = 0; i < n; i++)
        ax->values[i] = n == 1       ? from
                        : i + 1 == n ? to
                                     : from + (to - from) * (double)i / (double)(n - 1);
}

static void conv_sweep(wg_check *c, const node *m)
{
    static const char *const keys[] = {"grid", "sobol", NULL};
    static const char *const sobol_keys[] = {"points", "ranges", "indices", NULL};
    wg_sweepspec *sw = &c->s->sweep;
    const node *axes, *gr, *so;
    char p[WG_PATH_LEN], kp[WG_PATH_LEN];
    if (!wg_check_map(c, m, "sweep")) return;
    wg_check_keys(c, m, "sweep", keys, NULL);
    gr = wg_tree_get(m, "grid");
    so = wg_tree_get(m, "sobol");
    if (!!gr + !!so != 1) {
        wg_check_err(c, m, "sweep", "expected exactly one of grid and sobol");
        return;
    }
    if (gr) {
        sw->kind = 1;
        axes = gr;
        if (!wg_check_map(c, gr, "sweep.grid")) return;
    } else {
        const node *pts = wg_tree_get(so, "points");
        sw->kind = 2;
        if (!wg_check_map(c, so, "sweep.sobol")) return;
        wg_check_keys(c, so, "sweep.sobol", sobol_keys, NULL);
        if (!pts)
            wg_check_missing(c, so, "sweep.sobol", "points");
        else
            wg_check_uint(c, pts, "sweep.sobol.points", 1, MAX_SOBOL, &sw->points);
        const node *ix = wg_tree_get(so, "indices");
        if (ix && wg_check_bool(c, ix, "sweep.sobol.indices", &sw->indices) && sw->indices) {
            const node *rg = wg_tree_get(so, "ranges");
            if (pts && sw->points < 2)
                wg_check_err(c, pts, "sweep.sobol.points", "Sobol indices need at least 2 base "
                             "samples, got %llu", (unsigned long long)sw->points);
            if (rg && rg->kind == NK_MAP && rg->n > MAX_INDEX_KEYS)
                wg_check_err(c, ix, "sweep.sobol.indices", "Sobol indices take at most %d keys "
                             "(Saltelli's design needs twice as many dimensions), the ranges "
                             "have %zu", MAX_INDEX_KEYS, rg->n);
        }
        if (!(axes = wg_tree_get(so, "ranges"))) {
            wg_check_missing(c, so, "sweep.sobol", "ranges");
            return;
        }
        if (!wg_check_map(c, axes, "sweep.sobol.ranges")) return;
    }
    if (!axes->n) {
        wg_check_err(c, axes, gr ? "sweep.grid" : "sweep.sobol.ranges",
                     "expected at least one key");
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
        wg_tree_join(p, gr ? "sweep.grid" : "sweep.sobol.ranges", ax->key);
        if (gr) {
            conv_grid_axis(c, v, p, ax);
        } else if (v->kind != NK_SEQ || v->n != 2) {
            wg_check_err(c, v, p, "expected [low, high], got %s",
                         v->kind == NK_SEQ ? "another list" : wg_check_got(v));
        } else if (wg_check_real(c, v->vals[0], wg_tree_join_index(kp, p, 0), R_ANY, &ax->lo) &&
                   wg_check_real(c, v->vals[1], wg_tree_join_index(kp, p, 1), R_ANY, &ax->hi) &&
                   !(ax->lo < ax->hi)) {
            wg_check_err(c, v, p, "expected low < high, got [%g, %g]", ax->lo, ax->hi);
        }
    }
}

/* ---- trace: {runs: [median, p95, 0]} ---- */

const char *const wg_trace_which_names[WG_NTRACE_WHICH + 1] = {"", "median", "p05", "p95", "max",
                                                                NULL};

/* One entry of trace.runs (text: its word), appended to s->trace. */
static void conv_trace_word(wg_check *c, const node *at, const char *word, size_t len)
{
    wg_scenario *s = c->s;
    char buf[32];
    while (len && (*word == ' ' || *word == '\t')) word++, len--;
    while (len && (word[len - 1] == ' ' || word[len - 1] == '\t')) len--;
    wg_trace_pick p = {WG_TRACE_INDEX, 0};
    if (len == 0 || len >= sizeof buf) {
        wg_check_err(c, at, "trace.runs", "expected a run index or median, p05, p95, max, got \"%.*s\"",
                     (int)(len < 40 ? len : 40), word);
        return;
    }
    memcpy(buf, word, len);
    buf[len] = '\0';
    int k = wg_name_index(wg_trace_which_names, buf);
    if (k > 0) {
        p.which = (wg_trace_which)k;
    } else {
        char *end;
        unsigned long long u = buf[0] >= '0' && buf[0] <= '9' ? strtoull(buf, &end, 10) : 0;
        if (!(buf[0] >= '0' && buf[0] <= '9') || *end || u > UINT32_MAX) {
            wg_check_err(c, at, "trace.runs",
                         "expected a run index or median, p05, p95, max, got \"%s\"", buf);
            return;
        }
        if (u >= s->runs) {
            wg_check_err(c, at, "trace.runs",
                         "run %llu does not exist: the scenario has %u runs (0 to %u)", u, s->runs,
                         s->runs - 1);
            return;
        }
        p.run = (uint32_t)u;
    }
    wg_trace_pick *t = realloc(s->trace, (s->ntrace + 1) * sizeof *t);
    if (!t) {
        c->oom = 1;
        return;
    }
    s->trace = t;
    s->trace[s->ntrace++] = p;
}

/* trace.runs is a list, or one word, or words separated by commas (as
 * --trace and --set trace.runs=median,p95 give it). */
static void conv_trace(wg_check *c, const node *v)
{
    static const char *const keys[] = {"runs", NULL};
    if (!wg_check_map(c, v, "trace")) return;
    wg_check_keys(c, v, "trace", keys, NULL);
    const node *r = wg_tree_get(v, "runs");
    if (!r) {
        wg_check_missing(c, v, "trace", "runs");
        return;
    }
    if (r->kind == NK_SEQ) {
        for (size_t i = 0; i < r->n; i++) {
            const node *it = r->vals[i];
            if (it->kind != NK_SCALAR) {
                wg_check_err(c, it, "trace.runs", "expected a run index or median, p05, p95, max, got %s",
                             wg_check_got(it));
                continue;
            }
            conv_trace_word(c, it, it->text, strlen(it->text));
        }
        if (r->n == 0) wg_check_err(c, r, "trace.runs", "expected at least one run");
        return;
    }
    if (r->kind != NK_SCALAR) {
        wg_check_err(c, r, "trace.runs", "expected a list of runs, got %s", wg_check_got(r));
        return;
    }
    for (const char *p = r->text;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        conv_trace_word(c, r, p, len);
        if (!comma) break;
        p = comma + 1;
    }
}

/* ---- arrivals (open audiences) ---- */

/* arrivals: {present: SHARE, per_step: SHARE, by: id | random}, shares in (0, 1]. */
static void conv_arrivals(wg_check *c, const node *m)
{
    static const char *const keys[] = {"present", "per_step", "by", NULL};
    wg_arrivals a = {1, 0, 0, WG_ARRIVE_ID};
    int k, ok = 1;
    if (!wg_check_map(c, m, "arrivals")) return;
    wg_check_keys(c, m, "arrivals", keys, NULL);
    const node *np = wg_tree_get(m, "present"), *ns = wg_tree_get(m, "per_step");
    const node *nb = wg_tree_get(m, "by");
    if (!np) wg_check_missing(c, m, "arrivals", "present"), ok = 0;
    if (!ns) wg_check_missing(c, m, "arrivals", "per_step"), ok = 0;
    if (np && !wg_check_real(c, np, "arrivals.present", R_FRAC, &a.present)) ok = 0;
    if (ns && !wg_check_real(c, ns, "arrivals.per_step", R_FRAC, &a.per_step)) ok = 0;
    if (nb) {
        if (wg_check_choice(c, nb, "arrivals.by", wg_arrival_by_names, &k)) a.by = (wg_arrival_by)k;
        else ok = 0;
    }
    if (ok) c->s->arrivals = a;
}

/* ---- the whole scenario ---- */

static void conv_scenario(wg_check *c, const node *r)
{
    wg_scenario *s = c->s;
    const node *v;
    uint64_t u;
    wg_check_keys(c, r, "", wg_check_top_keys, NULL);
    if (!(v = wg_tree_get(r, "name")))
        wg_check_missing(c, r, "", "name");
    else
        wg_check_str(c, v, "name", &s->name);
    if ((v = wg_tree_get(r, "about"))) wg_check_str(c, v, "about", &s->about);
    if ((v = wg_tree_get(r, "unit")) && wg_check_str(c, v, "unit", &s->unit) &&
        strspn(s->unit, " \t") == strlen(s->unit))
        wg_check_err(c, v, "unit", "expected what an agent stands for, in words (e.g. \"members\"), "
                     "got an empty text");
    if ((v = wg_tree_get(r, "step"))) wg_check_str(c, v, "step", &s->step_unit);
    c->steps_ok = 1;
    if ((v = wg_tree_get(r, "steps")) && !(c->steps_ok = wg_check_u32(c, v, "steps", 1, &s->steps)))
        s->steps = 0;
    if ((v = wg_tree_get(r, "runs"))) wg_check_u32(c, v, "runs", 1, &s->runs);
    if ((v = wg_tree_get(r, "seed")) && wg_check_uint(c, v, "seed", 0, UINT64_MAX, &u)) s->seed = u;
    if ((v = wg_tree_get(r, "blowup")) && wg_check_map(c, v, "blowup")) {
        static const char *const keys[] = {"threshold", "valence", "by_step", NULL};
        const node *t = wg_tree_get(v, "threshold"), *tv = wg_tree_get(v, "valence");
        const node *ts = wg_tree_get(v, "by_step");
        int k;
        uint32_t step;
        wg_check_keys(c, v, "blowup", keys, NULL);
        if (!t && !ts)
            wg_check_missing(c, v, "blowup", "threshold");
        else if (t)
            wg_check_real(c, t, "blowup.threshold", R_FRAC, &s->blowup);
        if (tv && wg_check_choice(c, tv, "blowup.valence", wg_valence_names, &k))
            s->blowup_valence = k ? WG_NEG : WG_POS;
        if (ts && wg_check_u32(c, ts, "blowup.by_step", 0, &step)) {
            if (c->steps_ok && step >= s->steps)
                wg_check_err(c, ts, "blowup.by_step",
                             "step %" PRIu32 " is beyond the last step %" PRIu32, step,
                             s->steps - 1);
            else {
                s->blowup_at_step = 1;
                s->blowup_step = step;
            }
        }
    }
    if ((v = wg_tree_get(r, "seed_conflict"))) {
        static const char *const ways[] = {"note", "error", NULL};
        int k;
        if (wg_check_choice(c, v, "seed_conflict", ways, &k)) s->seed_conflict_error = k == 1;
    }
    if (!(v = wg_tree_get(r, "network")))
        wg_check_missing(c, r, "", "network");
    else
        conv_network(c, v);
    if ((v = wg_tree_get(r, "model"))) conv_model(c, v);
    if ((v = wg_tree_get(r, "segments"))) conv_segments(c, v);
    if ((v = wg_tree_get(r, "events"))) conv_events(c, v);
    if ((v = wg_tree_get(r, "variants"))) conv_variants(c, v);
    if ((v = wg_tree_get(r, "observed"))) conv_observed(c, v);
    if ((v = wg_tree_get(r, "sweep"))) conv_sweep(c, v);
    if ((v = wg_tree_get(r, "trace"))) conv_trace(c, v);
    if ((v = wg_tree_get(r, "arrivals"))) conv_arrivals(c, v);
}

void wg_scenario_free(wg_scenario *s)
{
    if (!s) return;
    free(s->path);
    free(s->name);
    free(s->about);
    free(s->unit);
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
    free(s->trace);
    wg_doc_free(s->doc);
    free(s);
}

/* ------------------------------------------------------------------------
 * Entry point (scenario_impl.h).
 */
wg_status wg_convert(wg_doc *doc, const char *prefix, wg_scenario **out, wg_diag *d)
{
    wg_check c;
    wg_scenario *s;
    *out = NULL;
    if (!(s = wg_calloc(1, sizeof *s))) {
        wg_doc_free(doc);
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
    else if (!doc->root || wg_tree_is_null(doc->root))
        wg_check_err(&c, NULL, "", "the file is empty");
    else if (doc->root->kind != NK_MAP)
        wg_check_err(&c, doc->root, "", "expected a map of keys (name:, network:, ...), got %s",
                     wg_check_got(doc->root));
    else
        conv_scenario(&c, doc->root);
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
